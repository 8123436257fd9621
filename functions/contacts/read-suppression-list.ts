import { decodeText } from './decode.js';
import { detectFormat } from './detect-format.js';
import { UnusableFileError } from './errors.js';
import { normalizePhone } from './normalize-phone.js';
import { DEFAULT_ENGINE_OPTIONS, PhonePrefixPolicy } from './options.js';
import { HeaderedParser, type HeaderedRecord } from './parse-headered.js';
import { MAX_PACKED_DIGITS, PhoneSet } from './phone-set.js';
import { FileRejectionCode } from './reason-codes.js';
import { isBlank } from './split-lines.js';
import type { PhoneRules, SuppressionListBuilder } from './suppression-list.js';

/** How one source of a list was read. */
export interface ListSourceSummary {
  /** `lines`: one number a line; `headered`: a CSV whose phone column was recognised. */
  readonly layout: 'lines' | 'headered';
  /** Numbers read (repeats included). */
  readonly numbers: number;
  /** Lines (records, for a headered file) holding no usable number. */
  readonly badLines: number;
  /** The first few of those lines' numbers, to find them in the file. */
  readonly firstBadLines: readonly number[];
}

export interface ListSourceOptions {
  /** Its name: `.gz` means gzip. */
  readonly sourceName: string;
  /** A source larger than this, decompressed, is refused as a whole. */
  readonly maxFileBytes?: number;
}

/** A registry of tens of millions of numbers stays well under this. */
const DEFAULT_MAX_LIST_BYTES = 4 * 1024 ** 3;
const SHOWN_BAD_LINES = 5;
/** A number-a-line `.csv` may quote its one cell or end it with a delimiter. */
const CELL_DECORATION = /^\s*"?|"?[\s,;|\t]*$/g;

/**
 * Reads one source of a suppression list into `builder`, numbers normalized under the builder's
 * rules as the engine normalizes a file's numbers: one number a line, or a headered CSV whose
 * phone column (and alternate columns) the engine recognises by their headers; gzip and every
 * encoding the engine reads are accepted. A line without a usable number is counted, never fatal.
 * Throws UnusableFileError only when the source as a whole cannot be read (empty, binary, an
 * encoding the engine refuses, a broken gzip stream, too large).
 */
export async function readListSource(
  source: AsyncIterable<Uint8Array>,
  options: ListSourceOptions,
  builder: SuppressionListBuilder,
): Promise<ListSourceSummary> {
  const decoded = await decodeText(source, {
    sourceName: options.sourceName,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_LIST_BYTES,
  });
  const first = await decoded.chunks.next();
  const head = first.done ? '' : first.value;
  const tally = new Tally(builder);
  const headered = headerOf(head, first.done === true, builder.rules);
  if (headered !== undefined) {
    const parser = new HeaderedParser({
      ...DEFAULT_ENGINE_OPTIONS,
      delimiter: headered.delimiter,
      firstLineNumber: headered.firstLine,
      campaign: '',
    });
    const records: HeaderedRecord[] = [];
    const text = head.slice(headered.skip);
    if (tryHeader(parser, text, records)) {
      tally.records(records);
      for (let next = await decoded.chunks.next(); !next.done; next = await decoded.chunks.next()) {
        parser.push(next.value, records);
        tally.records(records);
      }
      parser.end(records);
      tally.records(records);
      return tally.summary('headered');
    }
  }
  const lines = new NumberLines(tally, builder.rules);
  for (let chunk = first.done ? undefined : head; chunk !== undefined; ) {
    lines.push(chunk);
    const next = await decoded.chunks.next();
    chunk = next.done ? undefined : next.value;
  }
  lines.end();
  return tally.summary('lines');
}

/**
 * Where a headered source's header is, when its first line holds no number and reads as a header
 * row to the engine's format detection; undefined for a number-a-line source.
 */
function headerOf(
  head: string,
  complete: boolean,
  rules: PhoneRules,
): { delimiter: string; skip: number; firstLine: number } | undefined {
  const detection = detectFormat(head, complete);
  if (detection === undefined || detection.format !== 'headered') return undefined;
  const body = head.slice(detection.sepLineLength);
  const firstLine = body.trimStart().split(/\r\n|\r|\n/, 1)[0] ?? '';
  if (normalizePhone(firstLine.replace(CELL_DECORATION, ''), rules).ok) return undefined;
  return {
    delimiter: detection.delimiter,
    skip: detection.sepLineLength,
    firstLine: detection.sepLineLength > 0 ? 2 : 1,
  };
}

/** Pushes the first text; false when its header names no phone column (read it line by line). */
function tryHeader(parser: HeaderedParser, text: string, records: HeaderedRecord[]): boolean {
  try {
    parser.push(text, records);
    return true;
  } catch (error) {
    if (error instanceof UnusableFileError && error.code !== FileRejectionCode.BadEncoding) {
      records.length = 0;
      return false;
    }
    throw error;
  }
}

const LF = 10;
const CR = 13;

