const QUOTE = 34;

/**
 * Where the next quote and the next delimiter lie in one text (a chunk), so that reading its
 * records searches for each occurrence once, not once per cell: a cell's search may run far past
 * its record when the text holds few of them.
 */
export class FieldCursor {
  private text = '';
  private nextQuote = -1;
  private nextDelimiter = -1;
  /** Where the searches that found them began: a search from before that must be run again. */
  private quoteSearch = 0;
  private delimiterSearch = 0;

  constructor(private readonly delimiter: string) {}

  /**
   * Starts over on `text`; positions searched in an earlier text are forgotten. Texts are told
   * apart by value, so two records of equal text (a carried line, then the last one) share what was
   * found, which holds only for searches from at or after where it was searched from.
   */
  reset(text: string): void {
    this.text = text;
    this.nextQuote = -1;
    this.nextDelimiter = -1;
    this.quoteSearch = 0;
    this.delimiterSearch = 0;
  }

  /** Position of the first delimiter at or after `pos` in `text`, or its length. */
  delimiterFrom(text: string, pos: number): number {
    if (text !== this.text) this.reset(text);
    if (this.nextDelimiter < pos || pos < this.delimiterSearch) {
      this.delimiterSearch = pos;
      this.nextDelimiter = indexOrEnd(text, this.delimiter, pos);
    }
    return this.nextDelimiter;
  }

  /** Position of the first quote at or after `pos` in `text`, or its length. */
  quoteFrom(text: string, pos: number): number {
    if (text !== this.text) this.reset(text);
    if (this.nextQuote < pos || pos < this.quoteSearch) {
      this.quoteSearch = pos;
      this.nextQuote = indexOrEnd(text, '"', pos);
    }
    return this.nextQuote;
  }
}

/**
 * The cells of the record `text.slice(start, end)` when its quotes are plain RFC 4180 ones: every
 * quote opens a cell at the cell's start, is doubled inside it, or closes it right before a
 * delimiter or the record's end. Those cells are exactly what csv-parse reads from the record
 * (with `relax_quotes`, `relax_column_count`; a property test holds it to that). Undefined for
 * any other record (a quote inside an unquoted cell, text after a closing quote, a cell left
 * open), which the caller hands to csv-parse.
 */
export function splitQuotedRecord(
  text: string,
  start: number,
  end: number,
  cursor: FieldCursor,
): string[] | undefined {
  if (start >= end) return undefined;
  const cells: string[] = [];
  let pos = start;
  for (;;) {
    if (pos < end && text.charCodeAt(pos) === QUOTE) {
      const close = closingQuote(text, pos + 1, end, cursor);
      if (close < 0) return undefined;
      cells.push(quotedCell(text, pos + 1, close));
      pos = close + 1;
      if (pos === end) return cells;
      if (cursor.delimiterFrom(text, pos) !== pos) return undefined;
    } else {
      const delimiter = cursor.delimiterFrom(text, pos);
      const cellEnd = Math.min(delimiter, end);
      if (cursor.quoteFrom(text, pos) < cellEnd) return undefined;
      cells.push(text.slice(pos, cellEnd));
      if (cellEnd === end) return cells;
      pos = cellEnd;
    }
    // At a delimiter: the next cell starts after it (an empty one when the record ends there).
    pos++;
  }
}

/** The quote closing a quoted cell whose text starts at `from`, skipping doubled ones; -1 if none. */
function closingQuote(text: string, from: number, end: number, cursor: FieldCursor): number {
  let pos = from;
  for (;;) {
    const quote = cursor.quoteFrom(text, pos);
    if (quote >= end) return -1;
    if (quote + 1 < end && text.charCodeAt(quote + 1) === QUOTE) pos = quote + 2;
    else return quote;
  }
}

/** A quoted cell's text between its quotes, each doubled quote read as one. */
function quotedCell(text: string, from: number, to: number): string {
  const inner = text.slice(from, to);
  return inner.includes('""') ? inner.replaceAll('""', '"') : inner;
}

function indexOrEnd(text: string, search: string, pos: number): number {
  const i = text.indexOf(search, pos);
  return i === -1 ? text.length : i;
}
