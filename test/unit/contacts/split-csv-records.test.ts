import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CsvRecordSplitter,
  type CsvSegment,
} from '../../../functions/contacts/split-csv-records.js';

function cut(chunks: string[], maxLineLength = 1000) {
  const splitter = new CsvRecordSplitter(',', maxLineLength);
  const segments: CsvSegment[] = chunks.map((chunk) => splitter.push(chunk));
  segments.push(splitter.end());
  return {
    text: segments.map((s) => s.text).join(''),
    entries: segments.flatMap((s) => s.entries),
    unclosedQuote: segments.at(-1)!.unclosedQuote,
  };
}

const CSV_OPTIONS = {
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};

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

describe('CsvRecordSplitter', () => {
  it('gives each record its start line, counting line breaks inside quoted cells', () => {
    const text = 'a,b\r\n"x\r\ny",2\n\n"q""r",3\rlast,4';
    expect(cut([text]).entries).toEqual([1, 2, 5, 6]);
  });

  it('opens a quoted cell only at the start of a cell, as csv-parse does with relax_quotes', () => {
    const text = 'name,phone\n5" screen,099\nnext,098\n';
    expect(cut([text]).entries).toEqual([1, 2, 3]);
  });

  it('leaves out a record longer than the limit and reports its beginning', () => {
    // `a,b`, thirty x, `c,d`, arriving in three chunks.
    const result = cut(['a,b\nxxxx', 'x'.repeat(26), '\nc,d\n'], 10);
    expect(result.text).toBe('a,b\nc,d\n');
    expect(result.entries).toEqual([
      1,
      { line: 2, lastLine: 2, text: 'x'.repeat(10), unclosedQuote: false },
      3,
    ]);
  });

  it('reports a quote left open at the end of the file', () => {
    const text = 'a,b\n"open,1\n2\n';
    const result = cut([text]);
    expect(result.unclosedQuote).toBe(true);
    expect(result.entries).toEqual([1, 2]);
  });

  it('cuts the text into the records csv-parse finds, however it arrives in chunks', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\r', '\n'), maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (text, cuts) => {
          const whole = cut([text]);
          const pieces = cut(chunked(text, cuts));
          expect(pieces.entries).toEqual(whole.entries);
          expect(pieces.unclosedQuote).toBe(whole.unclosedQuote);
          if (whole.unclosedQuote) return;
          const records = parse(whole.text, CSV_OPTIONS) as string[][];
          expect(records.length).toBe(whole.entries.length);
          expect(parse(pieces.text, CSV_OPTIONS)).toEqual(records);
          expect(records).toEqual(parse(text, CSV_OPTIONS));
        },
      ),
      { numRuns: 500 },
    );
  });
});
