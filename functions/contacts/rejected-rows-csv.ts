import type { Rejection } from './contact.js';

/** The header of every rejected-rows file (`validate --rejected`, the pipeline's rejected.csv). */
export const REJECTED_CSV_HEADER = 'line,code,message,original\r\n';

/**
 * A quote, a line break, or a delimiter a spreadsheet may split on (`,`, `;` in Spanish locales,
 * tab): such a cell is quoted, which RFC 4180 allows for any field.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;
/**
 * Where a spreadsheet could take a formula from a cell (OWASP, CSV injection): a character that
 * starts a formula (`=` `+` `-` `@`, tab, CR), or `'` so that the escape can be undone, at the
 * start of the cell or after a character on which a spreadsheet reading the file with another
 * delimiter would start a new cell or row (`,` `;` tab CR LF).
 */
const FORMULA_START = /(?<=^|[,;\t\r\n])(?=[=+\-@\t\r'])/g;
/**
 * Undoes `neutralizeFormulas`: the `'` it wrote are exactly the ones at such a start, since a `'`
 * that was there already got one written before it.
 */
const ADDED_QUOTE = /(?<=^|[,;\t\r\n])'/g;

/**
 * Writes a `'` before every character that could start a spreadsheet formula where a cell could
 * begin (see FORMULA_START), so spreadsheets show the text instead of running it. Never fails.
 */
export function neutralizeFormulas(value: string): string {
  return value.replace(FORMULA_START, "'");
}

/** The cell's text as it was before `neutralizeFormulas`. Never fails. */
export function restoreFormulas(cell: string): string {
  return cell.replace(ADDED_QUOTE, '');
}

/** Quotes a field as RFC 4180 says: when it holds a comma, a quote or a line break (or `;`, tab). */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * One rejected-rows row, CRLF-terminated, so spreadsheet programs open it as they wrote it; every
 * cell is neutralized against formulas, then quoted.
 */
export function rejectedCsvRow(rejection: Rejection): string {
  return `${[String(rejection.line), rejection.code, rejection.message, rejection.original]
    .map((value) => csvField(neutralizeFormulas(value)))
    .join(',')}\r\n`;
}

/**
 * Most bytes a rejected-rows file holds (its header included): a file of millions of refused rows
 * (a gzip of one repeated line) would otherwise write gigabytes no one reads.
 */
export const REJECTED_CSV_MAX_BYTES = 100 * 1024 * 1024;

/**
 * Lets rows into a rejected-rows file until it would pass its ceiling; later rows are only
 * counted, so the file holds the first refused rows, whole.
 */
export class RejectedRowsCeiling {
  private written = Buffer.byteLength(REJECTED_CSV_HEADER);
  rowsWritten = 0;
  rowsLeftOut = 0;

  constructor(private readonly maxBytes = REJECTED_CSV_MAX_BYTES) {}

  /** The row's CSV text and its size when it still fits; undefined (and counted) when not. */
  admit(rejection: Rejection): { row: string; bytes: number } | undefined {
    if (this.rowsLeftOut === 0) {
      const row = rejectedCsvRow(rejection);
      const bytes = Buffer.byteLength(row);
      if (this.written + bytes <= this.maxBytes) {
        this.written += bytes;
        this.rowsWritten++;
        return { row, bytes };
      }
    }
    this.rowsLeftOut++;
    return undefined;
  }

  get truncated(): boolean {
    return this.rowsLeftOut > 0;
  }
}
