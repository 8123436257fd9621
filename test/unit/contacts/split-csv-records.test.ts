import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CsvRecordSink,
  CsvRecordSplitter,
  type OverlongRecord,
} from '../../../functions/contacts/split-csv-records.js';

type Event =
  | { record: string; line: number; quoted: boolean }
  | { overlong: OverlongRecord }
  | { unclosed: string; line: number };

function cut(chunks: string[], maxLineLength = 1000) {
  const splitter = new CsvRecordSplitter(',', maxLineLength);
  const events: Event[] = [];
  const sink: CsvRecordSink = {
    record: (source, start, end, line, quoted) =>
      events.push({ record: source.slice(start, end), line, quoted }),
    overlong: (overlong) => events.push({ overlong }),
    unclosed: (unclosed, line) => events.push({ unclosed, line }),
  };
  for (const chunk of chunks) splitter.push(chunk, sink);
  splitter.end(sink);
  const records = events.flatMap((e) => ('record' in e ? [e] : []));
  return {
    events,
    records,
    entries: events.map((e) => ('overlong' in e ? e.overlong : e.line)),
    unclosedQuote: events.some((e) => 'unclosed' in e),
  };
}

/** A record's cells as the headered parser takes them: split when unquoted, else csv-parse. */
function cells(record: { record: string; quoted: boolean }): string[] {
  return record.quoted
    ? (parse(record.record, CSV_OPTIONS) as string[][])[0]!
    : record.record.split(',');
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
    expect(result.records.map((r) => r.record)).toEqual(['a,b', 'c,d']);
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
    expect(result.events[1]).toEqual({ unclosed: '"open,1\n2\n', line: 2 });
  });

  it('cuts the text into the records csv-parse finds, however it arrives in chunks', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\r', '\n'), maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (text, cuts) => {
          const whole = cut([text]);
          const pieces = cut(chunked(text, cuts));
          expect(pieces.events).toEqual(whole.events);
          for (const record of whole.records) {
            if (!record.quoted) expect(record.record).not.toContain('"');
          }
          if (whole.unclosedQuote) return;
          const records = parse(text, CSV_OPTIONS) as string[][];
          expect(whole.records.length).toBe(records.length);
          expect(whole.records.map(cells)).toEqual(records);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports the same records and overlong ones whatever the chunks, with a small limit', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n'), maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer({ min: 1, max: 12 }),
        (text, cuts, limit) => {
          const whole = cut([text], limit);
          expect(cut(chunked(text, cuts), limit).events).toEqual(whole.events);
          for (const record of whole.records)
            expect(record.record.length).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 500 },
    );
  });
});
