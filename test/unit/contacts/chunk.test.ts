import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Chunk,
  Chunker,
  formEncodedBase64Length,
  REQUEST_OVERHEAD_RESERVE,
} from '../../../functions/contacts/chunk.js';
import { InvalidOptionsError, UnchunkableLineError } from '../../../functions/contacts/errors.js';
import { DEFAULT_CHUNK_CEILINGS } from '../../../functions/contacts/options.js';

/** What the upload client will really send for `fileb64`, measured the slow way. */
function realFieldLength(text: string): number {
  const body = new URLSearchParams({ fileb64: Buffer.from(text).toString('base64') }).toString();
  return body.length - 'fileb64='.length;
}

function chunkAll(lines: readonly string[], chunker: Chunker): Chunk[] {
  const chunks: Chunk[] = [];
  for (const line of lines) {
    const done = chunker.add(line);
    if (done) chunks.push(done);
  }
  const last = chunker.finish();
  if (last) chunks.push(last);
  return chunks;
}

describe('formEncodedBase64Length', () => {
  it('counts + / and = padding as three bytes each', () => {
    for (const text of ['', 'a', 'ab', 'abc', '>>>', '???~', '\u00ff\u00fe', 'ñandú €', '🙂;x']) {
      expect(formEncodedBase64Length(Buffer.from(text))).toBe(realFieldLength(text));
    }
  });

  it('matches URLSearchParams for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const body = new URLSearchParams({ fileb64: Buffer.from(bytes).toString('base64') });
        expect(formEncodedBase64Length(bytes)).toBe(body.toString().length - 'fileb64='.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Chunker', () => {
  it('puts everything in one chunk under the default ceilings', () => {
    const chunks = chunkAll(
      ['DialerTest<-;098344484;;;9999;', 'DialerTest<-;099124484;;;9999;'],
      new Chunker(DEFAULT_CHUNK_CEILINGS),
    );
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({
      part: 1,
      records: 2,
      bytes: 61,
      text: 'DialerTest<-;098344484;;;9999;\nDialerTest<-;099124484;;;9999;',
    });
  });

  it('ends the text with the last line, not a line break, however short the lines', () => {
    // Every line of up to 3 of these characters, alone and after another: the chunk's size in
    // bytes modulo 3 and a `+` or `/` next to where the last line break would be take every value.
    const alphabet = ['a', '?', '~', '\u00ff', '€'];
    const lines = [''];
    for (let length = 1; length <= 3; length++) {
      for (const shorter of lines.filter((l) => [...l].length === length - 1)) {
        for (const c of alphabet) lines.push(shorter + c);
      }
    }
    const limits = { maxRecords: 2, maxRequestBytes: REQUEST_OVERHEAD_RESERVE + 100 };
    for (const first of lines.slice(0, 31)) {
      for (const second of lines) {
        for (const group of [[second], [first, second]]) {
          const [chunk] = chunkAll(group, new Chunker(limits));
          expect(chunk!.text).toBe(group.join('\n'));
          expect(chunk!.bytes).toBe(Buffer.byteLength(group.join('\n')));
          expect(chunk!.requestBytes).toBe(
            realFieldLength(group.join('\n')) + REQUEST_OVERHEAD_RESERVE,
          );
        }
      }
    }
  });

  it('starts a new chunk when the record ceiling is reached', () => {
    const lines = Array.from({ length: 7 }, (_, i) => `C;09834448${i};;;9999;`);
    const chunks = chunkAll(lines, new Chunker({ maxRecords: 3, maxRequestBytes: 1024 ** 2 }));
    expect(chunks.map((c) => c.records)).toEqual([3, 3, 1]);
    expect(chunks.map((c) => c.part)).toEqual([1, 2, 3]);
  });

  it('returns nothing from finish when no line is waiting', () => {
    expect(new Chunker(DEFAULT_CHUNK_CEILINGS).finish()).toBeUndefined();
  });

  it('refuses a line that cannot fit an empty chunk, and a line holding a line break', () => {
    const chunker = new Chunker({
      maxRecords: 10,
      maxRequestBytes: REQUEST_OVERHEAD_RESERVE + 100,
    });
    expect(() => chunker.add('x'.repeat(200))).toThrow(UnchunkableLineError);
    expect(() => chunker.add('a\nb')).toThrow(UnchunkableLineError);
    expect(chunker.add('short')).toBeUndefined();
    expect(chunker.finish()).toMatchObject({ part: 1, records: 1, bytes: 5, text: 'short' });
  });

  it('refuses ceilings that leave no room for a line', () => {
    expect(() => new Chunker({ maxRecords: 0, maxRequestBytes: 1024 ** 2 })).toThrow(
      InvalidOptionsError,
    );
    expect(() => new Chunker({ maxRecords: 5, maxRequestBytes: REQUEST_OVERHEAD_RESERVE })).toThrow(
      InvalidOptionsError,
    );
  });

  it('knows each request size exactly and keeps every ceiling, for any lines', () => {
    const unit = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('0', '9', ';', ':', '=', 'a', 'Z', ' ') },
      { weight: 3, arbitrary: fc.constantFrom('>', '?', '~', '\u007f') },
      { weight: 2, arbitrary: fc.constantFrom('á', 'ñ', 'Ü', '€', '\u07ff', '\uffff') },
      { weight: 1, arbitrary: fc.constantFrom('🙂', '𝄞', '\ud800', '\udfff') },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    );
    const plain = fc.string({
      unit: fc.constantFrom('0', '9', ';', ':', '=', 'a', ' '),
      maxLength: 80,
    });
    const line = fc.oneof(plain, fc.string({ unit, maxLength: 80 }));
    const ceilings = fc.record({
      maxRecords: fc.integer({ min: 1, max: 20 }),
      maxRequestBytes: fc.integer({
        min: REQUEST_OVERHEAD_RESERVE + 450,
        max: REQUEST_OVERHEAD_RESERVE + 3000,
      }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 120 }), ceilings, (lines, limits) => {
        const chunks = chunkAll(lines, new Chunker(limits));
        expect(chunks.map((c) => c.part)).toEqual(chunks.map((_, i) => i + 1));
        expect(chunks.flatMap((c) => c.text.split('\n'))).toEqual(lines);
        for (const chunk of chunks) {
          expect(chunk.requestBytes).toBe(realFieldLength(chunk.text) + REQUEST_OVERHEAD_RESERVE);
          expect(chunk.requestBytes).toBeLessThanOrEqual(limits.maxRequestBytes);
          expect(chunk.records).toBeLessThanOrEqual(limits.maxRecords);
          expect(chunk.records).toBeGreaterThan(0);
          expect(chunk.text.split('\n')).toHaveLength(chunk.records);
          expect(chunk.bytes).toBe(Buffer.byteLength(chunk.text));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('writes the same bytes as its text into a reused buffer, without joining the lines', () => {
    const unit = fc.constantFrom('0', ';', '=', 'a', 'ñ', '€', '🙂', '\ud800', '\udfff');
    const limits = { maxRecords: 7, maxRequestBytes: REQUEST_OVERHEAD_RESERVE + 2000 };
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 60 }), { maxLength: 60 }), (lines) => {
        const encoded = chunkAll(lines, new Chunker(limits));
        const joined = chunkAll(lines, new Chunker(limits));
        const reused = Buffer.alloc(4096, 0xff);
        encoded.forEach((chunk, i) => {
          const length = chunk.encodeInto(reused);
          expect(length).toBe(chunk.bytes);
          expect(reused.subarray(0, length)).toEqual(Buffer.from(joined[i]!.text));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('writes no line break after the last line, into a buffer of exactly its bytes', () => {
    const unit = fc.constantFrom('0', ';', 'ñ', '🙂');
    const limits = { maxRecords: 5, maxRequestBytes: REQUEST_OVERHEAD_RESERVE + 500 };
    fc.assert(
      fc.property(fc.array(fc.string({ unit, minLength: 1, maxLength: 20 })), (lines) => {
        for (const chunk of chunkAll(lines, new Chunker(limits))) {
          const target = Buffer.alloc(chunk.bytes + 1, 0xff);
          expect(chunk.encodeInto(target.subarray(0, chunk.bytes))).toBe(chunk.bytes);
          expect(target[chunk.bytes]).toBe(0xff);
          expect(target.subarray(0, chunk.bytes).toString()).toBe(chunk.text);
          expect(chunk.text.endsWith('\n')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('cuts exactly where measuring every line with URLSearchParams would cut', () => {
    const unit = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('0', '9', ';', ':', '=', 'a', 'Z', ' ') },
      { weight: 2, arbitrary: fc.constantFrom('>', '?', '~', '\u007f', '/', 'O', '_', 'o') },
      { weight: 2, arbitrary: fc.constantFrom('\u000f', '\u001f', '¯', 'Ï', 'ß', 'ï', '¿', 'ÿ') },
      { weight: 3, arbitrary: fc.constantFrom('á', 'ñ', 'Ü', '¾', 'þ', '€', '\u07ff', '\uffff') },
      { weight: 1, arbitrary: fc.constantFrom('🙂', '\ud800', '\udfff') },
    );
    const ceilings = fc.record({
      maxRecords: fc.integer({ min: 1, max: 60 }),
      maxRequestBytes: fc.integer({
        min: REQUEST_OVERHEAD_RESERVE + 1000,
        max: REQUEST_OVERHEAD_RESERVE + 4000,
      }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, maxLength: 60 }), { maxLength: 200 }),
        ceilings,
        (lines, limits) => {
          const expected: string[] = [];
          let text = '';
          let records = 0;
          for (const line of lines) {
            const longer = records === 0 ? line : `${text}\n${line}`;
            const fits =
              realFieldLength(longer) + REQUEST_OVERHEAD_RESERVE <= limits.maxRequestBytes;
            if (records < limits.maxRecords && fits) {
              text = longer;
              records++;
            } else {
              if (records > 0) expected.push(text);
              text = line;
              records = 1;
            }
          }
          if (records > 0) expected.push(text);
          expect(chunkAll(lines, new Chunker(limits)).map((c) => c.text)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('fills chunks up to the byte ceiling before starting the next', () => {
    const lines = Array.from(
      { length: 2000 },
      (_, i) => `DialerTest<-;0983${String(i).padStart(5, '0')};nombre=José>?~;;9999;`,
    );
    const maxRequestBytes = REQUEST_OVERHEAD_RESERVE + 20_000;
    const chunks = chunkAll(lines, new Chunker({ maxRecords: 100_000, maxRequestBytes }));
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.requestBytes).toBeLessThanOrEqual(maxRequestBytes);
      expect(chunk.requestBytes).toBeGreaterThan(maxRequestBytes - 200);
    }
  });
});
