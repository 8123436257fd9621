import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rejection } from '../../../functions/contacts/contact.js';
import { UnusableFileError } from '../../../functions/contacts/errors.js';
import {
  type HeaderedOptions,
  HeaderedParser,
  type HeaderedRecord,
} from '../../../functions/contacts/parse-headered.js';
import { readsAsRow } from '../../../functions/contacts/stray-quote.js';

const OPTIONS: HeaderedOptions = {
  delimiter: ',',
  maxLineLength: 1000,
  maxFields: 200,
  firstLineNumber: 1,
  campaign: 'Camp<-',
  defaultPriority: '9999',
};

function read(chunks: string[], options: Partial<HeaderedOptions> = {}): HeaderedRecord[] {
  const parser = new HeaderedParser({ ...OPTIONS, ...options });
  const out: HeaderedRecord[] = [];
  for (const chunk of chunks) parser.push(chunk, out);
  parser.end(out);
  return out;
}

/** Each record as its line and its cells, or its line and rejection code. */
function outline(records: HeaderedRecord[]) {
  return records.map((r) => ('code' in r ? [r.line, r.code] : [r.line, r.cells]));
}

function chunked(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let last = 0;
  for (const p of points) {
    chunks.push(text.slice(last, p));
    last = p;
  }
  chunks.push(text.slice(last));
  return chunks;
}

const CSV_OPTIONS = {
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};

