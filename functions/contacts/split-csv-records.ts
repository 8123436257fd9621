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
  /** The last record, when the file ends inside one of its quoted cells. */
  unclosed(text: string, line: number): void;
}

/**
 * Cuts streamed CSV text at record boundaries, following quotes the way csv-parse does with
 * `relax_quotes` (a quote opens a quoted cell only at the start of a cell; `""` inside one is a
 * quote), so every record gets its start line and a parser is only ever given whole records.
 * Records longer than `maxLineLength` are left out and reported; memory stays within that limit
 * plus a chunk.
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

  constructor(delimiter: string, maxLineLength: number, firstLineNumber = 1) {
    this.delimiter = delimiter.charCodeAt(0);
    this.maxLineLength = maxLineLength;
    this.line = firstLineNumber;
    this.recordLine = firstLineNumber;
  }

  /** Hands the chunk's complete records to `sink`; the text after the last one is held. */
  push(chunk: string, sink: CsvRecordSink): void {
    const len = chunk.length;
    this.nextQuote = -1;
    this.nextLF = -1;
    this.nextCR = -1;
    let pos = 0;
    if (this.boundaryCR) {
      this.boundaryCR = false;
      if (chunk.charCodeAt(0) === LF) pos = 1;
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
        this.countQuotedLineBreaks(chunk, pos, stop);
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
        const before = next > 0 ? chunk.charCodeAt(next - 1) : this.previousChar;
        if (before === this.delimiter || before === LF || before === CR) this.inQuotes = true;
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
    if (len > 0) this.previousChar = chunk.charCodeAt(len - 1);
    this.keep(chunk.slice(recordStart));
  }

  /** Hands the last record to `sink`, when the text does not end with a line break. */
  end(sink: CsvRecordSink): void {
    const unclosedQuote = this.inQuotes && !this.quotePending;
    const text = this.carry;
    this.carry = '';
    if (this.dropped !== undefined) {
      sink.overlong(this.overlong(this.dropped, unclosedQuote));
      this.dropped = undefined;
    } else if (text.length === 0) {
      return;
    } else if (unclosedQuote) {
      sink.unclosed(text, this.recordLine);
    } else {
      sink.record(text, 0, text.length, this.recordLine, this.quoted);
    }
  }

  private overlong(head: string, unclosedQuote = false): OverlongRecord {
    const text = head.slice(0, this.maxLineLength);
    return { line: this.recordLine, lastLine: this.line, text, unclosedQuote };
  }

  /** Holds the unfinished last record, but never more than the limit. */
  private keep(rest: string): void {
    if (this.dropped !== undefined) return;
    const joined = this.carry + rest;
    if (joined.length > this.maxLineLength) {
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

  private countQuotedLineBreaks(chunk: string, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const c = chunk.charCodeAt(i);
      if (c === LF) {
        if (!this.quotedCR) this.line++;
        this.quotedCR = false;
      } else if (c === CR) {
        this.line++;
        this.quotedCR = true;
      } else {
        this.quotedCR = false;
      }
    }
  }
}

function indexOrEnd(chunk: string, search: string, pos: number, len: number): number {
  const i = chunk.indexOf(search, pos);
  return i === -1 ? len : i;
}
