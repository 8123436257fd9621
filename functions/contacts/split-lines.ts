const LF = 10;
const CR = 13;

/**
 * Splits streamed text into lines ended by CRLF, LF or CR, skipping blank lines (they still count
 * for line numbers). Pull-based so the caller decides when to wait for more text: `push` a chunk,
 * call `next` until it returns undefined, push the next chunk; `end` flushes the last line.
 * A line longer than `maxLineLength` is returned cut to that length with `tooLong` set, and never
 * held in memory beyond that length plus one chunk.
 */
export class LineSplitter {
  /** Line number of the line `next` returned last. */
  line = 0;
  /** Whether the line `next` returned last was longer than the limit (and was cut). */
  tooLong = false;
  /** Blank lines skipped so far. */
  blank = 0;
  /**
   * Where the line `next` returned last starts in the chunk pushed last, -1 when it is not a
   * plain slice of that chunk (it continues an earlier chunk's end, or was cut): a caller may then
   * read its characters from the chunk, a flat string, rather than through the slice.
   */
  start = -1;

  private readonly maxLineLength: number;
  private nextLineNumber: number;
  private chunk = '';
  private pos = 0;
  private hasCR = false;
  private nextLF = -1;
  private nextCR = -1;
  private carry = '';
  private carryTooLong = false;
  private pendingCR = false;
  private ended = false;

  constructor(maxLineLength: number, firstLineNumber = 1) {
    this.maxLineLength = maxLineLength;
    this.nextLineNumber = firstLineNumber;
  }

  /** Number of the last line read: once `next` has returned undefined after `end`, the text's last. */
  get lastLine(): number {
    return this.nextLineNumber - 1;
  }

  /** Adds the next chunk; the previous one must have been read to the end with `next`. */
  push(chunk: string): void {
    let start = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (chunk.charCodeAt(0) === LF) start = 1;
    }
    this.chunk = chunk;
    this.pos = start;
    this.hasCR = chunk.indexOf('\r', start) !== -1;
    this.nextLF = -1;
    this.nextCR = -1;
  }

  /** No more chunks: the text after the last line break becomes the last line. */
  end(): void {
    this.ended = true;
  }

  /** The next non-blank line, or undefined when the current chunk is used up. */
  next(): string | undefined {
    for (;;) {
      const chunk = this.chunk;
      const len = chunk.length;
      const pos = this.pos;
      let text: string;
      let start = -1;
      if (pos >= len) {
        if (!this.ended || (this.carry.length === 0 && !this.carryTooLong)) return undefined;
        text = this.carry;
      } else {
        const end = this.findLineEnd(pos, len);
        if (end === -1) {
          this.keep(chunk.slice(pos));
          this.pos = len;
          continue;
        }
        text = chunk.slice(pos, end);
        if (chunk.charCodeAt(end) === CR) {
          if (end + 1 === len) this.pendingCR = true;
          this.pos = chunk.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
        } else {
          this.pos = end + 1;
        }
        if (this.carry.length > 0 || this.carryTooLong) text = this.carry + text;
        else start = pos;
      }
      const tooLong = this.carryTooLong || text.length > this.maxLineLength;
      this.carry = '';
      this.carryTooLong = false;
      const lineNumber = this.nextLineNumber++;
      if (!tooLong && isBlank(text)) {
        this.blank++;
        continue;
      }
      this.line = lineNumber;
      this.tooLong = tooLong;
      this.start = tooLong ? -1 : start;
      return tooLong ? text.slice(0, this.maxLineLength) : text;
    }
  }

  private findLineEnd(pos: number, len: number): number {
    const chunk = this.chunk;
    if (!this.hasCR) return chunk.indexOf('\n', pos);
    // Both positions are remembered so each is searched for once per occurrence, not per line.
    if (this.nextLF < pos) {
      const i = chunk.indexOf('\n', pos);
      this.nextLF = i === -1 ? len : i;
    }
    if (this.nextCR < pos) {
      const i = chunk.indexOf('\r', pos);
      this.nextCR = i === -1 ? len : i;
    }
    const end = Math.min(this.nextLF, this.nextCR);
    return end === len ? -1 : end;
  }

  /** Holds the unfinished end of a chunk, but never more than the limit. */
  private keep(rest: string): void {
    if (this.carryTooLong) return;
    const joined = this.carry + rest;
    if (joined.length > this.maxLineLength) {
      this.carry = joined.slice(0, this.maxLineLength);
      this.carryTooLong = true;
    } else {
      this.carry = joined;
    }
  }
}

/** Empty, or nothing but whitespace (a stray BOM included). */
export function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return text.trim().length === 0;
}
