import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CsvRecordSink,
  CsvRecordSplitter,
  type OverlongRecord,
  type UnmatchedQuote,
} from '../../../functions/contacts/split-csv-records.js';
import { readsAsRow } from '../../../functions/contacts/stray-quote.js';

type Event =
  | { record: string; line: number; quoted: boolean }
  | { overlong: OverlongRecord }
  | { unmatched: UnmatchedQuote };

/** Judges lines as the headered parser does for a header `phone,a,b`. */
const looksLikeRow = (line: string) => readsAsRow(line, ',', { columns: 3, phone: 0 });

function cut(chunks: string[], maxLineLength = 1000, judge?: (line: string) => boolean) {
  const splitter = new CsvRecordSplitter(',', maxLineLength);
  const events: Event[] = [];
  const sink: CsvRecordSink = {
    record: (source, start, end, line, quoted) =>
      events.push({ record: source.slice(start, end), line, quoted }),
    overlong: (overlong) => events.push({ overlong }),
    unmatchedQuote: (unmatched) => events.push({ unmatched }),
    ...(judge ? { looksLikeRow: judge } : {}),
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
    splitter,
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

/**
 * Rows `phone,a,b` of a well-formed file: a phone number, then cells whose every line starts with
 * a letter (so none reads as a row), holding delimiters, quotes and line breaks.
 */
const cellText = fc
  .array(
    fc.tuple(
      fc.constantFrom('a', 'b'),
      fc.string({ unit: fc.constantFrom('a', ' ', ',', '"'), maxLength: 6 }),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .chain((lines) =>
    fc.constantFrom('\n', '\r\n').map((end) => lines.map(([a, b]) => a + b).join(end)),
  );
const table = fc.array(
  fc
    .tuple(fc.integer({ min: 0, max: 9_999_999 }), cellText, cellText)
    .map(([n, a, b]) => [`09${String(n).padStart(7, '0')}`, a, b]),
  { minLength: 1, maxLength: 6 },
);

function quoted(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
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
        unmatched: { line: 2, quoteLine: 2, quoteColumn: 3, text: 'x,"open,1', reason: 'end' },
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
          unmatched: { line: 2, quoteLine: 2, quoteColumn: 3, text: '1,"y', reason: 'limit' },
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
        { unmatched: { line: 1, quoteLine: 1, quoteColumn: 3, text: 'a,"x', reason: 'limit' } },
        { overlong: { line: 2, lastLine: 2, text: closed.slice(0, 16_384), unclosedQuote: false } },
        { record: 'b,c', line: 3, quoted: false },
      ]);
    }
  });

  // As above: quadratic reading would take hours here.
  it('reads two megabytes of stray quotes and of lines after one in one pass', {
    timeout: 60_000,
  }, () => {
    const kinds = (events: Event[]) => {
      const count = { record: 0, overlong: 0, unmatched: 0 };
      for (const e of events)
        count['record' in e ? 'record' : 'overlong' in e ? 'overlong' : 'unmatched']++;
      return count;
    };
    const strays = `phone,a,b\n${'0991112222,"Perez, Juan\n'.repeat(80_000)}`;
    const afterOne = `phone,a,b\n099111222,"x\n${'a, b\n'.repeat(400_000)}`;
    for (const chunks of [[strays], chunked(strays, range(64 * 1024, strays.length))]) {
      const { events } = cut(chunks, 16_384, looksLikeRow);
      expect(kinds(events)).toEqual({ record: 1, overlong: 0, unmatched: 80_000 });
      expect(events.at(-1)).toMatchObject({ unmatched: { line: 80_001, reason: 'end' } });
    }
    for (const chunks of [[afterOne], chunked(afterOne, range(64 * 1024, afterOne.length))]) {
      const { events } = cut(chunks, 16_384, looksLikeRow);
      expect(kinds(events)).toEqual({ record: 400_001, overlong: 0, unmatched: 1 });
      expect(events[1]).toMatchObject({ unmatched: { line: 2, reason: 'limit' } });
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

  it('takes a quote for a stray one at the first line its cell runs into that reads as a row', () => {
    const text = 'phone,a,b\r\n099111222,"Perez\r\nJuan\r\n099111333,x,y\r\n099111444,"z"\r\n';
    for (const chunks of [[text], chunked(text, [12, 28, 29, 33, 50])]) {
      expect(cut(chunks, 1000, looksLikeRow).events).toEqual([
        { record: 'phone,a,b', line: 1, quoted: false },
        {
          unmatched: {
            line: 2,
            quoteLine: 2,
            quoteColumn: 11,
            text: '099111222,"Perez',
            reason: 'row',
            rowLine: 4,
          },
        },
        { record: 'Juan', line: 3, quoted: false },
        { record: '099111333,x,y', line: 4, quoted: false },
        { record: '099111444,"z"', line: 5, quoted: true },
      ]);
    }
  });

  it('judges a line whose cell closed on it but not as a cell closes, and only such lines', () => {
    // The cell opened on line 2 closes before `L` on line 3, which reads as a row; on line 5 a
    // cell closes before a delimiter: that line is not judged, though it holds a phone number.
    const text = 'phone,a,b\n1,"x\n099111333,"Lopez",y\nn,"addr\nApto 5",099111444\n';
    expect(cut([text], 1000, looksLikeRow).events).toEqual([
      { record: 'phone,a,b', line: 1, quoted: false },
      {
        unmatched: {
          line: 2,
          quoteLine: 2,
          quoteColumn: 3,
          text: '1,"x',
          reason: 'row',
          rowLine: 3,
        },
      },
      { record: '099111333,"Lopez",y', line: 3, quoted: true },
      { record: 'n,"addr\nApto 5",099111444', line: 4, quoted: true },
    ]);
  });

  it('reads the rows around a stray quote as csv-parse reads them without it, whatever the chunks', () => {
    fc.assert(
      fc.property(
        table,
        fc.option(fc.nat()),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, strayAt, lineEnd, finalBreak, cuts) => {
          const stray = strayAt === null ? -1 : strayAt % rows.length;
          const texts = rows.map((row, i) =>
            (i === stray ? [...row.slice(0, 2).map(quoted), '"open'] : row.map(quoted)).join(','),
          );
          const text = ['phone,a,b', ...texts].join(lineEnd) + (finalBreak ? lineEnd : '');
          const whole = cut([text], 1000, looksLikeRow);
          expect(cut(chunked(text, cuts), 1000, looksLikeRow).events).toEqual(whole.events);
          const kept = rows.filter((_, i) => i !== stray);
          const expected = parse(
            ['phone,a,b', ...kept.map((row) => row.map(quoted).join(','))].join('\n'),
            CSV_OPTIONS,
          ) as string[][];
          expect(whole.records.map(cells)).toEqual(expected);
          let line = 2;
          const starts = texts.map((row) => {
            const start = line;
            line += 1 + (row.match(/\r\n|\n/g)?.length ?? 0);
            return start;
          });
          expect(whole.records.map((r) => r.line)).toEqual([
            1,
            ...starts.filter((_, i) => i !== stray),
          ]);
          const unmatched = whole.events.flatMap((e) => ('unmatched' in e ? [e.unmatched] : []));
          if (stray === -1) {
            expect(unmatched).toEqual([]);
            return;
          }
          const last = stray === rows.length - 1;
          expect(unmatched).toEqual([
            expect.objectContaining({
              line: starts[stray],
              quoteLine: starts[stray]! + (texts[stray]!.match(/\r\n|\n/g)?.length ?? 0),
              reason: last ? 'end' : 'row',
            }),
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
