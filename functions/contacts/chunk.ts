import { InvalidOptionsError, UnchunkableLineError } from './errors.js';
import type { ChunkCeilings } from './options.js';

/**
 * Bytes kept free in every upload request for the form fields other than `fileb64` (filename,
 * campaign, cant, username) and their separators; the upload client checks they fit.
 */
export const REQUEST_OVERHEAD_RESERVE = 8 * 1024;

/** One base to upload: a group of lines within the request and record ceilings. */
export interface Chunk {
  /** 1-based position among the file's chunks. */
  readonly part: number;
  readonly records: number;
  /** UTF-8 bytes of `text`. */
  readonly bytes: number;
  /** Exact form-encoded length of `fileb64` (base64 of `text`) plus REQUEST_OVERHEAD_RESERVE. */
  readonly requestBytes: number;
  /** The lines, each ending in `\n`. */
  readonly text: string;
}

/** Anything but ASCII that cannot end a group as `+` or `/`: non-ASCII, `>` `?` `~` DEL, CR, LF. */
const NEEDS_BYTE_WALK = /[^\x00-\x09\x0b\x0c\x0e-\x3d\x40-\x7d]/;

/** Base64 characters 62 and 63 (`+` `/`) are percent-encoded in a form: 3 bytes instead of 1. */
function extra(sextet: number): number {
  return sextet >= 62 ? 2 : 0;
}

/** Form-encoded length of one complete 3-byte group's 4 base64 characters. */
function groupLength(b0: number, b1: number, b2: number): number {
  if ((b0 | b1 | b2) < 0x80) return (b2 & 0x3e) === 0x3e ? 6 : 4;
  return (
    4 +
    extra(b0 >> 2) +
    extra(((b0 & 3) << 4) | (b1 >> 4)) +
    extra(((b1 & 15) << 2) | (b2 >> 6)) +
    extra(b2 & 63)
  );
}

/** Form-encoded length of the last, partial group: its characters plus `=` padding (`%3D`). */
function tailLength(pending: number, b0: number, b1: number): number {
  if (pending === 0) return 0;
  if (pending === 1) return 2 + extra(b0 >> 2) + 2 * 3;
  return 3 + extra(b0 >> 2) + extra(((b0 & 3) << 4) | (b1 >> 4)) + 3;
}

/** Length of `new URLSearchParams({ fileb64: base64(bytes) })` minus `fileb64=`, computed without encoding. */
export function formEncodedBase64Length(bytes: Uint8Array): number {
  let length = 0;
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) length += groupLength(bytes[i]!, bytes[i + 1]!, bytes[i + 2]!);
  return length + tailLength(bytes.length - whole, bytes[whole] ?? 0, bytes[whole + 1] ?? 0);
}

/**
 * Groups lines into chunks whose upload request stays under `maxRequestBytes` and whose records
 * stay under `maxRecords`. The base64 request size is tracked exactly and incrementally, from
 * the UTF-8 bytes each line adds (as `Buffer.from(text)` encodes them).
 */
export class Chunker {
  private readonly maxRequestBytes: number;
  private readonly maxRecords: number;
  private part = 0;
  private records = 0;
  /**
   * The chunk's lines so far, each followed by `\n`. Appending builds a rope that is copied once,
   * when the text is first read; joining an array of lines took 12% of a large file's check
   * (bench/RESULTS.md, History).
   */
  private text = '';
  /** Room for a line's UTF-8 bytes, grown for longer lines. */
  private scratch = Buffer.allocUnsafe(4096);
  private bytes = 0;
  /** Form-encoded length of the complete base64 groups so far. */
  private encoded = 0;
  /** Bytes of the current, incomplete 3-byte group (0 to 2) and their values. */
  private pending = 0;
  private b0 = 0;
  private b1 = 0;

  /** Throws InvalidOptionsError when the ceilings leave no room for a single line. */
  constructor(ceilings: ChunkCeilings) {
    if (!(ceilings.maxRecords >= 1)) {
      throw new InvalidOptionsError('The record ceiling of a chunk must be at least 1');
    }
    if (!(ceilings.maxRequestBytes > REQUEST_OVERHEAD_RESERVE)) {
      throw new InvalidOptionsError(
        `The request ceiling of a chunk must exceed ${REQUEST_OVERHEAD_RESERVE} bytes (default 1.5 MiB)`,
      );
    }
    this.maxRequestBytes = ceilings.maxRequestBytes;
    this.maxRecords = ceilings.maxRecords;
  }

