import type { ColumnRole } from './options.js';
import type { ChangeKind, RejectionCode, WarningCode } from './reason-codes.js';

/** How the source file was laid out. */
export const InputFormat = {
  /** uContact base lines, no header: `campaign;main;variables;alternates;priority;agentphone`. */
  Native: 'native',
  /** A spreadsheet export with a header row, columns mapped by name. */
  Headered: 'headered',
} as const;
export type InputFormat = (typeof InputFormat)[keyof typeof InputFormat];

export const TextEncoding = {
  Utf8: 'utf-8',
  Utf8Bom: 'utf-8-bom',
  Utf16le: 'utf-16le',
  Utf16be: 'utf-16be',
  Windows1252: 'windows-1252',
} as const;
export type TextEncoding = (typeof TextEncoding)[keyof typeof TextEncoding];

/** What the engine found out about a file; reported by `validate` and in the manifest's `input`. */
export interface InputDescription {
  readonly format: InputFormat;
  readonly encoding: TextEncoding;
  /** The field delimiter: always `;` for native files. */
  readonly delimiter: string;
  readonly compression: 'gzip' | 'none';
  /**
   * `xlsx` for an Excel workbook: one of its sheets was read as a headered file (encoding `utf-8`,
   * delimiter `,`, the one of the refused rows' `original`). Absent for a text file.
   */
  readonly container?: 'xlsx';
  /** The workbook's sheet that was read. */
  readonly sheet?: string;
}

/** What reports and manifests say of the input: compression is left out, the sheet kept. */
export type ReportedInput = Pick<
  InputDescription,
  'format' | 'encoding' | 'delimiter' | 'container' | 'sheet'
>;

/** The input as reports and manifests give it; `container` and `sheet` only for a workbook. */
export function reportedInput(input: ReportedInput): ReportedInput {
  const { format, encoding, delimiter, container, sheet } = input;
  return container === undefined
    ? { format, encoding, delimiter }
    : { format, encoding, delimiter, container, sheet };
}

/**
 * One record as read from the file, before any validation: every field is the text as given.
 * Parsers produce it; `validateContact` turns it into a `Contact` or a rejection.
 */
export interface RawContact {
  /** 1-based line number in the decoded file where the record starts. */
  readonly line: number;
  /** '' when the file has no campaign column or the cell is empty. */
  readonly campaign: string;
  readonly main: string;
  /** `name=value` pairs in order; the value is undefined when the source had no `=`. */
  readonly variables: ReadonlyArray<readonly [name: string, value: string | undefined]>;
  /** Alternate numbers in order, each plain (`099124484`) or typed (`H=0=999555555`). */
  readonly alternates: readonly string[];
  readonly priority: string;
  readonly agentphone: string;
  /** Native lines keep their field count on output (5 or 6); headered records use 6. */
  readonly fieldCount: number;
  /** Native only: the line exactly as read, so a canonical line can pass through untouched. */
  readonly sourceText?: string;
  /**
   * Names, for a message, the column the field of `role` came from (`column 3 (Celular)`); for an
   * alternate, the one holding `text`. Absent for a native line, whose fields are fixed by
   * position.
   */
  columnOf?(role: ColumnRole, text: string): string;
}

/** An accepted contact, normalized to what uContact will be sent. */
export interface Contact {
  readonly line: number;
  readonly campaign: string;
  readonly main: string;
  readonly variables: ReadonlyArray<readonly [name: string, value: string]>;
  readonly alternates: readonly string[];
  readonly priority: string;
  readonly agentphone: string;
  readonly fieldCount: number;
  /** What was changed to make it fit; empty when the contact was already canonical. */
  readonly changes: readonly ChangeKind[];
}

/** A refused row. `message` never carries a full phone number; `original` is the source text. */
export interface Rejection {
  readonly line: number;
  readonly code: RejectionCode;
  readonly message: string;
  /** The record as it was in the file (for the partner's own rejected.csv only). */
  readonly original: string;
}

/**
 * Totals for one file. `rows` = `accepted` + `rejected`; `duplicates` is the part of `rejected`
 * refused as DUPLICATE; `modified` is the part of `accepted` that was changed to fit. Every line
 * of the file is accounted for: `lines` = `header` + `rows` + `blank` + `joined`.
 */
export interface Counts {
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
  /** The part of `rejected` refused as SUPPRESSED; present when suppression lists were applied. */
  readonly suppressed?: number;
  readonly modified: number;
  /**
   * The file's lines, ended by CRLF, LF or CR, `sep=` line and header included; text after the
   * last line break is a line, an empty end after it is not.
   */
  readonly lines: number;
  /** The `sep=` line and the header row's first line: 0 to 2. */
  readonly header: number;
  /** Lines skipped for holding no value: empty, spaces, or only delimiters. */
  readonly blank: number;
  /** Lines that continue a row (or the header) begun on an earlier line, inside a quoted cell. */
  readonly joined: number;
}

/** The counts of a file that was not read. */
export const NO_COUNTS: Counts = Object.freeze({
  rows: 0,
  accepted: 0,
  rejected: 0,
  duplicates: 0,
  modified: 0,
  lines: 0,
  header: 0,
  blank: 0,
  joined: 0,
});

/** Something the user should know about a whole run, reported beside the counts. */
export interface EngineWarning {
  readonly code: WarningCode;
  readonly message: string;
}
