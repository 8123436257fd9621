import { parse } from 'csv-parse/sync';
import type { RawContact, Rejection } from './contact.js';
import { REPLACEMENT_CHARACTER } from './decode.js';
import { UnusableFileError } from './errors.js';
import { type ColumnPlan, planColumns } from './map-columns.js';
import { maskPhonesInText } from './mask-phone.js';
import { isSpreadsheetDecimal } from './normalize-phone.js';
import { type ColumnMapping, ColumnRole } from './options.js';
import { FileRejectionCode, RejectionCode } from './reason-codes.js';
import {
  type CsvRecordSink,
  CsvRecordSplitter,
  type OverlongRecord,
  StrayQuoteReason,
  type UnmatchedQuote,
} from './split-csv-records.js';
import { isBlank } from './split-lines.js';
import { FieldCursor, splitQuotedRecord } from './split-quoted-record.js';
import { type RowShape, readsAsRow } from './stray-quote.js';

export interface HeaderedOptions {
  readonly delimiter: string;
  readonly maxLineLength: number;
  readonly maxFields: number;
  readonly mapping?: ColumnMapping;
  /** Line number of the header row (2 after a `sep=` line). */
  readonly firstLineNumber: number;
  /** Given to every row when the file has no campaign column (so it is no change). */
  readonly campaign: string;
  /** Given to every row when the file has no priority column (so it is no change). */
  readonly defaultPriority: string;
}

/** Where every line of a headered file went, besides its rows (see Counts). */
export interface HeaderedLines {
  /** Number of the last line read. */
  readonly lastLine: number;
  /** Lines skipped for holding no value. */
  readonly blank: number;
  /** Lines that continue a record begun on an earlier line (inside a quoted cell). */
  readonly joined: number;
}

/** A headered row read as a contact to validate, with the cells it came from. */
export interface HeaderedContact extends RawContact {
  readonly cells: readonly string[];
  /**
   * The record as it is in the file, kept for a record with quotes; without quotes, the cells
   * joined by the delimiter are that text.
   */
  readonly text?: string;
}

/** What a headered record becomes: a contact to validate, or a refusal. */
export type HeaderedRecord = HeaderedContact | Rejection;

const NO_ALTERNATES: readonly string[] = Object.freeze([]);

/**
 * Reads a headered (spreadsheet) file pushed as text chunks, the first record taken as the header.
 * CsvRecordSplitter cuts the records and numbers their lines; a record without a quote character
 * is split on the delimiter (all csv-parse would do with it), one whose quotes are plain RFC 4180
 * ones is read by splitQuotedRecord (what csv-parse reads from it), and the others go through
 * csv-parse with RFC 4180 quoting, a chunk's worth at a time behind the header row, so that
 * csv-parse compares each row's width with the header's. A quoted cell running into a line that reads as a row of
 * its own (see readsAsRow) is taken for a stray quote. Bad records come out as rejections
 * (LINE_TOO_LONG, TOO_MANY_FIELDS, MALFORMED_ROW, BAD_ENCODING); rows with no value at all, and
 * blank lines before the header, are skipped. Throws UnusableFileError (NO_PHONE_COLUMN,
 * BAD_MAPPING) from the header.
 */
export class HeaderedParser implements CsvRecordSink {
  private readonly options: HeaderedOptions;
  private readonly delimiter: string;
  private readonly splitter: CsvRecordSplitter;
  private readonly csvOptions;
  private plan: ColumnPlan | undefined;
  private shape: RowShape | undefined;
  private headerText = '';
  private blankRecords = 0;
  private checkEncoding = false;
  /** Rows come as cells (a workbook's), not as text to split. */
  private cellsGiven = false;
  private out: HeaderedRecord[] = [];
  /** Where the next delimiter and quote are in the text the records come from. */
  private readonly cursor: FieldCursor;
  /** Quoted records of the current chunk, waiting for csv-parse: text, line, place in `out`. */
  private readonly quotedTexts: string[] = [];
  private readonly quotedLines: number[] = [];
  private readonly quotedSlots: number[] = [];

  constructor(options: HeaderedOptions) {
    this.options = options;
    this.delimiter = options.delimiter;
    this.cursor = new FieldCursor(options.delimiter);
    this.splitter = new CsvRecordSplitter(
      options.delimiter,
      options.maxLineLength,
      options.firstLineNumber,
    );
    // csv-parse is only given whole records joined by LF, so LF is the one record delimiter.
    this.csvOptions = {
      delimiter: options.delimiter,
      record_delimiter: '\n',
      relax_quotes: true,
      relax_column_count: true,
    };
  }