/**
 * Cuts a number-a-line text into lines (ended by LF or CRLF; a CR alone also ends one) as it
 * comes, chunk by chunk. A line of digits only, within the rules, is packed where it lies in
 * the chunk, with no string made for it: a registry of millions of numbers is mostly such lines.
 * Any other line is normalized as the engine normalizes a number.
 */
class NumberLines {
  private carry = '';
  /** The carried line grew past the longest line: the rest of it is skipped. */
  private overlong = false;
  private line = 0;
  private readonly min: number;
  private readonly max: number;
  private readonly noDoubleZero: boolean;

  constructor(
    private readonly tally: Tally,
    rules: PhoneRules,
  ) {
    this.min = rules.minPhoneDigits;
    this.max = Math.min(rules.maxPhoneDigits, MAX_PACKED_DIGITS);
    this.noDoubleZero = rules.phonePrefix === PhonePrefixPolicy.Strip;
  }

  push(chunk: string): void {
    let pos = 0;
    if (this.carry.endsWith('\r')) {
      this.carry = this.carry.slice(0, -1);
      this.carried('');
      if (chunk.charCodeAt(0) === LF) pos = 1;
    }
    // The next CR is looked for again only once passed: most files have none.
    let cr = chunk.indexOf('\r', pos);
    for (;;) {
      if (cr !== -1 && cr < pos) cr = chunk.indexOf('\r', pos);
      const end = lineEnd(chunk, pos, cr);
      if (end === -1) break;
      if (this.carry === '' && !this.overlong) this.lineAt(chunk, pos, end);
      else this.carried(chunk.slice(pos, end));
      pos = end + (chunk.charCodeAt(end) === CR && chunk.charCodeAt(end + 1) === LF ? 2 : 1);
    }
    if (pos < chunk.length) this.carry += chunk.slice(pos);
    if (this.carry.length > DEFAULT_ENGINE_OPTIONS.maxLineLength) {
      this.carry = '';
      this.overlong = true;
    }
  }

  end(): void {
    if (this.carry !== '' || this.overlong) this.carried('');
  }

  private carried(rest: string): void {
    const text = this.carry + rest;
    this.carry = '';
    if (this.overlong) {
      this.overlong = false;
      this.line++;
      this.tally.bad(this.line);
    } else this.lineAt(text, 0, text.length);
  }

  private lineAt(text: string, start: number, end: number): void {
    const line = ++this.line;
    const length = end - start;
    if (length >= this.min && length <= this.max) {
      const key = PhoneSet.keyOf(text, start, end);
      const doubleZero =
        this.noDoubleZero && text.charCodeAt(start) === 48 && text.charCodeAt(start + 1) === 48;
      if (key > 0 && !doubleZero) {
        this.tally.key(key);
        return;
      }
    }
    const cell = text.slice(start, end);
    if (isBlank(cell)) return;
    if (length > DEFAULT_ENGINE_OPTIONS.maxLineLength) this.tally.bad(line);
    else this.tally.number(cell.replace(CELL_DECORATION, ''), line);
  }
}

/**
 * Where the line from `pos` ends in `text` (its CR or LF), -1 when not in `text`; `cr` is the
 * first CR from `pos` (-1: none).
 */
function lineEnd(text: string, pos: number, cr: number): number {
  const lf = text.indexOf('\n', pos);
  if (cr === -1 || (lf !== -1 && lf < cr)) return lf;
  // A CR at the chunk's end may be the first half of a CRLF: wait for the next chunk.
  return cr === text.length - 1 ? -1 : cr;
}

/** Counts what a source held and hands its numbers to the builder. */
class Tally {
  private numbers = 0;
  private badLines = 0;
  private readonly firstBad: number[] = [];

  constructor(private readonly builder: SuppressionListBuilder) {}

  number(text: string, line: number): void {
    const result = normalizePhone(text, this.builder.rules);
    if (!result.ok) {
      this.bad(line);
      return;
    }
    this.builder.add(result.digits);
    this.numbers++;
  }

  /** A number already packed by PhoneSet.keyOf. */
  key(key: number): void {
    this.builder.addKey(key);
    this.numbers++;
  }

  bad(line: number): void {
    this.badLines++;
    if (this.firstBad.length < SHOWN_BAD_LINES) this.firstBad.push(line);
  }

  /** A headered source's records: the phone column and any alternate column, each a number. */
  records(records: HeaderedRecord[]): void {
    for (const record of records) {
      if ('code' in record) {
        this.bad(record.line);
        continue;
      }
      const cells = [record.main, ...record.alternates].filter((cell) => cell.trim() !== '');
      if (cells.length === 0) this.bad(record.line);
      for (const cell of cells) this.number(cell, record.line);
    }
    records.length = 0;
  }

  summary(layout: ListSourceSummary['layout']): ListSourceSummary {
    this.builder.addBadLines(this.badLines);
    const { numbers, badLines, firstBad } = this;
    return { layout, numbers, badLines, firstBadLines: firstBad };
  }
}