  /**
   * Adds a line (without its line break). Returns the previous chunk, complete, when this line
   * would push it over a ceiling; the line then starts the next chunk. Throws
   * UnchunkableLineError when the line holds a line break or cannot fit even an empty chunk.
   */
  add(line: string): Chunk | undefined {
    if (this.records < this.maxRecords) {
      const { bytes, encoded, pending, b0, b1 } = this;
      this.measure(line);
      if (this.requestBytes() <= this.maxRequestBytes) {
        this.append(line);
        return undefined;
      }
      this.bytes = bytes;
      this.encoded = encoded;
      this.pending = pending;
      this.b0 = b0;
      this.b1 = b1;
      if (this.records === 0) throw this.tooLarge(line);
    }
    const done = this.cut();
    this.measure(line);
    if (this.requestBytes() > this.maxRequestBytes) {
      this.reset();
      throw this.tooLarge(line);
    }
    this.append(line);
    return done;
  }

  private append(line: string): void {
    this.text += line;
    this.text += '\n';
    this.records++;
  }

  /** The last, partial chunk; undefined when no line is waiting. Never throws. */
  finish(): Chunk | undefined {
    return this.records === 0 ? undefined : this.cut();
  }

  private requestBytes(): number {
    return this.encoded + tailLength(this.pending, this.b0, this.b1) + REQUEST_OVERHEAD_RESERVE;
  }

  private tooLarge(line: string): UnchunkableLineError {
    return new UnchunkableLineError(
      `A line of ${Buffer.byteLength(line)} bytes cannot fit in an upload request of ` +
        `${this.maxRequestBytes} bytes; raise the request ceiling or shorten the line's variables`,
    );
  }

  private cut(): Chunk {
    const chunk: Chunk = {
      part: ++this.part,
      records: this.records,
      bytes: this.bytes,
      requestBytes: this.requestBytes(),
      text: this.text,
    };
    this.reset();
    return chunk;
  }

  private reset(): void {
    this.records = 0;
    this.text = '';
    this.bytes = 0;
    this.encoded = 0;
    this.pending = 0;
    this.b0 = 0;
    this.b1 = 0;
  }

  /** Feeds the UTF-8 bytes of `line` and its `\n` into the running base64 length. */
  private measure(line: string): void {
    if (!NEEDS_BYTE_WALK.test(line)) {
      this.measurePlain(line);
      return;
    }
    if (line.includes('\n') || line.includes('\r')) {
      throw new UnchunkableLineError('A line given to the chunker holds a line break');
    }
    // The bytes left over from earlier lines, then this line's, then its `\n`, written natively
    // as Buffer.from writes them (a lone surrogate as U+FFFD): walking the characters in
    // JavaScript took longer than parsing and validating the line.
    const pending = this.pending;
    if (this.scratch.length < pending + 3 * line.length + 1) {
      this.scratch = Buffer.allocUnsafe(2 * (pending + 3 * line.length + 1));
    }
    const bytes = this.scratch;
    bytes[0] = this.b0;
    bytes[1] = this.b1;
    const written = bytes.write(line, pending);
    const end = pending + written + 1;
    bytes[end - 1] = 0x0a;
    const whole = end - (end % 3);
    let encoded = this.encoded;
    for (let i = 0; i < whole; i += 3) {
      encoded += groupLength(bytes[i]!, bytes[i + 1]!, bytes[i + 2]!);
    }
    this.encoded = encoded;
    this.bytes += written + 1;
    this.pending = end - whole;
    if (this.pending > 0) this.b0 = bytes[whole]!;
    if (this.pending > 1) this.b1 = bytes[whole + 1]!;
  }

  /**
   * The same for a line of ASCII without `>` `?` `~` DEL or line breaks. Each group it completes
   * has an ASCII middle byte (its own, or the previous line's `\n`), so only the group's last
   * byte could make a `+` or `/`, and none of these can: every group is 4 plain characters.
   */
  private measurePlain(line: string): void {
    const n = line.length;
    const total = this.pending + n + 1;
    this.encoded += 4 * Math.floor(total / 3);
    this.bytes += n + 1;
    this.pending = total % 3;
    // The pending bytes are the stream's last ones: the `\n`, and before it the line's last byte
    // (or, for an empty line, the one byte that was already pending).
    if (this.pending === 2) {
      this.b0 = n > 0 ? line.charCodeAt(n - 1) : this.b0;
      this.b1 = 0x0a;
    } else if (this.pending === 1) this.b0 = 0x0a;
  }
}
