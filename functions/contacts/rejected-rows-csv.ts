import type { Rejection } from './contact.js';

/** The header of every rejected-rows file (`validate --rejected`, the pipeline's rejected.csv). */
export const REJECTED_CSV_HEADER = 'line,code,message,original\r\n';

const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes a field as RFC 4180 says: when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One rejected-rows row, CRLF-terminated, so spreadsheet programs open it as they wrote it. */
export function rejectedCsvRow(rejection: Rejection): string {
  return `${[String(rejection.line), rejection.code, rejection.message, rejection.original]
    .map(csvField)
    .join(',')}\r\n`;
}
