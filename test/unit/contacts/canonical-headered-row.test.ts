import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CanonicalRowContact,
  CanonicalRowWriter,
} from '../../../functions/contacts/canonical-headered-row.js';
import type { RawContact } from '../../../functions/contacts/contact.js';
import { formatLine } from '../../../functions/contacts/format-line.js';
import { HeaderedParser, type HeaderedRecord } from '../../../functions/contacts/parse-headered.js';
import { canonicalChanges, validateContact } from '../../../functions/contacts/validate-contact.js';
import { optionsFor } from './native-line.js';

const HEADERS = [
  'Nombre;Teléfono;Celular;Prioridad;Notas;Agente',
  'Teléfono;Ciudad',
  'Campaña;Teléfono;Alternativos;Notas',
  'Teléfono;Nombre;Nombre',
];
const CELLS = [
  '',
  ' ',
  '099124484',
  '098344484',
  ' 099124484',
  '+598 99 124 484',
  'H=0=099111222',
  '099111222,098344484',
  '099124484:099124484',
  'Ana',
  'Pérez',
  'a:b',
  'x=y',
  '5',
  '9999',
  '0',
  '1001',
  'Camp<-',
  'Camp',
  'An\u0000a',
  'a\u2029b',
  '\u202eanA',
];

/** The changes of a character replaced in a variable. */
const REPLACED = [
  'RESERVED_CHARACTER',
  'CONTROL_CHARACTER_REPLACED',
  'LINE_SEPARATOR_REPLACED',
  'BIDI_CONTROL_REPLACED',
];

/** Mostly cells a row can be written with as it is, so that many rows are. */
const cell = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('', '099124484', 'Ana') },
  fc.constantFrom(...CELLS),
);
/** Unquoted headered files: one header, rows of 0 to 8 cells. */
const files = fc
  .tuple(fc.constantFrom(...HEADERS), fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 30 }))
  .map(([header, rows]) => [header, ...rows.map((cells) => cells.join(';'))].join('\n'));

function read(text: string, defaultPriority: string) {
  const parser = new HeaderedParser({
    delimiter: ';',
    maxLineLength: 1000,
    maxFields: 200,
    firstLineNumber: 1,
    campaign: 'Camp<-',
    defaultPriority,
  });
  const records: HeaderedRecord[] = [];
  parser.push(text, records);
  parser.end(records);
  return { records, plan: parser.columns! };
}

/** The record as a plain object: what any parser could have produced. */
function plain(raw: RawContact): RawContact {
  const { line, campaign, main, variables, alternates, priority, agentphone, fieldCount } = raw;
  return { line, campaign, main, variables, alternates, priority, agentphone, fieldCount };
}

describe('CanonicalRowWriter', () => {
  it('writes a row as formatLine writes the contact validateContact makes of it', () => {
    let written = 0;
    fc.assert(
      fc.property(files, fc.constantFrom('9999', '', '7'), (text, defaultPriority) => {
        const options = optionsFor('Camp<-', { defaultPriority });
        const { records, plan } = read(text, defaultPriority);
        const writer = new CanonicalRowWriter(plan);
        for (const record of records) {
          if ('code' in record) continue;
          const changes = canonicalChanges(record, options);
          if (changes === undefined) continue;
          const priority = changes.length === 0 ? record.priority : defaultPriority;
          const line = writer.write(record, priority);
          const result = validateContact(plain(record), options);
          if (line === undefined) {
            // Left to the full path only for a reserved or stray character in a variable.
            const changes: readonly string[] = result.ok ? result.contact.changes : [];
            expect(REPLACED.some((kind) => changes.includes(kind))).toBe(true);
            continue;
          }
          written++;
          if (!result.ok) throw new Error(`refused: ${result.code}`);
          expect(line).toBe(formatLine(result.contact));
          const contact = new CanonicalRowContact(record, priority, changes);
          expect({ ...plain(contact), changes: contact.changes }).toEqual({
            ...plain(result.contact),
            changes: result.contact.changes,
          });
        }
      }),
      { numRuns: 500 },
    );
    expect(written).toBeGreaterThan(50);
  });
});
