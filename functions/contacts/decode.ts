import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import iconv from 'iconv-lite';
import { TextEncoding } from './contact.js';
import { UnusableFileError } from './errors.js';
import { FileRejectionCode } from './reason-codes.js';

/** What `decodeText` found out about the bytes, and the text they hold. */
export interface DecodedText {
  readonly encoding: TextEncoding;
  readonly compression: 'gzip' | 'none';
  /** UTF-16 text chunks in file order, any BOM removed. Invalid bytes decode to U+FFFD. */
  readonly chunks: AsyncIterator<string>;
}

export interface DecodeOptions {
  /** A name ending in `.gz` means gzip (gzip's magic bytes are also recognised). */
  readonly sourceName: string;
  /** Decompressed size above which the file is refused. */
  readonly maxFileBytes: number;
  /** Called with the count of source (possibly compressed) bytes read so far. */
  readonly onProgress?: (bytesRead: number) => void;
}

/** Invalid bytes decode to this; a line holding it is refused as BAD_ENCODING. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * The encoding and whether the file is text at all are told from exactly this many first bytes
 * (after decompression), or the whole file when it is shorter: never from how many bytes the
 * source happened to deliver in its first chunks.
 */
export const SAMPLE_BYTES = 64 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];
const MEBIBYTE = 1024 * 1024;

const EXPORT_AS_CSV = 'open it in the spreadsheet program and save it as "CSV UTF-8"';
const BINARY_SIGNATURES: ReadonlyArray<{
  readonly bytes: readonly number[];
  readonly what: string;
}> = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: `an Excel workbook (.xlsx) or zip archive: ${EXPORT_AS_CSV}`,
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: `an old Excel workbook (.xls): ${EXPORT_AS_CSV}`,
  },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document: export the contacts as CSV' },
  { bytes: [0x1f, 0x8b], what: 'compressed twice: decompress it once and upload the .csv.gz' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive: extract the CSV first' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive: extract the CSV first' },
];

/**
 * Turns a file's bytes into text: gunzips, detects the encoding from the first bytes and decodes.
 * Throws UnusableFileError (EMPTY_FILE, FILE_TOO_LARGE, BINARY_FILE, BAD_ENCODING,
 * BAD_COMPRESSION) when the file as a whole cannot be read; the size limit and a corrupt gzip
 * stream may also surface later, while the returned chunks are read.
 */
export async function decodeText(
  source: AsyncIterable<Uint8Array>,
  options: DecodeOptions,
): Promise<DecodedText> {
  const raw = countBytes(source, options.onProgress);
  const firstRaw = await peek(raw, GZIP_MAGIC.length);
  const gzip =
    options.sourceName.toLowerCase().endsWith('.gz') || startsWith(firstRaw.head, GZIP_MAGIC);
  const bytes = limitSize(
    gzip ? gunzip(firstRaw.iterable) : firstRaw.iterable,
    options.maxFileBytes,
  );
  const { head, iterable } = await peek(bytes, SAMPLE_BYTES);
  if (head.length === 0) {
    throw new UnusableFileError(FileRejectionCode.EmptyFile, 'The file is empty.');
  }
  // Exactly the first SAMPLE_BYTES, whatever the chunks held: the verdict cannot depend on them.
  const wholeFile = head.length <= SAMPLE_BYTES;
  const { encoding, bomLength } = detectEncoding(head.subarray(0, SAMPLE_BYTES), wholeFile);
  return {
    encoding,
    compression: gzip ? 'gzip' : 'none',
    chunks: decodeChunks(iterable, encoding, bomLength)[Symbol.asyncIterator](),
  };
}

