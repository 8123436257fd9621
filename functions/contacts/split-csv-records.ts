const LF = 10;
const CR = 13;
const QUOTE = 34;

/** A record left out because it was longer than the limit; `text` is its beginning. */
export interface OverlongRecord {
  readonly line: number;
  /** The line it ended on: more than `line` when quoted cells held line breaks. */
  readonly lastLine: number;
  readonly text: string;
  /** The file ended inside one of its quoted cells. */
  readonly unclosedQuote: boolean;
}

/**
 * A record refused because a quoted cell in it is never closed: it runs past the length limit, or
 * to the end of the file. `text` is the record up to the end of the line holding the quote; the
 * lines after that one are read again as records of their own.
 */
export interface UnmatchedQuote {
  readonly line: number;
  /** Where the quote that opened the cell is: its line, and its place in that line (from 1). */
  readonly quoteLine: number;
  readonly quoteColumn: number;
  readonly text: string;
  /** The file ended inside the cell (otherwise the cell ran past the length limit). */
  readonly atEnd: boolean;
}

/** Receives the records of a CSV text in file order, each with the line it starts on. */
export interface CsvRecordSink {
  /**
   * A whole non-empty record without its line break: `source.slice(start, end)`, where `source`
   * is the chunk being pushed, or a string of its own for a record begun in an earlier chunk.
   * `quoted` is false when the record holds no `"`: its cells are then exactly the text split on
   * the delimiter.
   */
  record(source: string, start: number, end: number, line: number, quoted: boolean): void;
  /** A record left out for its length. */
  overlong(record: OverlongRecord): void;
  /** A record whose quoted cell is never closed. */
  unmatchedQuote(record: UnmatchedQuote): void;
}

/** Where the splitter goes on after leaving out a record with an unmatched quote. */
interface Resume {
  readonly text: string;
  readonly from: number;
}

/**
 * Cuts streamed CSV text at record boundaries, following quotes the way csv-parse does with
 * `relax_quotes` (a quote opens a quoted cell only at the start of a cell; `""` inside one is a
 * quote), so every record gets its start line and a parser is only ever given whole records.
 * Records longer than `maxLineLength` are left out and reported; memory stays within that limit
 * plus a chunk. A quoted cell still open when its record passes the limit, or at the end of the
 * text, is taken for a stray quote: its record ends with the quote's line, and the lines after
 * it are read as records again, so one quote cannot swallow the rest of a file.
 */
export class CsvRecordSplitter {
  private readonly maxLineLength: number;
  private readonly delimiter: number;
  private line: number;
  private recordLine: number;
  private inQuotes = false;
  /** The current record holds a quote character somewhere. */
  private quoted = false;
  /** The last chunk ended with a quote inside a quoted cell: it closes the cell unless a quote follows. */
  private quotePending = false;
  /** The last chunk ended with a CR inside a quoted cell: a LF after it is the same line break. */
  private quotedCR = false;
  /** The last chunk ended with a CR that ended a record: a LF after it belongs to that CR. */
  private boundaryCR = false;
  private previousChar = LF;
  private carry = '';
  /** Set while the current record is being skipped for its length: its beginning. */
  private dropped: string | undefined;
  private nextQuote = -1;
  private nextLF = -1;
  private nextCR = -1;
  /**
   * The quote that opened the current quoted cell: its offset in the record, its line, and the
   * offset in the record of the first line break after it (-1 until one is read).
   */
  private openQuoteAt = 0;
  private openQuoteLine = 0;
  private openQuoteBreak = -1;

  constructor(delimiter: string, maxLineLength: number, firstLineNumber = 1) {
    this.delimiter = delimiter.charCodeAt(0);
    this.maxLineLength = maxLineLength;
    this.line = firstLineNumber;
    this.recordLine = firstLineNumber;
  }

  /** Hands the chunk's complete records to `sink`; the text after the last one is held. */
  push(chunk: string, sink: CsvRecordSink): void {
    this.read({ text: chunk, from: 0 }, sink);
  }

  private read(start: Resume, sink: CsvRecordSink): void {
    let resume: Resume | undefined = start;
    while (resume !== undefined) resume = this.scan(resume.text, resume.from, sink);
  }

