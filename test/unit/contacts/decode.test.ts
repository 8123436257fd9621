import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../functions/contacts/decode.js';
import { UnusableFileError } from '../../../functions/contacts/errors.js';
import { inPieces } from './run-engine.js';

async function decode(bytes: Uint8Array, sourceName = 'contacts.csv', pieceSize?: number) {
  const decoded = await decodeText(inPieces(bytes, pieceSize), { sourceName, maxFileBytes: 1e9 });
  let text = '';
  for (let next = await decoded.chunks.next(); !next.done; next = await decoded.chunks.next()) {
    text += next.value;
  }
  return { encoding: decoded.encoding, compression: decoded.compression, text };
}

async function refusal(promise: Promise<unknown>): Promise<UnusableFileError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnusableFileError);
  return error as UnusableFileError;
}

const ACCENTS = 'nombre;teléfono\nPeña;099111222\n';

describe('decodeText', () => {
  it('reads plain UTF-8', async () => {
    expect(await decode(Buffer.from(ACCENTS))).toEqual({
      encoding: 'utf-8',
      compression: 'none',
      text: ACCENTS,
    });
  });

  it('removes a UTF-8 BOM glued to the first header', async () => {
    const result = await decode(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ACCENTS)]),
    );
    expect(result.encoding).toBe('utf-8-bom');
    expect(result.text).toBe(ACCENTS);
  });

  it("reads Excel's Unicode text (UTF-16LE with BOM)", async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Nombre\tCelular\r\nPeña\t099\r\n', 'utf16le'),
    ]);
    expect(await decode(bytes, 'x.txt', 3)).toMatchObject({
      encoding: 'utf-16le',
      text: 'Nombre\tCelular\r\nPeña\t099\r\n',
    });
  });

  it('reads UTF-16BE with BOM', async () => {
    const le = Buffer.from('Nombre\tCelular\nJosé\t099\n', 'utf16le');
    const be = Buffer.from(le).swap16();
    const result = await decode(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'x.txt', 5);
    expect(result).toMatchObject({ encoding: 'utf-16be', text: 'Nombre\tCelular\nJosé\t099\n' });
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8, keeping accents', async () => {
    const bytes = Buffer.from('nombre,telefono\nPe\xf1a,099\nRam\xf3n \x80,098\n', 'latin1');
    expect(await decode(bytes)).toMatchObject({
      encoding: 'windows-1252',
      text: 'nombre,telefono\nPeña,099\nRamón €,098\n',
    });
  });

  it('reads a file mixing UTF-8 and Windows-1252 rows as UTF-8, the invalid bytes marked', async () => {
    const bytes = Buffer.concat([
      Buffer.from('nombre\nPe\xf1a\n', 'latin1'),
      Buffer.from('Peña\n', 'utf8'),
    ]);
    expect(await decode(bytes)).toMatchObject({
      encoding: 'utf-8',
      text: 'nombre\nPe\ufffda\nPeña\n',
    });
  });

  it('still calls a file UTF-8 when a multi-byte character is cut at the end of the sample', async () => {
    const bytes = Buffer.from(`${'a'.repeat(64 * 1024 - 1)}é\n`);
    const result = await decode(bytes, 'x.csv', 1000);
    expect(result.encoding).toBe('utf-8');
    expect(result.text.endsWith('aé\n')).toBe(true);
  });

  it('decodes characters split across stream chunks', async () => {
    expect((await decode(Buffer.from(ACCENTS), 'x.csv', 1)).text).toBe(ACCENTS);
  });

  it('gunzips a .gz file', async () => {
    const result = await decode(gzipSync(Buffer.from(ACCENTS)), 'contacts.csv.gz', 7);
    expect(result).toMatchObject({ compression: 'gzip', text: ACCENTS });
  });

  it('refuses a corrupt gzip file as BAD_COMPRESSION', async () => {
    const gz = gzipSync(Buffer.from(ACCENTS.repeat(100)));
    const error = await refusal(decode(gz.subarray(0, gz.length - 20), 'contacts.csv.gz'));
    expect(error.code).toBe('BAD_COMPRESSION');
  });

  it('refuses a .gz name on a file that is not gzip as BAD_COMPRESSION', async () => {
    expect((await refusal(decode(Buffer.from(ACCENTS), 'contacts.csv.gz'))).code).toBe(
      'BAD_COMPRESSION',
    );
  });

  it('refuses an empty file as EMPTY_FILE', async () => {
    expect((await refusal(decode(new Uint8Array(0)))).code).toBe('EMPTY_FILE');
  });

  it('refuses an xlsx workbook as BINARY_FILE and says to export it as CSV', async () => {
    const error = await refusal(decode(Buffer.from('PK\x03\x04\x14\x00\x06\x00rest', 'latin1')));
    expect(error.code).toBe('BINARY_FILE');
    expect(error.message).toMatch(/xlsx.*CSV/);
  });

  it('refuses an old .xls workbook as BINARY_FILE and says to export it as CSV', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 1, 2]);
    const error = await refusal(decode(ole));
    expect(error.code).toBe('BINARY_FILE');
    expect(error.message).toMatch(/\.xls\b.*CSV/);
  });

  it('reads text with a few NUL and control bytes as text, the bytes kept for their rows', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `Ana ${i};099${100000 + i}\n`);
    rows[10] = 'An\0a;099000010\n';
    rows[200] = 'Ana;0990\x01\x7f00200\n';
    const text = `nombre;telefono\n${rows.join('')}`;
    expect(await decode(Buffer.from(text))).toEqual({
      encoding: 'utf-8',
      compression: 'none',
      text,
    });
  });

  it('refuses a file with more than 1% NUL bytes as BINARY_FILE', async () => {
    // 11 NULs in 1,000 bytes: a database page, not text with a stray byte.
    const bytes = Buffer.alloc(1000, 'a');
    for (let i = 0; i < 11; i++) bytes[i * 90] = 0;
    const error = await refusal(decode(bytes));
    expect(error.code).toBe('BINARY_FILE');
    expect(error.message).toMatch(/NUL or control bytes to be text.*CSV/);
    bytes[0] = 0x61;
    expect((await decode(bytes)).encoding).toBe('utf-8');
  });

  it('refuses a file with more than 10% control bytes as BINARY_FILE, as compressed data has', async () => {
    const bytes = Buffer.alloc(1000, 'a');
    for (let i = 0; i < 101; i++) bytes[i * 9 + 1] = i % 2 === 0 ? 0x01 : 0x7f;
    expect((await refusal(decode(bytes))).code).toBe('BINARY_FILE');
    bytes[1] = 0x61;
    expect((await decode(bytes)).encoding).toBe('utf-8');
  });

  it('refuses random bytes as BINARY_FILE', async () => {
    const bytes = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 251));
    expect((await refusal(decode(bytes))).code).toBe('BINARY_FILE');
  });

  it('tells the encoding from exactly the first 64 KiB, however the bytes arrive', async () => {
    // A UTF-8 accent just past the first 64 KiB: the file is Windows-1252 and the accent
    // is marked as an invalid byte, whether the first chunk ends before it or holds it all.
    const head = Buffer.from(`Pe\xf1a;${'x'.repeat(64 * 1024 - 8)}\n`, 'latin1');
    const bytes = Buffer.concat([head, Buffer.from('José\n')]);
    for (const pieceSize of [1, 4096, 64 * 1024, 64 * 1024 + 1, bytes.length]) {
      const result = await decode(bytes, 'x.csv', pieceSize);
      expect(result.encoding).toBe('windows-1252');
      expect(result.text.endsWith('\nJos\ufffd\n')).toBe(true);
    }
  });

  it('refuses bytes that are no known text encoding as BAD_ENCODING', async () => {
    const bytes = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0x81 : 0x61)));
    expect((await refusal(decode(bytes))).code).toBe('BAD_ENCODING');
  });

  it('refuses a file over the size limit, and stops reading there', async () => {
    let pieces = 0;
    async function* endless() {
      for (;;) {
        pieces++;
        yield Buffer.from('Camp<-;099111222;;;9999;\n'.repeat(100));
      }
    }
    const decoded = await decodeText(endless(), { sourceName: 'x.csv', maxFileBytes: 100_000 });
    const reading = (async () => {
      for (let n = await decoded.chunks.next(); !n.done; n = await decoded.chunks.next()) {}
    })();
    expect((await refusal(reading)).code).toBe('FILE_TOO_LARGE');
    expect(pieces).toBeLessThan(50);
  });

  it('counts the size limit after decompression', async () => {
    const bomb = gzipSync(Buffer.alloc(10_000_000, 'a'));
    const decoded = decodeText(inPieces(bomb, 1000), {
      sourceName: 'x.csv.gz',
      maxFileBytes: 1_000_000,
    });
    const reading = decoded.then(async ({ chunks }) => {
      for (let n = await chunks.next(); !n.done; n = await chunks.next()) {}
    });
    expect((await refusal(reading)).code).toBe('FILE_TOO_LARGE');
  });

  it('refuses a gzip of one repeated line as soon as its decompressed size passes the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(32_000_000, 'Ventas;099123456;;1;nombre=Ana\n'));
    let read = 0;
    const decoded = decodeText(inPieces(bomb, 512), {
      sourceName: 'x.csv.gz',
      maxFileBytes: 1_000_000,
      onProgress: (bytes) => {
        read = bytes;
      },
    });
    const reading = decoded.then(async ({ chunks }) => {
      for (let n = await chunks.next(); !n.done; n = await chunks.next()) {}
    });
    expect((await refusal(reading)).code).toBe('FILE_TOO_LARGE');
    // 1 MB of text is a thirty-second of what the stream holds: the rest is never read.
    expect(read).toBeLessThan(bomb.length / 4);
  });
});