/** Decides the encoding from a sample of the first bytes; throws for binary or undecodable data. */
export function detectEncoding(
  sample: Uint8Array,
  wholeFile: boolean,
): { encoding: TextEncoding; bomLength: number } {
  if (startsWith(sample, [0xef, 0xbb, 0xbf])) {
    return { encoding: TextEncoding.Utf8Bom, bomLength: 3 };
  }
  if (startsWith(sample, [0xff, 0xfe])) return { encoding: TextEncoding.Utf16le, bomLength: 2 };
  if (startsWith(sample, [0xfe, 0xff])) return { encoding: TextEncoding.Utf16be, bomLength: 2 };
  for (const signature of BINARY_SIGNATURES) {
    if (startsWith(sample, signature.bytes)) {
      throw new UnusableFileError(
        FileRejectionCode.BinaryFile,
        `The file is not text; it looks like ${signature.what}.`,
      );
    }
  }
  const utf16 = guessBomlessUtf16(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (looksBinary(sample)) {
    throw new UnusableFileError(
      FileRejectionCode.BinaryFile,
      'The file holds too many NUL or control bytes to be text: export the contacts as CSV.',
    );
  }
  const whole = wholeFile ? sample : sample.subarray(0, completeUtf8Length(sample));
  if (isUtf8(whole)) return { encoding: TextEncoding.Utf8, bomLength: 0 };
  const evidence = weighBytes(sample);
  if (evidence.unlikely * 100 > sample.length) {
    throw new UnusableFileError(
      FileRejectionCode.BadEncoding,
      'The file is neither UTF-8, UTF-16 nor Windows-1252 text: save it as "CSV UTF-8".',
    );
  }
  // Valid multi-byte sequences beside invalid bytes: a UTF-8 file with some rows pasted from
  // another encoding. Read as UTF-8, only those rows are refused (BAD_ENCODING); read as
  // Windows-1252, every UTF-8 row would be garbled without a word.
  if (evidence.utf8Sequences > 0) return { encoding: TextEncoding.Utf8, bomLength: 0 };
  return { encoding: TextEncoding.Windows1252, bomLength: 0 };
}

/**
 * Stray bytes in a text file cost only their rows (CONTROL_CHARACTER); a file is binary when
 * they are too many to be strays. A text file with a broken row or two holds a NUL or control
 * byte per broken row: with rows of 50 bytes or more, far under 1% of its bytes. A binary format
 * without a known signature (a database, an executable, UTF-32 text) is mostly NUL bytes, and
 * compressed or encrypted data, where every byte value is as likely, holds about 11.7% control
 * bytes (30 values of 256) but only 0.4% NUL: so more than 1% NUL or more than 10% control bytes
 * (NUL included; tab, LF and CR are text) is binary. Below BINARY_MIN_BYTES of them, a short
 * file is read as text all the same, its rows refused one by one.
 */
const BINARY_NUL_SHARE = 0.01;
const BINARY_CONTROL_SHARE = 0.1;
const BINARY_MIN_BYTES = 8;

function looksBinary(sample: Uint8Array): boolean {
  let nul = 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b < 0x20) {
      if (b === 0) nul++;
      if (b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
    } else if (b === 0x7f) control++;
  }
  const n = sample.length;
  return (
    (nul >= BINARY_MIN_BYTES && nul > n * BINARY_NUL_SHARE) ||
    (control >= BINARY_MIN_BYTES && control > n * BINARY_CONTROL_SHARE)
  );
}

/**
 * Length of the valid multi-byte UTF-8 sequence starting at `i` (2 to 4), 0 when none starts
 * there, -1 when the bytes end before a sequence begun there could be complete.
 */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let length: number;
  // Bounds of the second byte, narrower after E0, ED, F0 and F4 (no overlong form, no surrogate).
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) length = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    length = 3;
    if (b === 0xe0) low = 0xa0;
    else if (b === 0xed) high = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    length = 4;
    if (b === 0xf0) low = 0x90;
    else if (b === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k < length; k++) {
    if (i + k >= bytes.length) return -1;
    const c = bytes[i + k]!;
    if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return 0;
  }
  return length;
}

/**
 * Counts the valid multi-byte UTF-8 sequences of a sample that is not valid UTF-8 as a whole,
 * and the bytes outside them that are unlikely in Windows-1252 text: control bytes and the five
 * bytes it leaves undefined.
 */
function weighBytes(sample: Uint8Array): { utf8Sequences: number; unlikely: number } {
  let utf8Sequences = 0;
  let unlikely = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b >= 0x80) {
      const length = utf8SequenceLength(sample, i);
      if (length > 0) {
        utf8Sequences++;
        i += length - 1;
        continue;
      }
    }
    const control = b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c;
    if (control || b === 0x81 || b === 0x8d || b === 0x8f || b === 0x90 || b === 0x9d) unlikely++;
  }
  return { utf8Sequences, unlikely };
}

/** Length of `bytes` without a multi-byte UTF-8 sequence cut off at its end. */
function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue;
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return end - i < needed ? i : end;
  }
  return end;
}

/** Excel and some tools write UTF-16 without a BOM: ASCII text then has a NUL in every other byte. */
function guessBomlessUtf16(sample: Uint8Array): TextEncoding | undefined {
  const pairs = Math.min(sample.length >> 1, 4096);
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.9 && evenNul === 0) return TextEncoding.Utf16le;
  if (evenNul >= pairs * 0.9 && oddNul === 0) return TextEncoding.Utf16be;
  return undefined;
}