describe('HeaderedParser', () => {
  it('reads quoted and unquoted rows in file order, each with the line it starts on', () => {
    const text =
      'phone,name,notes\n099111222,Ana,\n"099111333","Pérez, Juan","two\r\nlines"\n\n' +
      '099111444,Luis,x\n099111555,"say ""hi""",\n';
    expect(outline(read([text]))).toEqual([
      [2, ['099111222', 'Ana', '']],
      [3, ['099111333', 'Pérez, Juan', 'two\r\nlines']],
      [6, ['099111444', 'Luis', 'x']],
      [7, ['099111555', 'say "hi"', '']],
    ]);
  });

  it('maps the cells to a contact by the header', () => {
    const [record] = read(
      ['Nombre;Teléfono;Celular;Prioridad\n"Ana; B";099 111 222;098111333;\n'],
      {
        delimiter: ';',
      },
    );
    expect(record).toMatchObject({
      line: 2,
      campaign: 'Camp<-',
      main: '099 111 222',
      alternates: ['098111333'],
      priority: '',
      variables: [['Nombre', 'Ana; B']],
    });
  });

  it('skips rows with no value, quoted or not, and keeps the order of the others', () => {
    const text = 'phone,a\n"",\n099111222,x\n , \n"099111333",""\n';
    expect(outline(read([text]))).toEqual([
      [3, ['099111222', 'x']],
      [5, ['099111333', '']],
    ]);
  });

  it('refuses a quoted row with more cells than the header as MALFORMED_ROW', () => {
    const text = 'phone,a\n"099111222",x,extra\n099111333,"y"\n';
    const records = read([text]);
    expect(outline(records)).toEqual([
      [2, 'MALFORMED_ROW'],
      [3, ['099111333', 'y']],
    ]);
    expect(records[0]).toMatchObject({ original: '"099111222",x,extra' });
  });

  it('refuses the row whose quoted cell the file ends inside, and reads the lines after it', () => {
    const records = read(['phone,a\n099111222,x\n099111333,"open\nsin cerrar\n']);
    expect(outline(records)).toEqual([
      [2, ['099111222', 'x']],
      [3, 'MALFORMED_ROW'],
      [4, ['sin cerrar']],
    ]);
    expect(records[1]).toMatchObject({ original: '099111333,"open' });
    expect((records[1] as Rejection).message).toMatch(/line 3, character 11.*end of the file/);
  });

  it('takes a quote for a stray one when its cell runs into a line that reads as a row', () => {
    const text = 'telefono,nombre\n0991111111,"Perez, Juan\n0992222222,"Lopez"\n0993333333,Ana\n';
    for (const chunks of [[text], chunked(text, [20, 30, 41, 50])]) {
      const records = read(chunks);
      expect(outline(records)).toEqual([
        [2, 'MALFORMED_ROW'],
        [3, ['0992222222', 'Lopez']],
        [4, ['0993333333', 'Ana']],
      ]);
      expect(records[0]).toMatchObject({ original: '0991111111,"Perez, Juan' });
      expect((records[0] as Rejection).message).toBe(
        'The quote (") at line 2, character 12 opens a cell that runs into line 3, which ' +
          'reads as a row of its own; the lines after line 2 are read as rows. Add the missing ' +
          'closing quote, or remove the stray one.',
      );
    }
  });

  it('takes a quote for a stray one when its cell runs into a full row with no phone', () => {
    const text = 'nombre;telefono;ciudad\n"Ana;099111222;Salto\n;;\nLuis;099111333;Rivera\n';
    expect(outline(read([text], { delimiter: ';' }))).toEqual([
      [2, 'MALFORMED_ROW'],
      [4, ['Luis', '099111333', 'Rivera']],
    ]);
  });

  it('believes quoted cells holding line breaks whose lines do not read as rows', () => {
    const text =
      'telefono,direccion,nombre\n' +
      '099111222,"Av. Italia 1234\nApto 5, Montevideo",Juan\n' +
      '099111333,"Calle 3\r\nesquina Rivera, 5, Salto\r\n11300",Ana\n' +
      '099111444,"llamar a\n099111555\nde tarde",Eva\n' +
      '099111666,"Contactos:\n""099111777"", esposa",Paz\n';
    for (const chunks of [[text], chunked(text, [30, 45, 60, 100, 140])]) {
      expect(outline(read(chunks))).toEqual([
        [2, ['099111222', 'Av. Italia 1234\nApto 5, Montevideo', 'Juan']],
        [4, ['099111333', 'Calle 3\r\nesquina Rivera, 5, Salto\r\n11300', 'Ana']],
        [7, ['099111444', 'llamar a\n099111555\nde tarde', 'Eva']],
        [10, ['099111666', 'Contactos:\n"099111777", esposa', 'Paz']],
      ]);
    }
  });

  it('refuses a file whose header row never closes its quote', () => {
    expect(() => read(['"phone,a\n099111222,x\n'])).toThrow(UnusableFileError);
  });

  it('reads rows with quoted cells as csv-parse does, refusing only the row of a stray quote', () => {
    // Every line of a cell starts with a letter, so none reads as a row of its own.
    const cellText = fc
      .array(fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', 'é'), maxLength: 6 }), {
        minLength: 1,
        maxLength: 3,
      })
      .chain((lines) =>
        fc.constantFrom('\n', '\r\n').map((end) => lines.map((l) => `b${l}`).join(end)),
      );
    const written = fc
      .tuple(cellText, fc.boolean())
      .map(([text, always]) =>
        always || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text,
      );
    // A quote inside an unquoted cell, or text after a closing quote: kept, as csv-parse keeps it.
    const odd = fc.constantFrom('5" screen', '"a"b', 'x"y"');
    const row = fc
      .tuple(fc.integer({ min: 0, max: 9_999_999 }), fc.oneof(written, odd), written)
      .map(([n, a, b]) => `09${String(n).padStart(7, '0')},${a},${b}`);
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat()),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, strayAt, lineEnd, cuts) => {
          const stray = strayAt === null ? -1 : strayAt % rows.length;
          const texts = rows.map((r, i) => (i === stray ? `${r.split(',')[0]},"open` : r));
          const text = `phone,a,b${lineEnd}${texts.join(lineEnd)}${lineEnd}`;
          const parser = new HeaderedParser(OPTIONS);
          const records: HeaderedRecord[] = [];
          for (const chunk of chunked(text, cuts)) parser.push(chunk, records);
          parser.end(records);
          const kept = ['phone,a,b', ...texts.filter((_, i) => i !== stray)].join('\n');
          const expected = (parse(kept, CSV_OPTIONS) as string[][]).slice(1);
          const starts: number[] = [];
          let line = 2;
          for (const t of texts) {
            starts.push(line);
            line += 1 + (t.match(/\r\n|\n/g)?.length ?? 0);
          }
          const cells = outline(records).map(([, c]) => c);
          expect(cells.filter((c) => c !== 'MALFORMED_ROW')).toEqual(expected);
          expect(records.map((r) => r.line)).toEqual(starts);
          if (stray >= 0) expect(cells[stray]).toBe('MALFORMED_ROW');
          const { lastLine, blank, joined } = parser.lines;
          expect(lastLine).toBe(1 + records.length + blank + joined);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('skips a last line of empty cells equal to a line carried over from the chunk before', () => {
    const text = 'phone,a,b\n,\n,';
    const parser = new HeaderedParser(OPTIONS);
    const out: HeaderedRecord[] = [];
    for (const chunk of ['phone,a,b\n,', '\n,']) parser.push(chunk, out);
    parser.end(out);
    expect(outline(out)).toEqual(outline(read([text])));
    expect(out).toEqual([]);
    expect(parser.lines).toEqual({ lastLine: 3, blank: 2, joined: 0 });
  });

  it('reads the cells csv-parse reads from the whole text, however the text arrives', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('9', 'x', ' ', ',', '"', '\r', '\n'), maxLength: 80 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (body, cuts) => {
          const text = `phone,a,b\n${body}`;
          const whole = outline(read([text]));
          expect(outline(read(chunked(text, cuts)))).toEqual(whole);
          const lines = text.split(/\r\n|\r|\n/);
          const strays = read([text]).flatMap((r) =>
            'code' in r ? [...r.message.matchAll(/runs into line (\d+)/g)] : [],
          );
          if (strays.length > 0) {
            // Where the splitter parts from csv-parse, a line read on its own is a row.
            for (const [, line] of strays) {
              expect(readsAsRow(lines[Number(line) - 1]!, ',', { columns: 3, phone: 0 })).toBe(
                true,
              );
            }
            return;
          }
          let rows: string[][];
          try {
            rows = parse(text, CSV_OPTIONS) as string[][];
          } catch {
            // Unclosed at the end: the row holding the quote is refused, the lines after it read.
            expect(whole.map(([, cells]) => cells)).toContain('MALFORMED_ROW');
            return;
          }
          const blank = (cell: string) => cell.trim() === '';
          const expected = rows
            .slice(1)
            .filter((cells) => !cells.every(blank))
            .map((cells) =>
              cells.length > 3 && !cells.slice(3).every(blank) ? 'MALFORMED_ROW' : cells,
            );
          expect(whole.map(([, cells]) => cells)).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
