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

/** Why a quote opening a cell was taken for a stray one. */
export const StrayQuoteReason = {
  /** The file ended inside the cell. */
  End: 'end',
  /** The cell ran past the length limit. */
  Limit: 'limit',
  /** A line the cell ran into reads as a row of its own. */
  Row: 'row',
} as const;
export type StrayQuoteReason = (typeof StrayQuoteReason)[keyof typeof StrayQuoteReason];

/**
 * A record refused because the quote opening one of its cells is taken for a stray one (see
 * StrayQuoteReason). `text` is the record up to the end of the line holding the quote; the lines
 * after that one are read again as records of their own.
 */
export interface UnmatchedQuote {
  readonly line: number;
  /** Where the quote that opened the cell is: its line, and its place in that line (from 1). */
  readonly quoteLine: number;
  readonly quoteColumn: number;
  readonly text: string;
  readonly reason: StrayQuoteReason;
  /** For `row`: the line that reads as a row of its own. */
  readonly rowLine?: number;
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
  /** A record whose quoted cell is taken for a stray quote. */
  unmatchedQuote(record: UnmatchedQuote): void;
  /**
   * Whether `line`, a line that a quoted cell begun on an earlier line runs into without closing
   * there as a cell closes (before a delimiter or a line break), is, read on its own, a row of its
   * own: the quote is then taken for a stray one. Without this method every such cell is
   * believed, as csv-parse believes it.
   */
  looksLikeRow?(line: string): boolean;
}

/** Where the splitter goes on after leaving out a record with an unmatched quote. */
interface Resume {
  readonly text: string;
  readonly from: number;
}

/** A quote that opened a cell: its offset in the record, its line, the first line break after it. */
interface OpenQuote {
  at: number;
  line: number;
  /** Offset in the record; -1 until a line break is read after the quote. */
  lineBreak: number;
}

