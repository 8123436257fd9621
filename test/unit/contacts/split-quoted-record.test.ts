import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordSplitter } from '../../../functions/contacts/split-csv-records.js';
import { FieldCursor, splitQuotedRecord } from '../../../functions/contacts/split-quoted-record.js';

/** The options the headered parser gives csv-parse for the records it cannot read itself. */
const CSV_OPTIONS = {
  delimiter: ',',
  record_delimiter: '\n',
  relax_quotes: true,
  relax_column_count: true,
};

function csvParse(record: string): string[] {
  return (parse(record, CSV_OPTIONS) as string[][])[0] ?? [];
}

function split(record: string): string[] | undefined {
  return splitQuotedRecord(record, 0, record.length, new FieldCursor(','));
}

/** The records holding a quote that CsvRecordSplitter cuts `text` into. */
function quotedRecords(text: string): string[] {
  const splitter = new CsvRecordSplitter(',', 1000);
  const records: string[] = [];
  const sink = {
    record(source: string, start: number, end: number, _line: number, quoted: boolean) {
      if (quoted) records.push(source.slice(start, end));
    },
    overlong() {},
    unmatchedQuote() {},
  };
  splitter.push(text, sink);
  splitter.end(sink);
  return records;
}

/** A cell's text, with the characters that matter to quoting. */
const cellText = fc.string({
  unit: fc.constantFrom('a', ' ', ',', '"', '\r', '\n', '\r\n', 'é'),
  maxLength: 8,
});
/** A cell as a spreadsheet writes it: quoted (quotes doubled) when it needs it, or sometimes anyway. */
const writtenCell = fc
  .tuple(cellText, fc.boolean())
  .map(([text, always]) =>
    always || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text,
  );
const wellFormed = fc
  .array(writtenCell, { minLength: 1, maxLength: 5 })
  .map((cells) => cells.join(','))
  .filter((record) => record.includes('"') && record !== '');

describe('splitQuotedRecord', () => {
  it('reads quoted cells holding delimiters, doubled quotes and line breaks', () => {
    const record = '"Perez, Juan",099111222,"say ""hi""","Av. 18\r\nApto 2",,""';
    expect(split(record)).toEqual([
      'Perez, Juan',
      '099111222',
      'say "hi"',
      'Av. 18\r\nApto 2',
      '',
      '',
    ]);
    expect(split(record)).toEqual(csvParse(record));
  });

  it('leaves to csv-parse a quote inside a cell, text after a closing quote, an open cell', () => {
    for (const record of ['5" screen,"x"', '"a"b,c', '"a" ,b', '"open,1', '"a""', 'x,"y""']) {
      expect(split(record)).toBeUndefined();
    }
  });

  it('reads a record whose text equals the one read before it from its own start', () => {
    const cursor = new FieldCursor(',');
    expect(splitQuotedRecord('a,"b",c', 2, 7, cursor)).toEqual(['b', 'c']);
    // An equal text, but another record: its first delimiter lies before where the last search began.
    expect(splitQuotedRecord('a,"b",c', 0, 7, cursor)).toEqual(['a', 'b', 'c']);
  });

  it('reads every well-formed record, exactly as csv-parse does', () => {
    fc.assert(
      fc.property(wellFormed, (record) => {
        expect(split(record)).toEqual(csvParse(record));
      }),
      { numRuns: 2000 },
    );
  });

  it('never reads a record otherwise than csv-parse, whatever its quotes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n'), maxLength: 40 }),
          // Well-formed records with a stray quote or character put in somewhere.
          fc
            .array(fc.tuple(wellFormed, fc.nat(), fc.constantFrom('"', 'x', ' ', ',')), {
              maxLength: 4,
            })
            .map((mutated) =>
              mutated
                .map(([record, at, c]) => {
                  const i = at % (record.length + 1);
                  return record.slice(0, i) + c + record.slice(i);
                })
                .join('\n'),
            ),
        ),
        (text) => {
          // Records as the headered parser is given them: line breaks only inside quoted cells.
          for (const record of quotedRecords(text)) {
            const cells = split(record);
            if (cells !== undefined) expect(cells).toEqual(csvParse(record));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads records in place in a larger text, with one cursor over it', () => {
    fc.assert(
      fc.property(fc.array(wellFormed, { minLength: 1, maxLength: 8 }), (records) => {
        const text = records.join('\n');
        const cursor = new FieldCursor(',');
        let start = 0;
        for (const record of records) {
          const end = start + record.length;
          expect(splitQuotedRecord(text, start, end, cursor)).toEqual(csvParse(record));
          start = end + 1;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
