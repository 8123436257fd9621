import { InvalidOptionsError, UnchunkableLineError } from './errors.js';

/**
 * Bytes kept free in every upload request for the form fields other than `fileb64` (filename,
 * campaign, cant, username) and their separators; the upload client checks they fit.
 */
export const REQUEST_OVERHEAD_RESERVE = 8 * 1024;

/** Ceilings for one uploaded base (one `uploadbase` call). */
export interface ChunkCeilings {
  /** The whole form-encoded upload request stays under this (servlet containers drop larger forms). */
  readonly maxRequestBytes: number;
  readonly maxRecords: number;
}

export const DEFAULT_CHUNK_CEILINGS = {
  maxRequestBytes: 1.5 * 1024 * 1024,
  maxRecords: 100_000,
} as const satisfies ChunkCeilings;

/** One base to upload: a group of lines within the request and record ceilings. */
export interface Chunk {
  /** 1-based position among the file's chunks. */
  readonly part: number;
  readonly records: number;
  /** UTF-8 bytes of `text`. */
  readonly bytes: number;
  /** Exact form-encoded length of `fileb64` (base64 of `text`) plus REQUEST_OVERHEAD_RESERVE. */
  readonly requestBytes: number;
  /**
   * The lines separated by `\n`, with no line break after the last: as the vendor's own example
   * sends a base (a final `\n` might count as an empty record).
   */
  readonly text: string;
  /**
   * Writes the UTF-8 bytes of `text` at the start of `target` (at least `bytes` long) and returns
   * `bytes`, without building `text`: a spool can reuse one buffer for every chunk.
   */
  encodeInto(target: Buffer): number;
}

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
 * Lines that match none of these add no `+` or `/` to the base64 wherever their bytes fall in its
 * 3-byte groups, so their size needs no encoding. Within Latin-1, a `+` or `/` needs a group
 * ending in `>` `?` `~` DEL or in the last UTF-8 byte of ¾ ¿ þ ÿ, or a byte whose low half is 0xF
 * (as `/` `O` `_` `o` and ¯ Ï ß ï leave) just before a two-byte character's first byte.
 * Characters from U+0100 up, and line breaks, always take the exact count.
 */
const MAY_MAKE_SIXTY_TWO =
  /[^\x00-\xff]|[\n\r>?~\x7f\xbe\xbf\xfe\xff]|[\x0f\x1f/O_o\x8f\x9f\xaf\xcf\xdf\xef][\x80-\xff]/;
/** Stands for the bytes of an incomplete group already counted: with `\n` last, any will do. */
const NEWLINE = 0x0a;
/**
 * The chunker counts every line with a `\n` after it; the chunk's text drops the last one, which
 * changes only the end of the base64, by `bytes % 3` of the counted bytes:
 * - 0: the last group (b0, b1, `\n`) becomes the tail (b0, b1): its first 3 characters are the
 *   same (a `\n` adds only zero bits to the third) and the 4th, never `+` or `/`, becomes `%3D`;
 * - 1: the tail of a lone `\n` (`Cg%3D%3D`) disappears;
 * - 2: the tail (b0, `\n`) becomes (b0): 2 characters that cannot be `+` or `/` (UTF-8 has no
 *   byte from 0xF8) and `%3D%3D`.
 */
const TAIL_LENGTH = [2, 0, 8] as const;

/**
 * The exact request length for a chunk counted as `bytes` bytes, each line with a `\n` after it,
 * whose base64 groups then hold `sixtyTwos` `+` and `/`; the text sent lacks the last `\n`.
 */
function requestLength(bytes: number, sixtyTwos: number): number {
  return (
    4 * Math.floor(bytes / 3) + 2 * sixtyTwos + TAIL_LENGTH[bytes % 3]! + REQUEST_OVERHEAD_RESERVE
  );
}

/**
 * Groups lines into chunks whose upload request stays under `maxRequestBytes` and whose records
 * stay under `maxRecords`. The request size is tracked exactly from the UTF-8 bytes (as
 * `Buffer.from(text)` encodes them) and the base64 `+` and `/` each line adds; only lines that
 * may add one are encoded to count them (bench/RESULTS.md, History).
 */