  /** The header row's cells, once read. */
  get headers(): readonly string[] | undefined {
    return this.plan?.headers;
  }

  /** How the header's columns are used, once read. */
  get columns(): ColumnPlan | undefined {
    return this.plan;
  }

  /** Where the lines read so far went; complete once `end` has run. */
  get lines(): HeaderedLines {
    const splitter = this.splitter;
    return {
      lastLine: splitter.lastLine,
      blank: splitter.empty + this.blankRecords,
      joined: splitter.joined,
    };
  }

  /** Parses the next chunk, appending its complete records to `out`. */
  push(chunk: string, out: HeaderedRecord[]): void {
    if (!this.checkEncoding && chunk.includes(REPLACEMENT_CHARACTER)) this.checkEncoding = true;
    this.out = out;
    this.cursor.reset(chunk);
    this.splitter.push(chunk, this);
    this.parseQuoted();
  }

  /** Parses what is left at the end of the text. */
  end(out: HeaderedRecord[]): void {
    this.out = out;
    this.splitter.end(this);
    this.parseQuoted();
  }

  /**
   * Reads one row of a workbook's sheet, appending it to `out` as CSV records are: the first row is
   * the header, and every check on cells applies (TOO_MANY_FIELDS, MALFORMED_ROW, LINE_TOO_LONG on
   * the row's length as one CSV line). `text` is that line when a cell needed quotes; without it,
   * the cells joined by `,` are the line.
   */
  pushCells(cells: string[], line: number, text: string | undefined, out: HeaderedRecord[]): void {
    const maxLineLength = this.options.maxLineLength;
    if ((text?.length ?? joinedLength(cells)) > maxLineLength) {
      const whole = text ?? cells.join(',');
      const entry = {
        line,
        lastLine: line,
        text: whole.slice(0, maxLineLength),
        unclosedQuote: false,
      };
      if (!this.plan) throw overlongHeader(entry, maxLineLength);
      out.push(overlongRejection(entry, maxLineLength));
      return;
    }
    if (!this.plan) {
      this.headerText = text ?? cells.join(',');
      this.plan = planColumns(
        cells.map((cell) => cell.trim()),
        this.options.mapping,
      );
      return;
    }
    this.cellsGiven = true;
    const record = this.toRecord(cells, line, text);
    if (record) out.push(record);
  }

  /** Called by the splitter for each whole record. */
  record(source: string, start: number, end: number, line: number, quoted: boolean): void {
    if (!this.plan) {
      this.readHeader(source.slice(start, end), quoted);
      return;
    }
    if (quoted) {
      const cells = splitQuotedRecord(source, start, end, this.cursor);
      if (cells) {
        const record = this.toRecord(cells, line, source.slice(start, end));
        if (record) this.out.push(record);
        return;
      }
      this.quotedTexts.push(source.slice(start, end));
      this.quotedLines.push(line);
      this.quotedSlots.push(this.out.length);
      // Holds the record's place until csv-parse has read it.
      this.out.push(PENDING);
      return;
    }
    const record = this.toRecord(this.splitCells(source, start, end), line);
    if (record) this.out.push(record);
  }

  private readHeader(text: string, quoted: boolean): void {
    // As format detection does, the header is the first line that is not blank.
    if (isBlank(text)) {
      this.blankRecords++;
      return;
    }
    const cells = quoted ? this.parseOne(text) : text.split(this.delimiter);
    this.headerText = text;
    const plan = planColumns(
      cells.map((cell) => cell.trim()),
      this.options.mapping,
    );
    this.plan = plan;
    this.shape = { columns: plan.headers.length, phone: plan.phone };
  }

  /** Called by the splitter for a line a quoted cell begun on an earlier line runs into. */
  looksLikeRow(line: string): boolean {
    return this.shape !== undefined && readsAsRow(line, this.delimiter, this.shape);
  }

  /** The cells of a record without quotes: its text split on the delimiter. */
  private splitCells(source: string, start: number, end: number): string[] {
    const cells: string[] = [];
    let from = start;
    for (;;) {
      // The next delimiter is searched for once per occurrence, not once per record.
      const at = this.cursor.delimiterFrom(source, from);
      if (at >= end) break;
      cells.push(source.slice(from, at));
      from = at + 1;
    }
    cells.push(source.slice(from, end));
    return cells;
  }

  /** Called by the splitter for each record longer than the limit. */
  overlong(entry: OverlongRecord): void {
    if (!this.plan) throw overlongHeader(entry, this.options.maxLineLength);
    this.out.push(overlongRejection(entry, this.options.maxLineLength));
  }