  /** Reads `chunk` from `from`; returns where to read on when a stray quote ended a record. */
  private scan(chunk: string, from: number, sink: CsvRecordSink): Resume | undefined {
    const len = chunk.length;
    this.nextQuote = -1;
    this.nextLF = -1;
    this.nextCR = -1;
    let pos = from;
    if (this.boundaryCR && pos < len) {
      this.boundaryCR = false;
      if (chunk.charCodeAt(pos) === LF) pos++;
    }
    let recordStart = pos;
    if (this.quotePending && pos < len) {
      this.quotePending = false;
      if (chunk.charCodeAt(pos) === QUOTE) pos++;
      else this.inQuotes = false;
    }
    while (pos < len) {
      if (this.inQuotes) {
        const quote = chunk.indexOf('"', pos);
        const stop = quote === -1 ? len : quote;
        this.countQuotedLineBreaks(chunk, recordStart, pos, stop);
        if (
          this.dropped !== undefined ||
          this.carry.length + stop - recordStart > this.maxLineLength
        ) {
          const resume = this.endAtQuoteLine(chunk, recordStart, pos, stop, sink);
          if (resume !== undefined) return resume;
        }
        if (quote === -1) break;
        this.quotedCR = false;
        if (quote + 1 === len) {
          this.quotePending = true;
          break;
        }
        if (chunk.charCodeAt(quote + 1) === QUOTE) {
          pos = quote + 2;
        } else {
          this.inQuotes = false;
          pos = quote + 1;
        }
        continue;
      }
      const next = this.nextSpecial(chunk, pos, len);
      if (next === len) break;
      const c = chunk.charCodeAt(next);
      if (c === QUOTE) {
        this.quoted = true;
        const before = next > from ? chunk.charCodeAt(next - 1) : this.previousChar;
        if (before === this.delimiter || before === LF || before === CR) {
          this.inQuotes = true;
          this.openQuoteAt = this.carry.length + next - recordStart;
          this.openQuoteLine = this.line;
          this.openQuoteBreak = -1;
        }
        pos = next + 1;
        continue;
      }
      let after = next + 1;
      if (c === CR) {
        if (after === len) this.boundaryCR = true;
        else if (chunk.charCodeAt(after) === LF) after++;
      }
      const length = this.carry.length + next - recordStart;
      if (this.dropped !== undefined || length > this.maxLineLength) {
        sink.overlong(this.overlong(this.dropped ?? this.carry + chunk.slice(recordStart, next)));
        this.dropped = undefined;
      } else if (this.carry.length > 0) {
        const text = this.carry + chunk.slice(recordStart, next);
        sink.record(text, 0, text.length, this.recordLine, this.quoted);
      } else if (length > 0) {
        sink.record(chunk, recordStart, next, this.recordLine, this.quoted);
      }
      this.carry = '';
      this.quoted = false;
      this.line++;
      this.recordLine = this.line;
      pos = after;
      recordStart = after;
    }
    if (
      this.inQuotes &&
      !this.quotePending &&
      this.dropped === undefined &&
      this.carry.length + len - recordStart > this.maxLineLength
    ) {
      // An escaped quote ended the chunk and took the open cell past the limit.
      const resume = this.endAtQuoteLine(chunk, recordStart, len, len, sink);
      if (resume !== undefined) return resume;
    }
    if (len > from) this.previousChar = chunk.charCodeAt(len - 1);
    this.keep(chunk.slice(recordStart));
    return undefined;
  }

  /**
   * The record's open quoted cell (from `pos` to `stop` in this chunk) takes it past the limit:
   * if the quote's line has ended, the record is cut there and refused, and reading goes on
   * after that line break. Undefined when the quote's line goes on beyond what was read.
   */
  private endAtQuoteLine(
    chunk: string,
    recordStart: number,
    pos: number,
    stop: number,
    sink: CsvRecordSink,
  ): Resume | undefined {
    const quoteLine = this.openQuoteLine;
    if (this.dropped !== undefined) {
      // Over the limit before the quote opened: each stretch of the cell is searched as it is read.
      const lineBreak = lineBreakIn(chunk, pos, stop);
      if (lineBreak === -1) return undefined;
      this.line = quoteLine;
      sink.overlong(this.overlong(this.dropped, true));
      return this.restartAfter(chunk, lineBreak, quoteLine + 1);
    }
    // Known from the line breaks counted, never searched for again: a long run of quotes in one
    // cell would otherwise make this quadratic.
    if (this.openQuoteBreak < 0) return undefined;
    const carried = this.carry.length > 0;
    // Copies only a record begun in an earlier chunk, once: reading goes on in the copy.
    const text = carried ? this.carry + chunk.slice(recordStart) : chunk;
    const lineBreak = (carried ? 0 : recordStart) + this.openQuoteBreak;
    const head = text.slice(carried ? 0 : recordStart, lineBreak);
    if (head.length > this.maxLineLength) {
      this.line = quoteLine;
      sink.overlong(this.overlong(head, true));
    } else {
      sink.unmatchedQuote(this.unmatched(head, false));
    }
    return this.restartAfter(text, lineBreak, quoteLine + 1);
  }