/**
 * Cuts streamed CSV text at record boundaries, following quotes the way csv-parse does with
 * `relax_quotes` (a quote opens a quoted cell only at the start of a cell; `""` inside one is a
 * quote), so every record gets its start line and a parser is only ever given whole records.
 * Records longer than `maxLineLength` are left out and reported; memory stays within that limit
 * plus a chunk. A quote is taken for a stray one, so that it cannot swallow the rows after it,
 * when the cell it opens is still open when its record passes the limit or at the end of the
 * text, or when a line the cell runs into looks like a row of its own (`looksLikeRow`): its
 * record ends with the quote's line, and the lines after it are read as records again. Every
 * position is read a bounded number of times, whatever the chunks.
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
  /** The text being read, and whether it holds each character searched for. */
  private text = '';
  private hasQuote = false;
  private hasLF = false;
  private hasCR = false;
  private nextQuote = -1;
  private nextLF = -1;
  private nextCR = -1;
  /** The quote that opened the current quoted cell. */
  private readonly openQuote: OpenQuote = { at: 0, line: 0, lineBreak: -1 };
  /** The sink when it judges lines (`looksLikeRow`). */
  private judge: CsvRecordSink | undefined;
  /**
   * Offset in the record of the line being read when a quoted cell begun on an earlier line runs
   * into it and it is still to be judged; -1 otherwise.
   */
  private lineStart = -1;
  /** That cell, and whether it is still open. */
  private readonly lineCell: OpenQuote = { at: 0, line: 0, lineBreak: -1 };
  private lineCellOpen = false;
  /** The line found to read as a row of its own. */
  private rowLine = 0;
  private joinedLines = 0;
  private emptyLines = 0;
  /** The text read so far ends inside a line, after its last line break. */
  private endsInLine = false;

  constructor(delimiter: string, maxLineLength: number, firstLineNumber = 1) {
    this.delimiter = delimiter.charCodeAt(0);
    this.maxLineLength = maxLineLength;
    this.line = firstLineNumber;
    this.recordLine = firstLineNumber;
  }

  /** Lines that continue a record begun on an earlier line, over every record handed out. */
  get joined(): number {
    return this.joinedLines;
  }

  /** Lines skipped for being empty (no character between two line breaks). */
  get empty(): number {
    return this.emptyLines;
  }

  /** Number of the text's last line once `end` has run (one less than the first for no text). */
  get lastLine(): number {
    return this.endsInLine ? this.line : this.line - 1;
  }

  /** Hands the chunk's complete records to `sink`; the text after the last one is held. */
  push(chunk: string, sink: CsvRecordSink): void {
    if (chunk.length > 0) this.endsInLine = !isLineBreak(chunk.charCodeAt(chunk.length - 1));
    this.judge = sink.looksLikeRow ? sink : undefined;
    this.read({ text: chunk, from: 0 }, sink);
  }

  /**
   * Hands the last record to `sink`, when the text does not end with a line break. A quoted cell
   * left open ends its record with the quote's line, and the lines after it are read again.
   */
  end(sink: CsvRecordSink): void {
    this.judge = sink.looksLikeRow ? sink : undefined;
    for (;;) {
      // The last quote of the text closes its cell, as a cell closes.
      if (this.quotePending) this.closeCell(LF);
      this.quotePending = false;
      const text = this.carry;
      this.carry = '';
      if (this.dropped !== undefined) {
        this.refuseOverlong(this.dropped, this.inQuotes, sink);
        this.dropped = undefined;
        return;
      }
      if (text.length === 0) return;
      const resume = this.endLast(text, sink);
      if (resume === undefined) return;
      this.read(resume, sink);
    }
  }

  private read(start: Resume, sink: CsvRecordSink): void {
    let resume: Resume | undefined = start;
    while (resume !== undefined) resume = this.scan(resume.text, resume.from, sink);
  }

  /** Reads `chunk` from `from`; returns where to read on when a stray quote ended a record. */
  private scan(chunk: string, from: number, sink: CsvRecordSink): Resume | undefined {
    const len = chunk.length;
    this.startSearch(chunk);
    let pos = from;
    if (this.boundaryCR && pos < len) {
      this.boundaryCR = false;
      if (chunk.charCodeAt(pos) === LF) pos++;
    }
    let recordStart = pos;
    if (this.quotePending && pos < len) {
      this.quotePending = false;
      const c = chunk.charCodeAt(pos);
      if (c === QUOTE) pos++;
      else this.closeCell(c);
    }
    while (pos < len) {
      if (this.inQuotes) {
        const resume = this.readQuoted(chunk, recordStart, pos, sink);
        if (typeof resume !== 'number') return resume;
        pos = resume;
        continue;
      }
      const next = this.nextSpecial(chunk, pos, len);
      if (next === len) break;
      const c = chunk.charCodeAt(next);
      if (c === QUOTE) {
        this.quoted = true;
        const before = next > from ? chunk.charCodeAt(next - 1) : this.previousChar;
        if (before === this.delimiter || isLineBreak(before)) {
          this.inQuotes = true;
          setQuote(this.openQuote, this.carry.length + next - recordStart, this.line, -1);
        }
        pos = next + 1;
        continue;
      }
      if (this.lineStart >= 0 && this.judgeLine(chunk, recordStart, next)) {
        return this.cutAtQuote(chunk, recordStart, this.lineCell, StrayQuoteReason.Row, sink);
      }
      this.endRecord(chunk, recordStart, next, sink);
      pos = next + 1;
      if (c === CR) {
        if (pos === len) this.boundaryCR = true;
        else if (chunk.charCodeAt(pos) === LF) pos++;
      }
      recordStart = pos;
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
   * Reads an open quoted cell from `pos` to its next quote (or the chunk's end); returns where to
   * read on in the chunk (its length when it is used up), or where to read on after a stray
   * quote ended the record.
   */
  private readQuoted(
    chunk: string,
    recordStart: number,
    pos: number,
    sink: CsvRecordSink,
  ): number | Resume {
    const len = chunk.length;
    const quote = this.toQuote(chunk, recordStart, pos);
    if (quote < 0) {
      return this.cutAtQuote(chunk, recordStart, this.lineCell, StrayQuoteReason.Row, sink);
    }
    if (
      this.dropped !== undefined ||
      this.carry.length + quote - recordStart > this.maxLineLength
    ) {
      const resume = this.endAtQuoteLine(chunk, recordStart, pos, quote, sink);
      if (resume !== undefined) return resume;
    }
    if (quote === len) return len;
    this.quotedCR = false;
    if (quote + 1 === len) {
      this.quotePending = true;
      return len;
    }
    const after = chunk.charCodeAt(quote + 1);
    if (after === QUOTE) return quote + 2;
    this.closeCell(after);
    return quote + 1;
  }

  /** Hands the record from `recordStart` to the line break at `end` to the sink. */
  private endRecord(chunk: string, recordStart: number, end: number, sink: CsvRecordSink): void {
    const length = this.carry.length + end - recordStart;
    if (this.dropped !== undefined || length > this.maxLineLength) {
      sink.overlong(this.overlong(this.dropped ?? this.carry + chunk.slice(recordStart, end)));
      this.dropped = undefined;
    } else if (this.carry.length > 0) {
      const text = this.carry + chunk.slice(recordStart, end);
      sink.record(text, 0, text.length, this.recordLine, this.quoted);
    } else if (length > 0) {
      sink.record(chunk, recordStart, end, this.recordLine, this.quoted);
    } else {
      this.emptyLines++;
    }
    this.joinedLines += this.line - this.recordLine;
    this.carry = '';
    this.quoted = false;
    this.line++;
    this.recordLine = this.line;
  }

  /** The text after the last line break, as the last record; where to read on after a stray quote. */
  private endLast(text: string, sink: CsvRecordSink): Resume | undefined {
    if (this.lineStart >= 0 && this.judgeLine(text, 0, text.length)) {
      return this.cutAtQuote(text, 0, this.lineCell, StrayQuoteReason.Row, sink);
    }
    if (this.inQuotes && this.openQuote.lineBreak >= 0) {
      return this.cutAtQuote(text, 0, this.openQuote, StrayQuoteReason.End, sink);
    }
    if (this.inQuotes) {
      sink.unmatchedQuote(this.unmatched(text, this.openQuote, StrayQuoteReason.End));
    } else if (text.length > this.maxLineLength) {
      // Held one over the limit only for a quote that turned out to close its cell.
      sink.overlong(this.overlong(text));
    } else {
      sink.record(text, 0, text.length, this.recordLine, this.quoted);
    }
    this.joinedLines += this.line - this.recordLine;
    return undefined;
  }

  /** A quoted cell closes before the character `next`. */
  private closeCell(next: number): void {
    this.inQuotes = false;
    if (this.lineStart < 0 || !this.lineCellOpen) return;
    // Closed as a cell closes, on a line it ran into: the cell is believed and the line not judged.
    if (next === this.delimiter || isLineBreak(next)) this.lineStart = -1;
    else this.lineCellOpen = false;
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
    if (this.dropped !== undefined) {
      // Over the limit before the quote opened: each stretch of the cell is searched as it is read.
      const lineBreak = lineBreakIn(chunk, pos, stop);
      if (lineBreak === -1) return undefined;
      const quoteLine = this.openQuote.line;
      this.line = quoteLine;
      this.refuseOverlong(this.dropped, true, sink);
      return this.restartAfter(chunk, lineBreak, quoteLine + 1);
    }
    // Known from the line breaks counted, never searched for again: a long run of quotes in one
    // cell would otherwise make this quadratic.
    if (this.openQuote.lineBreak < 0) return undefined;
    return this.cutAtQuote(chunk, recordStart, this.openQuote, StrayQuoteReason.Limit, sink);
  }

  /**
   * Refuses the record up to the end of the line of `quote`, taken for a stray one, and returns
   * where to read on: the line after it.
   */
  private cutAtQuote(
    chunk: string,
    recordStart: number,
    quote: OpenQuote,
    reason: StrayQuoteReason,
    sink: CsvRecordSink,
  ): Resume {
    const carried = this.carry.length > 0;
    // Copies only a record begun in an earlier chunk, once: reading goes on in the copy.
    const text = carried ? this.carry + chunk.slice(recordStart) : chunk;
    const start = carried ? 0 : recordStart;
    const lineBreak = start + quote.lineBreak;
    const head = text.slice(start, lineBreak);
    if (head.length > this.maxLineLength) {
      this.line = quote.line;
      this.refuseOverlong(head, true, sink);
    } else {
      sink.unmatchedQuote(this.unmatched(head, quote, reason));
      this.joinedLines += quote.line - this.recordLine;
    }
    return this.restartAfter(text, lineBreak, quote.line + 1);
  }

  private refuseOverlong(head: string, unclosedQuote: boolean, sink: CsvRecordSink): void {
    sink.overlong(this.overlong(head, unclosedQuote));
    this.joinedLines += this.line - this.recordLine;
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
    this.openQuote.lineBreak = -1;
    this.lineStart = -1;
    this.line = line;
    this.recordLine = line;
    return { text, from };
  }

  /** `text` starts where the record does. */
  private unmatched(text: string, quote: OpenQuote, reason: StrayQuoteReason): UnmatchedQuote {
    const at = quote.at;
    const lineStart = Math.max(text.lastIndexOf('\n', at), text.lastIndexOf('\r', at)) + 1;
    const entry = {
      line: this.recordLine,
      quoteLine: quote.line,
      quoteColumn: at - lineStart + 1,
      text,
      reason,
    };
    return reason === StrayQuoteReason.Row ? { ...entry, rowLine: this.rowLine } : entry;
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
      // Past the limit, the limit decides.
      this.lineStart = -1;
    } else {
      this.carry = joined;
    }
  }

  /**
   * Starts reading `text`: a text read again after a stray quote is not searched again for
   * characters it does not hold, so reading it again costs no more than reading it once.
   */
  private startSearch(text: string): void {
    this.nextQuote = -1;
    this.nextLF = -1;
    this.nextCR = -1;
    if (text === this.text) return;
    this.text = text;
    this.hasQuote = text.includes('"');
    this.hasLF = text.includes('\n');
    this.hasCR = text.includes('\r');
  }

  /** Position of the next quote or line break at or after `pos`, or `len`. */
  private nextSpecial(chunk: string, pos: number, len: number): number {
    // Each position is searched for once per occurrence, not once per record.
    if (this.nextQuote < pos) this.nextQuote = this.hasQuote ? indexOrEnd(chunk, '"', pos) : len;
    if (this.nextLF < pos) this.nextLF = this.hasLF ? indexOrEnd(chunk, '\n', pos) : len;
    if (this.nextCR < pos) this.nextCR = this.hasCR ? indexOrEnd(chunk, '\r', pos) : len;
    return Math.min(this.nextQuote, this.nextLF, this.nextCR);
  }

  /**
   * Reads a quoted cell's text from `from` in the chunk to its next quote, counting its line
   * breaks and judging each line the cell runs into. Returns the quote's position (the chunk's
   * length when there is none), or -1 when a line reads as a row of its own.
   */
  private toQuote(chunk: string, recordStart: number, from: number): number {
    // One pass, and no String.indexOf: optimized code was seen running that search for the next
    // quote at every record, however rarely a cell is open, which made reading quadratic.
    const len = chunk.length;
    for (let i = from; i < len; i++) {
      const c = chunk.charCodeAt(i);
      if (c === QUOTE) return i;
      if (c === LF) {
        if (!this.quotedCR) {
          if (this.lineBreak(chunk, recordStart, i)) return -1;
        } else if (this.lineStart >= 0) {
          // The LF of a CRLF: the line starts after it.
          this.lineStart++;
        }
        this.quotedCR = false;
      } else if (c === CR) {
        if (this.lineBreak(chunk, recordStart, i)) return -1;
        this.quotedCR = true;
      } else {
        this.quotedCR = false;
      }
    }
    return len;
  }

  /** A line break inside a quoted cell, at `i` in the chunk; true when the line it ends reads as a row. */
  private lineBreak(chunk: string, recordStart: number, i: number): boolean {
    const at = this.carry.length + i - recordStart;
    const quote = this.openQuote;
    if (this.line === quote.line) quote.lineBreak = at;
    if (this.lineStart >= 0 && this.judgeLine(chunk, recordStart, i)) return true;
    this.line++;
    if (this.judge !== undefined && this.dropped === undefined) {
      this.lineStart = at + 1;
      setQuote(this.lineCell, quote.at, quote.line, quote.lineBreak);
      this.lineCellOpen = true;
    }
    return false;
  }

  /**
   * Judges the line from `lineStart` in the record to `end` in the chunk; true when it reads as
   * a row of its own.
   */
  private judgeLine(chunk: string, recordStart: number, end: number): boolean {
    const start = this.lineStart;
    this.lineStart = -1;
    const carried = this.carry.length;
    if (carried + end - recordStart - start > this.maxLineLength) return false;
    const line =
      start >= carried
        ? chunk.slice(recordStart + start - carried, end)
        : this.carry.slice(start) + chunk.slice(recordStart, end);
    if (!this.judge?.looksLikeRow?.(line)) return false;
    this.rowLine = this.line;
    return true;
  }
}

function setQuote(quote: OpenQuote, at: number, line: number, lineBreak: number): void {
  quote.at = at;
  quote.line = line;
  quote.lineBreak = lineBreak;
}

function isLineBreak(c: number): boolean {
  return c === LF || c === CR;
}

/** Position of the first CR or LF in `text` from `from` to before `to`, or -1. */
function lineBreakIn(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    if (isLineBreak(text.charCodeAt(i))) return i;
  }
  return -1;
}

function indexOrEnd(chunk: string, search: string, pos: number): number {
  const i = chunk.indexOf(search, pos);
  return i === -1 ? chunk.length : i;
}