  /** Called by the splitter for a record whose quote is taken for a stray one. */
  unmatchedQuote(entry: UnmatchedQuote): void {
    if (!this.plan) {
      throw new UnusableFileError(
        FileRejectionCode.NoPhoneColumn,
        'The header row has a quoted cell that is never closed: add the missing closing quote (").',
      );
    }
    const message =
      `The quote (") at line ${entry.quoteLine}, character ${entry.quoteColumn} ` +
      `${this.strayBecause(entry)}; the lines after line ${entry.quoteLine} are read as rows. ` +
      'Add the missing closing quote, or remove the stray one.';
    this.out.push(rejection(entry.line, RejectionCode.MalformedRow, message, entry.text));
  }

  private strayBecause(entry: UnmatchedQuote): string {
    switch (entry.reason) {
      case StrayQuoteReason.End:
        return 'opens a cell that is never closed before the end of the file';
      case StrayQuoteReason.Limit:
        return `opens a cell that is never closed before the ${this.options.maxLineLength}-character limit of a row`;
      case StrayQuoteReason.Row:
        return `opens a cell that runs into line ${entry.rowLine}, which reads as a row of its own`;
    }
  }

  private parseOne(text: string): string[] {
    return (parse(text, this.csvOptions) as string[][])[0] ?? [];
  }

  /** Runs csv-parse once over the chunk's quoted records and puts each in its place. */
  private parseQuoted(): void {
    const texts = this.quotedTexts;
    if (texts.length === 0) return;
    const rows = parse(`${this.headerText}\n${texts.join('\n')}`, this.csvOptions) as string[][];
    if (rows.length !== texts.length + 1) {
      throw new Error(`CSV records and line numbers out of step at line ${this.quotedLines[0]}`);
    }
    const out = this.out;
    let skipped = false;
    for (let i = 0; i < texts.length; i++) {
      const record = this.toRecord(rows[i + 1]!, this.quotedLines[i]!, texts[i]!);
      if (record) out[this.quotedSlots[i]!] = record;
      else skipped = true;
    }
    if (skipped) removePending(out, this.quotedSlots[0]!);
    texts.length = 0;
    this.quotedLines.length = 0;
    this.quotedSlots.length = 0;
  }

  /** `text` is the record's text when it holds quotes (the cells joined are it otherwise). */
  private toRecord(cells: string[], line: number, text?: string): HeaderedRecord | undefined {
    const plan = this.plan!;
    if (allBlank(cells)) {
      this.blankRecords++;
      return undefined;
    }
    const { delimiter, maxFields } = this.options;
    if (cells.length > maxFields) {
      const message = `The row has ${cells.length} cells; the limit is ${maxFields}.`;
      return rejection(line, RejectionCode.TooManyFields, message, text ?? cells.join(delimiter));
    }
    const columns = plan.headers.length;
    if (cells.length > columns && !allBlank(cells, columns)) {
      const why = this.cellsGiven
        ? 'a cell right of the last header holds a value'
        : `a value may hold an unquoted "${printable(delimiter)}"`;
      const message = `The row has ${cells.length} cells but the header has ${columns}: ${why}.`;
      return rejection(line, RejectionCode.MalformedRow, message, text ?? cells.join(delimiter));
    }
    if (this.checkEncoding && cells.some((cell) => cell.includes(REPLACEMENT_CHARACTER))) {
      return rejection(line, RejectionCode.BadEncoding, BAD_BYTES, text ?? cells.join(delimiter));
    }
    return new HeaderedRow(plan, cells, line, this.options, text);
  }
}

/** Marks a place in the output held for a quoted record. */
const PENDING: Rejection = Object.freeze({
  line: 0,
  code: RejectionCode.MalformedRow,
  message: '',
  original: '',
});

/** Drops the places of quoted records that turned out blank, from `from` on. */
function removePending(out: HeaderedRecord[], from: number): void {
  let kept = from;
  for (let i = from; i < out.length; i++) {
    if (out[i] !== PENDING) out[kept++] = out[i]!;
  }
  out.length = kept;
}

/** The length of the cells joined by one-character delimiters. */
function joinedLength(cells: readonly string[]): number {
  let length = cells.length - 1;
  for (let i = 0; i < cells.length; i++) length += cells[i]!.length;
  return length;
}

function allBlank(cells: readonly string[], from = 0): boolean {
  for (let i = from; i < cells.length; i++) if (!isBlank(cells[i]!)) return false;
  return true;
}

const BAD_BYTES = "The row holds bytes that are not valid in the file's encoding.";

/**
 * A headered row as a contact to validate. Its variables are built when first read: rows that
 * need no change are written straight from their cells (CanonicalRowWriter) and never read them.
 */
