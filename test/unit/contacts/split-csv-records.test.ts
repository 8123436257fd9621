import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CsvRecordSink,
  CsvRecordSplitter,
  type OverlongRecord,
  type UnmatchedQuote,
} from '../../../functions/contacts/split-csv-records.js';

type Event =
  | { record: string; line: number; quoted: boolean }
  | { overlong: OverlongRecord }
  | { unmatched: UnmatchedQuote };

function cut(chunks: string[], maxLineLength = 1000) {
  const splitter = new CsvRecordSplitter(',', maxLineLength);
  const events: Event[] = [];
  const sink: CsvRecordSink = {
    record: (source, start, end, line, quoted) =>
      events.push({ record: source.slice(start, end), line, quoted }),
    overlong: (overlong) => events.push({ overlong }),
    unmatchedQuote: (unmatched) => events.push({ unmatched }),
  };
  for (const chunk of chunks) splitter.push(chunk, sink);
  splitter.end(sink);
  const records = events.flatMap((e) => ('record' in e ? [e] : []));
  return {
    events,
    records,
    entries: events.map((e) =>
      'overlong' in e ? e.overlong : 'unmatched' in e ? e.unmatched.line : e.line,
    ),
    unclosedQuote: events.some((e) => 'unmatched' in e),
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

/** Every multiple of `step` below `end`. */
function range(step: number, end: number): number[] {
  return Array.from({ length: Math.ceil(end / step) }, (_, i) => i * step);
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

  it("ends a record whose quote is left open at the end of the file with the quote's line, and reads on", () => {
    const text = 'a,b\nx,"open,1\n2\n3';
    const result = cut([text]);
    expect(result.events).toEqual([
      { record: 'a,b', line: 1, quoted: false },
      {
        unmatched: { line: 2, quoteLine: 2, quoteColumn: 3, text: 'x,"open,1', atEnd: true },
      },
      { record: '2', line: 3, quoted: false },
      { record: '3', line: 4, quoted: false },
    ]);
  });

  it("ends a record whose open quote runs past the limit with the quote's line, and reads on", () => {
    const rows = Array.from({ length: 40 }, (_, i) => `r${i},x`);
    const text = `a,b\r\n1,"y\r\n${rows.join('\r\n')}\r\n`;
    for (const chunks of [[text], chunked(text, [5, 17, 90, 200])]) {
      const result = cut(chunks, 100);
      expect(result.events.slice(0, 3)).toEqual([
        { record: 'a,b', line: 1, quoted: false },
        {
          unmatched: { line: 2, quoteLine: 2, quoteColumn: 3, text: '1,"y', atEnd: false },
        },
        { record: 'r0,x', line: 3, quoted: false },
      ]);
      expect(result.records.map((r) => r.record)).toEqual(['a,b', ...rows]);
    }
  });

  it('refuses a quoted cell running past the limit on its own line as too long, and reads on', () => {
    const text = `a,b\n1,"${'x'.repeat(30)}\n2,y\n`;
    const result = cut([text], 10);
    expect(result.events).toEqual([
      { record: 'a,b', line: 1, quoted: false },
      {
        overlong: { line: 2, lastLine: 2, text: `1,"${'x'.repeat(7)}`, unclosedQuote: true },
      },
      { record: '2,y', line: 3, quoted: false },
    ]);
  });

  // Not a timing test: read quadratically, these inputs take hours, far beyond the timeout.
  it('reads long runs of quotes in one pass, however it arrives in chunks', {
    timeout: 60_000,
  }, () => {
    const inOne = (text: string) => [text];
    const inSmall = (text: string) => chunked(text, range(64 * 1024, text.length));
    for (const pieces of [inOne, inSmall]) {
      const closed = '"'.repeat(2_000_000);
      expect(cut(pieces(closed), 16_384).events).toEqual([
        { overlong: { line: 1, lastLine: 1, text: closed.slice(0, 16_384), unclosedQuote: false } },
      ]);
      const open = `${closed}"`;
      expect(cut(pieces(open), 16_384).events).toEqual([
        { overlong: { line: 1, lastLine: 1, text: closed.slice(0, 16_384), unclosedQuote: true } },
      ]);
      const afterBreak = `a,"x\n${closed}\nb,c\n`;
      expect(cut(pieces(afterBreak), 16_384).events).toEqual([
        { unmatched: { line: 1, quoteLine: 1, quoteColumn: 3, text: 'a,"x', atEnd: false } },
        { overlong: { line: 2, lastLine: 2, text: closed.slice(0, 16_384), unclosedQuote: false } },
        { record: 'b,c', line: 3, quoted: false },
      ]);
    }
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
