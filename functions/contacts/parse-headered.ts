import { parse } from 'csv-parse/sync';
import type { RawContact, Rejection } from './contact.js';
import { REPLACEMENT_CHARACTER } from './decode.js';
import { UnusableFileError } from './errors.js';
import { type ColumnPlan, planColumns } from './map-columns.js';
import type { ColumnMapping } from './options.js';
import { FileRejectionCode, RejectionCode } from './reason-codes.js';
import { CsvRecordSplitter, type CsvSegment, type OverlongRecord } from './split-csv-records.js';
import { isBlank } from './split-lines.js';

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

/** What a headered record becomes: a contact to validate (with its cells), or a refusal. */
export type HeaderedRecord =
  | { readonly raw: RawContact; readonly cells: readonly string[] }
  | Rejection;

/**
 * Reads a headered (spreadsheet) file pushed as text chunks: csv-parse with RFC 4180 quoting on
 * whole records cut by CsvRecordSplitter, the first record taken as the header. Bad records come
 * out as rejections (LINE_TOO_LONG, TOO_MANY_FIELDS, MALFORMED_ROW, BAD_ENCODING); rows with no
 * value at all are skipped. Throws UnusableFileError (NO_PHONE_COLUMN, BAD_MAPPING) from the header.
 */
export class HeaderedParser {
  private readonly options: HeaderedOptions;
  private readonly splitter: CsvRecordSplitter;
  private readonly csvOptions;
  private plan: ColumnPlan | undefined;

  constructor(options: HeaderedOptions) {
    this.options = options;
    this.splitter = new CsvRecordSplitter(
      options.delimiter,
      options.maxLineLength,
      options.firstLineNumber,
    );
    this.csvOptions = {
      delimiter: options.delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
    };
  }

  /** The header row's cells, once read. */
  get headers(): readonly string[] | undefined {
    return this.plan?.headers;
  }

  /** Parses the next chunk, appending its complete records to `out`. */
  push(chunk: string, out: HeaderedRecord[]): void {
    this.read(this.splitter.push(chunk), out);
  }

  /** Parses what is left at the end of the text. */
  end(out: HeaderedRecord[]): void {
    this.read(this.splitter.end(), out);
  }

  private read(segment: CsvSegment, out: HeaderedRecord[]): void {
    const { entries } = segment;
    if (entries.length === 0) return;
    let rows: string[][];
    try {
      rows = segment.text.length > 0 ? (parse(segment.text, this.csvOptions) as string[][]) : [];
    } catch (error) {
      if (!segment.unclosedQuote) throw error;
      if (!this.plan) {
        throw new UnusableFileError(
          FileRejectionCode.NoPhoneColumn,
          'The header row has a quoted cell that is never closed: add the missing closing quote (").',
          { cause: error },
        );
      }
      out.push(rejection(entries[0] as number, RejectionCode.MalformedRow, UNCLOSED, segment.text));
      return;
    }
    const checkEncoding = segment.text.includes(REPLACEMENT_CHARACTER);
    let row = 0;
    for (const entry of entries) {
      if (typeof entry !== 'number') {
        if (!this.plan) throw overlongHeader(entry, this.options.maxLineLength);
        out.push(overlongRejection(entry, this.options.maxLineLength));
        continue;
      }
      const cells = rows[row++];
      if (cells === undefined) {
        throw new Error(`CSV records and line numbers out of step at line ${entry}`);
      }
      const record = this.toRecord(cells, entry, checkEncoding);
      if (record) out.push(record);
    }
    if (row !== rows.length) {
      throw new Error(`CSV records and line numbers out of step after line ${entries.at(-1)}`);
    }
  }

  private toRecord(
    cells: string[],
    line: number,
    checkEncoding: boolean,
  ): HeaderedRecord | undefined {
    if (!this.plan) {
      this.plan = planColumns(
        cells.map((cell) => cell.trim()),
        this.options.mapping,
      );
      return undefined;
    }
    if (allBlank(cells)) return undefined;
    const { delimiter, maxFields } = this.options;
    if (cells.length > maxFields) {
      const message = `The row has ${cells.length} cells; the limit is ${maxFields}.`;
      return rejection(line, RejectionCode.TooManyFields, message, originalText(cells, delimiter));
    }
    const columns = this.plan.headers.length;
    if (cells.length > columns && !allBlank(cells, columns)) {
      const message =
        `The row has ${cells.length} cells but the header has ${columns}: ` +
        `a value may hold an unquoted "${printable(delimiter)}".`;
      return rejection(line, RejectionCode.MalformedRow, message, originalText(cells, delimiter));
    }
    if (checkEncoding && cells.some((cell) => cell.includes(REPLACEMENT_CHARACTER))) {
      return rejection(line, RejectionCode.BadEncoding, BAD_BYTES, originalText(cells, delimiter));
    }
    return { raw: toRawContact(this.plan, cells, line, this.options), cells };
  }
}

function allBlank(cells: readonly string[], from = 0): boolean {
  for (let i = from; i < cells.length; i++) if (!isBlank(cells[i]!)) return false;
  return true;
}

const UNCLOSED =
  'A quoted cell that starts in this row is never closed: add the missing closing quote (").';
const BAD_BYTES = "The row holds bytes that are not valid in the file's encoding.";

/** Separates several numbers written in one alternates cell. */
const LIST_SEPARATOR = /[:;,|]/;

function toRawContact(
  plan: ColumnPlan,
  cells: readonly string[],
  line: number,
  options: HeaderedOptions,
): RawContact {
  const alternates: string[] = [];
  for (const column of plan.alternates) {
    const value = cell(cells, column);
    if (value === '') continue;
    if (!LIST_SEPARATOR.test(value)) {
      alternates.push(value);
      continue;
    }
    // One cell may list several numbers.
    for (const part of value.split(LIST_SEPARATOR)) {
      const number = part.trim();
      if (number !== '') alternates.push(number);
    }
  }
  const columns = plan.variables;
  const variables = new Array<readonly [string, string]>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const { column, name } = columns[i]!;
    variables[i] = [name, cell(cells, column)];
  }
  return {
    line,
    campaign: plan.campaign < 0 ? options.campaign : cell(cells, plan.campaign),
    main: cell(cells, plan.phone),
    variables,
    alternates,
    priority: plan.priority < 0 ? options.defaultPriority : cell(cells, plan.priority),
    agentphone: cell(cells, plan.agentphone),
    fieldCount: 6,
  };
}

/** A cell without surrounding spaces; '' for a column the row lacks or the file has not. */
function cell(cells: readonly string[], column: number): string {
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

const NEEDS_QUOTES = /["\r\n]/;

/** The cells written back as one CSV record, quoted where RFC 4180 requires. */
export function originalText(cells: readonly string[], delimiter: string): string {
  return cells
    .map((cell) =>
      NEEDS_QUOTES.test(cell) || cell.includes(delimiter)
        ? `"${cell.replaceAll('"', '""')}"`
        : cell,
    )
    .join(delimiter);
}

function printable(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}