class HeaderedRow implements HeaderedContact {
  readonly line: number;
  readonly campaign: string;
  readonly main: string;
  readonly alternates: readonly string[];
  readonly priority: string;
  readonly agentphone: string;
  readonly fieldCount = 6;
  readonly cells: readonly string[];
  readonly text: string | undefined;
  private readonly plan: ColumnPlan;
  private pairs: RawContact['variables'] | undefined;

  constructor(
    plan: ColumnPlan,
    cells: string[],
    line: number,
    options: HeaderedOptions,
    text: string | undefined,
  ) {
    this.line = line;
    this.campaign = plan.campaign < 0 ? options.campaign : cell(cells, plan.campaign);
    this.main = cell(cells, plan.phone);
    this.alternates = alternatesOf(plan.alternates, cells);
    this.priority = plan.priority < 0 ? options.defaultPriority : cell(cells, plan.priority);
    this.agentphone = cell(cells, plan.agentphone);
    this.cells = cells;
    this.text = text;
    this.plan = plan;
  }

  columnOf(role: ColumnRole, text: string): string {
    const plan = this.plan;
    let column: number;
    if (role === ColumnRole.Alternate) {
      // An alternate is its cell, or one of the numbers the cell lists.
      column = plan.alternates.find((c) => cell(this.cells, c).includes(text)) ?? -1;
    } else if (role === ColumnRole.Phone) column = plan.phone;
    else if (role === ColumnRole.Campaign) column = plan.campaign;
    else if (role === ColumnRole.Priority) column = plan.priority;
    else if (role === ColumnRole.Agentphone) column = plan.agentphone;
    else column = -1;
    if (column < 0) return `the ${role} column`;
    // A header may be data (a file without a header row): masked as any text shown.
    const header = maskPhonesInText(plan.headers[column] ?? '');
    return header === '' ? `column ${column + 1}` : `column ${column + 1} (${header})`;
  }

  get variables(): RawContact['variables'] {
    if (this.pairs === undefined) {
      const columns = this.plan.variables;
      const pairs = new Array<readonly [string, string]>(columns.length);
      for (let i = 0; i < columns.length; i++) {
        const { column, name } = columns[i]!;
        pairs[i] = [name, cell(this.cells, column)];
      }
      this.pairs = pairs;
    }
    return this.pairs;
  }
}

/** The alternates' cells in column order; one cell may list several numbers. */
function alternatesOf(columns: readonly number[], cells: readonly string[]): readonly string[] {
  let alternates: string[] | undefined;
  for (const column of columns) {
    const value = cell(cells, column);
    if (value === '') continue;
    alternates ??= [];
    // `98344484,0` is one number a spreadsheet wrote as a decimal, refused as such, not a list.
    if (!hasListSeparator(value) || isSpreadsheetDecimal(value)) {
      alternates.push(value);
      continue;
    }
    for (const part of value.split(LIST_SEPARATOR)) {
      const number = part.trim();
      if (number !== '') alternates.push(number);
    }
  }
  return alternates ?? NO_ALTERNATES;
}

/** Separates several numbers written in one alternates cell. */
const LIST_SEPARATOR = /[:;,|]/;

function hasListSeparator(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // `:` `;` `,` `|`
    if (c === 0x3a || c === 0x3b || c === 0x2c || c === 0x7c) return true;
  }
  return false;
}

/** A cell without surrounding spaces; '' for a column the row lacks or the file has not. */
export function cell(cells: readonly string[], column: number): string {
  const value = column < 0 ? undefined : cells[column];
  if (value === undefined || value === '') return '';
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return first > 32 && last > 32 ? value : value.trim();
}

function rejection(
  line: number,
  code: RejectionCode,
  message: string,
  original: string,
): Rejection {
  return { line, code, message, original };
}

function overlongRejection(entry: OverlongRecord, maxLineLength: number): Rejection {
  const span = entry.lastLine > entry.line ? ` (it runs to line ${entry.lastLine})` : '';
  const hint =
    entry.unclosedQuote || entry.lastLine > entry.line
      ? ': a quoted cell may be missing its closing quote'
      : '';
  const message = `The row is longer than ${maxLineLength} characters${span}${hint}.`;
  return rejection(entry.line, RejectionCode.LineTooLong, message, entry.text);
}

function overlongHeader(entry: OverlongRecord, maxLineLength: number): UnusableFileError {
  return new UnusableFileError(
    FileRejectionCode.NoPhoneColumn,
    `The header row (line ${entry.line}) is longer than ${maxLineLength} characters, so no phone column could be found.`,
  );
}

function printable(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}