export class Chunker {
  private readonly maxRequestBytes: number;
  private readonly maxRecords: number;
  private part = 0;
  private records = 0;
  /** The chunk's lines so far; joined only if the chunk's text is read. */
  private lines: string[] = [];
  /** UTF-8 bytes of the lines, each with a `\n` after it (the text has one fewer). */
  private bytes = 0;
  /** `+` and `/` in the base64 of the complete 3-byte groups of those bytes. */
  private sixtyTwos = 0;
  /** Room for a line's UTF-8 bytes, grown for longer lines. */
  private scratch = Buffer.allocUnsafe(4096);

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
    let lineBytes = 0;
    let counted = true;
    if (MAY_MAKE_SIXTY_TWO.test(line)) {
      if (line.includes('\n') || line.includes('\r')) {
        throw new UnchunkableLineError('A line given to the chunker holds a line break');
      }
      counted = false;
    } else {
      lineBytes = Buffer.byteLength(line) + 1;
    }
    if (this.records < this.maxRecords) {
      if (this.take(line, lineBytes, counted)) return undefined;
      if (this.records === 0) throw this.tooLarge(line);
    }
    const done = this.cut();
    if (!this.take(line, lineBytes, counted)) throw this.tooLarge(line);
    return done;
  }

  /** The last, partial chunk; undefined when no line is waiting. Never throws. */
  finish(): Chunk | undefined {
    return this.records === 0 ? undefined : this.cut();
  }

  /**
   * Adds the line when the request stays under the ceiling with it; otherwise changes nothing.
   * `counted`: the line adds no `+` or `/` and has `lineBytes` bytes with its `\n`; otherwise
   * both are found by encoding it.
   */
  private take(line: string, lineBytes: number, counted: boolean): boolean {
    let bytes = lineBytes;
    let sixtyTwos = 0;
    if (!counted) {
      bytes = this.encode(line);
      sixtyTwos = this.countSixtyTwos(bytes);
    }
    if (requestLength(this.bytes + bytes, this.sixtyTwos + sixtyTwos) > this.maxRequestBytes) {
      return false;
    }
    this.lines.push(line);
    this.records++;
    this.bytes += bytes;
    this.sixtyTwos += sixtyTwos;
    return true;
  }

  /**
   * Writes the line and its `\n` into `scratch` after as many placeholders as the chunk's last,
   * incomplete group holds, as `Buffer.from` writes it (a lone surrogate as U+FFFD); returns the
   * bytes of the line and its `\n`.
   */
  private encode(line: string): number {
    const offset = this.bytes % 3;
    if (this.scratch.length < offset + 3 * line.length + 1) {
      this.scratch = Buffer.allocUnsafe(2 * (offset + 3 * line.length + 1));
    }
    const scratch = this.scratch;
    scratch[0] = NEWLINE;
    scratch[1] = NEWLINE;
    const written = scratch.write(line, offset);
    scratch[offset + written] = NEWLINE;
    return written + 1;
  }

  /** The `+` and `/` in the base64 groups that the `lineBytes` bytes in `scratch` complete. */
  private countSixtyTwos(lineBytes: number): number {
    const bytes = this.scratch;
    const end = (this.bytes % 3) + lineBytes;
    const whole = end - (end % 3);
    let count = 0;
    for (let i = 0; i < whole; i += 3)
      count += (groupLength(bytes[i]!, bytes[i + 1]!, bytes[i + 2]!) - 4) >> 1;
    return count;
  }

  private tooLarge(line: string): UnchunkableLineError {
    return new UnchunkableLineError(
      `A line of ${Buffer.byteLength(line)} bytes cannot fit in an upload request of ` +
        `${this.maxRequestBytes} bytes; raise the request ceiling or shorten the line's variables`,
    );
  }

  private cut(): Chunk {
    const chunk = new CutChunk(
      ++this.part,
      this.bytes - 1,
      requestLength(this.bytes, this.sixtyTwos),
      this.lines,
    );
    this.records = 0;
    this.lines = [];
    this.bytes = 0;
    this.sixtyTwos = 0;
    return chunk;
  }
}

/**
 * A chunk whose text is joined from its lines when first read: checking a file reads only the
 * sizes, and joining every chunk (or flattening a string built by appending) cost as much as
 * parsing its lines (bench/RESULTS.md, History).
 */
class CutChunk implements Chunk {
  readonly part: number;
  readonly records: number;
  readonly bytes: number;
  readonly requestBytes: number;
  private lines: string[];
  private joined: string | undefined;

  constructor(part: number, bytes: number, requestBytes: number, lines: string[]) {
    this.part = part;
    this.records = lines.length;
    this.bytes = bytes;
    this.requestBytes = requestBytes;
    this.lines = lines;
  }

  encodeInto(target: Buffer): number {
    if (this.joined !== undefined) return target.write(this.joined, 0, 'utf8');
    const lines = this.lines;
    let at = target.write(lines[0]!, 0, 'utf8');
    for (let i = 1; i < lines.length; i++) {
      target[at++] = NEWLINE;
      at += target.write(lines[i]!, at, 'utf8');
    }
    return at;
  }

  get text(): string {
    if (this.joined === undefined) {
      this.joined = this.lines.join('\n');
      this.lines = [];
    }
    return this.joined;
  }
}
