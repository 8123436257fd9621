import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../functions/contacts/split-lines.js';

function split(chunks: string[], maxLineLength = 1000) {
  const splitter = new LineSplitter(maxLineLength);
  const lines: Array<{ line: number; text: string; tooLong: boolean }> = [];
  const drain = () => {
    for (let text = splitter.next(); text !== undefined; text = splitter.next()) {
      lines.push({ line: splitter.line, text, tooLong: splitter.tooLong });
    }
  };
  for (const chunk of chunks) {
    splitter.push(chunk);
    drain();
  }
  splitter.end();
  drain();
  return lines;
}

describe('LineSplitter', () => {
  it('ends lines at CRLF, LF and CR alike', () => {
    expect(split(['a\r\nb\nc\rd']).map((l) => [l.line, l.text])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ]);
  });

  it('skips blank lines but counts them in line numbers', () => {
    expect(split(['\n a\n  \r\n\t\nb\n\n\n']).map((l) => [l.line, l.text])).toEqual([
      [2, ' a'],
      [5, 'b'],
    ]);
  });

  it('counts the blank lines it skips and knows the number of the last line', () => {
    const cases: Array<[string[], number]> = [
      [['\n a\n  \r\n\t\nb\n\n\n'], 7],
      [['\n a\n  \r', '\n\t\nb\n\n', '\nlast'], 8],
    ];
    for (const [chunks, lastLine] of cases) {
      const splitter = new LineSplitter(1000);
      for (const chunk of chunks) {
        splitter.push(chunk);
        while (splitter.next() !== undefined);
      }
      splitter.end();
      while (splitter.next() !== undefined);
      expect([splitter.blank, splitter.lastLine]).toEqual([5, lastLine]);
    }
  });

  it('treats a CRLF split between two chunks as one line break', () => {
    expect(split(['a\r', '\nb\r', 'c']).map((l) => [l.line, l.text])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  it('joins a line split across chunks', () => {
    expect(split(['Camp;09', '9111', '222;;;9999\n']).map((l) => l.text)).toEqual([
      'Camp;099111222;;;9999',
    ]);
  });

  it('cuts a line longer than the limit and marks it, even across chunks', () => {
    const lines = split(['ok\n', 'x'.repeat(8), 'x'.repeat(8), 'x\nnext\n'], 10);
    expect(lines).toEqual([
      { line: 1, text: 'ok', tooLong: false },
      { line: 2, text: 'x'.repeat(10), tooLong: true },
      { line: 3, text: 'next', tooLong: false },
    ]);
  });

  it('gives the same lines however the text is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\r', '\n', ';') }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (text, cuts) => {
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let last = 0;
          for (const p of points) {
            chunks.push(text.slice(last, p));
            last = p;
          }
          chunks.push(text.slice(last));
          const expected = text
            .split(/\r\n|\r|\n/)
            .map((t, i) => ({ line: i + 1, text: t, tooLong: false }))
            .filter((l) => l.text.trim() !== '');
          expect(split(chunks)).toEqual(expected);
        },
      ),
    );
  });
});