  /** Forgets the current record and goes on at the line after the break at `lineBreak`. */
  private restartAfter(text: string, lineBreak: number, line: number): Resume {
    let from = lineBreak + 1;
    if (text.charCodeAt(lineBreak) === CR) {
      if (from === text.length) this.boundaryCR = true;
      else if (text.charCodeAt(from) === LF) from++;
    }
    this.inQuotes = false;
    this.quoted = false;
    this.quotePending = false;
    this.quotedCR = false;
    this.dropped = undefined;
    this.carry = '';
    this.previousChar = LF;
    this.openQuoteBreak = -1;
    this.line = line;
    this.recordLine = line;
    return { text, from };
  }

  private unmatched(text: string, atEnd: boolean): UnmatchedQuote {
    const at = this.openQuoteAt;
    const lineStart = Math.max(text.lastIndexOf('\n', at), text.lastIndexOf('\r', at)) + 1;
    return {
      line: this.recordLine,
      quoteLine: this.openQuoteLine,
      quoteColumn: at - lineStart + 1,
      text,
      atEnd,
    };
  }

  /**
   * Hands the last record to `sink`, when the text does not end with a line break. A quoted cell
   * left open ends its record with the quote's line, and the lines after it are read again.
   */
  end(sink: CsvRecordSink): void {
    for (;;) {
      const unclosedQuote = this.inQuotes && !this.quotePending;
      const text = this.carry;
      this.carry = '';
      if (this.dropped !== undefined) {
        sink.overlong(this.overlong(this.dropped, unclosedQuote));
        this.dropped = undefined;
        return;
      }
      if (text.length === 0) return;
      if (!unclosedQuote) {
        // Held one over the limit only for a quote that turned out to close its cell.
        if (text.length > this.maxLineLength) sink.overlong(this.overlong(text));
        else sink.record(text, 0, text.length, this.recordLine, this.quoted);
        return;
      }
      const lineBreak = this.openQuoteBreak;
      sink.unmatchedQuote(this.unmatched(lineBreak === -1 ? text : text.slice(0, lineBreak), true));
      if (lineBreak === -1) return;
      this.read(this.restartAfter(text, lineBreak, this.openQuoteLine + 1), sink);
    }
  }

  private overlong(head: string, unclosedQuote = false): OverlongRecord {
    const text = head.slice(0, this.maxLineLength);
    return { line: this.recordLine, lastLine: this.line, text, unclosedQuote };
  }

  /**
   * Holds the unfinished last record, but never more than the limit (and a quote at the end of
   * a quoted cell: the next chunk tells whether it closes the cell).
   */
  private keep(rest: string): void {
    if (this.dropped !== undefined) return;
    const joined = this.carry + rest;
    if (joined.length > this.maxLineLength + (this.quotePending ? 1 : 0)) {
      this.dropped = joined.slice(0, this.maxLineLength);
      this.carry = '';
    } else {
      this.carry = joined;
    }
  }

  /** Position of the next quote or line break at or after `pos`, or `len`. */
  private nextSpecial(chunk: string, pos: number, len: number): number {
    // Each position is searched for once per occurrence, not once per record.
    if (this.nextQuote < pos) this.nextQuote = indexOrEnd(chunk, '"', pos, len);
    if (this.nextLF < pos) this.nextLF = indexOrEnd(chunk, '\n', pos, len);
    if (this.nextCR < pos) this.nextCR = indexOrEnd(chunk, '\r', pos, len);
    return Math.min(this.nextQuote, this.nextLF, this.nextCR);
  }

  private countQuotedLineBreaks(
    chunk: string,
    recordStart: number,
    from: number,
    to: number,
  ): void {
    for (let i = from; i < to; i++) {
      const c = chunk.charCodeAt(i);
      if (c === LF) {
        if (!this.quotedCR) this.lineBreak(this.carry.length + i - recordStart);
        this.quotedCR = false;
      } else if (c === CR) {
        this.lineBreak(this.carry.length + i - recordStart);
        this.quotedCR = true;
      } else {
        this.quotedCR = false;
      }
    }
  }

  /** A line break inside a quoted cell, at `at` in the record. */
  private lineBreak(at: number): void {
    if (this.line === this.openQuoteLine) this.openQuoteBreak = at;
    this.line++;
  }
}

/** Position of the first CR or LF in `text` from `from` to before `to`, or -1. */
function lineBreakIn(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return i;
  }
  return -1;
}

function indexOrEnd(chunk: string, search: string, pos: number, len: number): number {
  const i = chunk.indexOf(search, pos);
  return i === -1 ? len : i;
}
