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
    const records = read(['phone,a\n099111222,x\n099111333,"open\n099111444,y\n']);
    expect(outline(records)).toEqual([
      [2, ['099111222', 'x']],
      [3, 'MALFORMED_ROW'],
      [4, ['099111444', 'y']],
    ]);
    expect(records[1]).toMatchObject({ original: '099111333,"open' });
    expect((records[1] as Rejection).message).toMatch(/line 3, character 11.*end of the file/);
  });

  it('refuses a file whose header row never closes its quote', () => {
    expect(() => read(['"phone,a\n099111222,x\n'])).toThrow(UnusableFileError);
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
