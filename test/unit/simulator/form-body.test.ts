import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Base64Decoder } from '../../../simulator/base-record.js';
import { type FieldSink, FormParser, formDecode } from '../../../simulator/form-body.js';

/** Feeds `bytes` to `write` in pieces cut at `cuts` (positions, any order, duplicates allowed). */
function inPieces(bytes: Buffer, cuts: readonly number[], write: (piece: Buffer) => void): void {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let start = 0;
  for (const cut of [...at, bytes.length]) {
    write(bytes.subarray(start, cut));
    start = cut;
  }
}

/** What URLSearchParams reads: the first value of each name. */
function firstValues(body: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (!fields.has(name)) fields.set(name, value);
  }
  return fields;
}

/**
 * ASCII only: Node's URLSearchParams, the oracle, misreads a raw non-ASCII character next to an
 * invalid escape (it truncates the character to one byte); real servers decode bytes.
 */
const formText = fc.stringMatching(/^[a-zA-Z0-9=&%+ .2BFDe-]{0,60}$/);

describe('FormParser', () => {
  it('reads any body as URLSearchParams does, wherever the network cuts it', () => {
    fc.assert(
      fc.property(formText, fc.array(fc.nat(), { maxLength: 6 }), (body, cuts) => {
        const parser = new FormParser({});
        inPieces(Buffer.from(body), cuts, (piece) => parser.write(piece));
        parser.end();
        expect(parser.fields).toEqual(firstValues(body));
      }),
      { numRuns: 2000 },
    );
  });

  it('hands a streamed field to its sink decoded, and keeps the others', () => {
    fc.assert(
      fc.property(
        formText,
        formText,
        fc.array(fc.nat(), { maxLength: 8 }),
        (value, other, cuts) => {
          const body = `a=1&file=${value}&b=${other}&file=ignored`;
          const received: Buffer[] = [];
          const sink: FieldSink = { write: (piece) => received.push(Buffer.from(piece)) };
          const parser = new FormParser({ file: () => sink });
          inPieces(Buffer.from(body), cuts, (piece) => parser.write(piece));
          parser.end();
          const expected = firstValues(body);
          expect(Buffer.concat(received).toString('utf8')).toBe(expected.get('file'));
          expected.delete('file');
          expect(parser.fields).toEqual(expected);
          expect([...parser.streamed]).toEqual(['file']);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('decodes escapes, plus signs and stray percent signs as a form does', () => {
    expect(formDecode(Buffer.from('a%2Bb+c%3d%zz%4')).toString()).toBe('a+b c=%zz%4');
    expect(formDecode(Buffer.from('%C3%B1ñ')).toString()).toBe('ññ');
    expect(formDecode(Buffer.from('%eFñ')).toString()).toBe('\ufffdñ');
  });
});

describe('Base64Decoder', () => {
  const decodeInPieces = (value: string, cuts: readonly number[], keepText = true) => {
    const decoder = new Base64Decoder(keepText);
    inPieces(Buffer.from(value, 'latin1'), cuts, (piece) => decoder.write(piece));
    return decoder.end();
  };
  /** The records as splitting the text on `\n` gives them, without a `\r` that ends one. */
  const splitRecords = (text: string) =>
    text === '' ? [] : text.split('\n').map((record) => record.replace(/\r$/, ''));

  it('splits a base into records as uContact would, an empty last record included', () => {
    const cases: [string, number, boolean][] = [
      ['', 0, false],
      ['a;1', 1, false],
      ['a;1\nb;2', 2, false],
      ['a;1\nb;2\n', 3, true],
      ['a;1\r\nb;2\r\n', 3, true],
      ['a;1\r\nb;2\r', 2, false],
      ['a;1\n\r', 2, true],
      ['a;1\n\nb;2', 3, false],
      ['\n', 2, true],
    ];
    for (const [text, records, emptyLastRecord] of cases) {
      for (const cut of [0, 1, 2, 3, 4, 5, 6, 7, 8]) {
        expect(decodeInPieces(Buffer.from(text).toString('base64'), [cut])).toMatchObject({
          valid: true,
          records,
          emptyLastRecord,
        });
      }
    }
  });

  it('gives the bytes, hash and records of any base64, in any pieces', () => {
    const lines = fc.array(fc.constantFrom('', '\r', 'a;099;x=ñ', '€;\r', '\r\r', 'Ventas;1'), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(lines, fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), (parts, end, cuts) => {
        const text = parts.join('\n') + (end ? '\n' : '');
        const bytes = Buffer.from(text, 'utf8');
        const decoded = decodeInPieces(bytes.toString('base64'), cuts);
        const records = splitRecords(text);
        expect(decoded).toEqual({
          valid: true,
          records: records.length,
          emptyLastRecord: records.at(-1) === '',
          sha256: createHash('sha256').update(bytes).digest('hex'),
          text,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly what the plain base64 rule accepts', () => {
    const rule = (value: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 !== 1;
    fc.assert(
      fc.property(
        fc.stringMatching(/^[QUJD+/=_ -]{0,12}$/),
        fc.array(fc.nat(), { maxLength: 4 }),
        (value, cuts) => {
          const decoded = decodeInPieces(value, cuts);
          expect(decoded.valid).toBe(rule(value));
          if (decoded.valid) {
            expect(decoded.sha256).toBe(
              createHash('sha256').update(Buffer.from(value, 'base64')).digest('hex'),
            );
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps no text unless asked', () => {
    const decoded = decodeInPieces(Buffer.from('a\nb').toString('base64'), [3], false);
    expect(decoded).toMatchObject({ valid: true, records: 2, emptyLastRecord: false, text: '' });
  });
});