async function* decodeChunks(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  bomLength: number,
): AsyncGenerator<string> {
  const decoder = streamingDecoder(encoding);
  let skip = bomLength;
  for await (const chunk of bytes) {
    let part = chunk;
    if (skip > 0) {
      part = chunk.subarray(Math.min(skip, chunk.length));
      skip -= chunk.length - part.length;
    }
    const text = decoder.write(part);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

interface StreamingDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

function streamingDecoder(encoding: TextEncoding): StreamingDecoder {
  if (encoding === TextEncoding.Windows1252) return windows1252Decoder();
  if (encoding === TextEncoding.Utf16be) {
    const decoder = iconv.getDecoder(encoding);
    return {
      write: (bytes) => decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)),
      end: () => decoder.end() ?? '',
    };
  }
  const label = encoding === TextEncoding.Utf16le ? 'utf-16le' : 'utf-8';
  const decoder = new TextDecoder(label, { ignoreBOM: true });
  return {
    write: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

/**
 * Decodes Windows-1252, one character per byte. A valid multi-byte UTF-8 sequence after the
 * sample (which held none) means the file mixes encodings: it decodes to U+FFFD, so its row is
 * refused as BAD_ENCODING instead of being loaded garbled (`JosÃ©`).
 */
function windows1252Decoder(): StreamingDecoder {
  let held = Buffer.alloc(0);
  const decode = (bytes: Uint8Array, final: boolean): string => {
    const all = Buffer.concat([held, bytes]);
    let text = '';
    let from = 0;
    let end = all.length;
    for (let i = 0; i < end; i++) {
      if (all[i]! < 0xc2) continue;
      const length = utf8SequenceLength(all, i);
      if (length === -1 && !final) {
        // A sequence cut at the end of the bytes: the next ones tell.
        end = i;
      } else if (length > 0) {
        text += `${iconv.decode(all.subarray(from, i), 'windows-1252')}${REPLACEMENT_CHARACTER}`;
        from = i + length;
        i = from - 1;
      }
    }
    held = Buffer.from(all.subarray(end));
    return text + iconv.decode(all.subarray(from, end), 'windows-1252');
  };
  return { write: (bytes) => decode(bytes, false), end: () => decode(new Uint8Array(0), true) };
}

/** `source`, calling `onProgress` with the count of bytes read so far. */
export async function* countBytes(
  source: AsyncIterable<Uint8Array>,
  onProgress: ((bytesRead: number) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    onProgress?.(total);
    yield chunk;
  }
}

async function* limitSize(
  bytes: AsyncIterable<Uint8Array>,
  maxFileBytes: number,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of bytes) {
    total += chunk.length;
    if (total > maxFileBytes) {
      const limit =
        maxFileBytes >= MEBIBYTE
          ? `${Math.floor(maxFileBytes / MEBIBYTE)} MiB`
          : `${maxFileBytes} bytes`;
      throw new UnusableFileError(
        FileRejectionCode.FileTooLarge,
        `The file is larger than ${limit} (after decompression): split it into smaller files.`,
      );
    }
    yield chunk;
  }
}

/**
 * What gunzip buffers ahead of its reader. Node 22 raised the streams' default from 16 KiB to
 * 64 KiB (and Readable.from stopped holding one chunk only), which let a gzip bomb be read four
 * times further past the size limit: set, so every Node reads the same little.
 */
const GUNZIP_BUFFER_BYTES = 16 * 1024;

async function* gunzip(compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const inflate = createGunzip({ highWaterMark: GUNZIP_BUFFER_BYTES } as ZlibOptions);
  // One piece at a time from the source, as Node 20 did by default.
  const source = Readable.from(compressed, { objectMode: false, highWaterMark: 1 });
  // Errors reach us through the iteration below; the pipeline's own promise only repeats them.
  pipeline(source, inflate).catch(() => {});
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
  } catch (error) {
    if (isZlibError(error)) {
      throw new UnusableFileError(
        FileRejectionCode.BadCompression,
        'The file is not a valid gzip stream (corrupt or cut short): compress it again, or upload it uncompressed.',
        { cause: error },
      );
    }
    throw error;
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * Reads more than `size` bytes (or all, when shorter, so a caller can tell a file of exactly
 * `size` bytes from a longer one) and returns them with an iterable that yields the whole stream
 * again from the start, without copying what follows.
 */
export async function peek(
  bytes: AsyncIterable<Uint8Array>,
  size: number,
): Promise<{ head: Uint8Array; iterable: AsyncIterable<Uint8Array> }> {
  const iterator = bytes[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  while (length <= size) {
    const next = await iterator.next();
    if (next.done) break;
    taken.push(next.value);
    length += next.value.length;
  }
  const head = taken.length === 1 ? taken[0]! : Buffer.concat(taken);
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      if (length > 0) yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return { head, iterable: replay() };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
