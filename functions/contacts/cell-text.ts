import type { CellValue } from '@cj-tech-master/excelts';

/** How a cell's number format shows a number, as far as the engine needs to know. */
export const NumberShape = {
  /** As it is: digits for a whole number, never an exponent. */
  Plain: 'plain',
  /** A date (a date-time keeps only its date): `yyyy-mm-dd`. */
  Date: 'date',
  /** A time of day alone: `hh:mm:ss`. */
  Time: 'time',
  /** Zeros only (`000000000`): a whole number padded with leading zeros to that width. */
  ZeroPadded: 'zero-padded',
} as const;
export type NumberShape = (typeof NumberShape)[keyof typeof NumberShape];

/** Built-in formats Excel stores by id only: 14-22 and 45-47 are dates and times. */
const BUILT_IN_TIMES = new Set(['h:mm AM/PM', 'h:mm:ss AM/PM', 'h:mm', 'h:mm:ss', 'mm:ss']);

/** A format's text without quoted literals, escaped characters and `[...]` parts (colours, locales). */
function withoutLiterals(format: string): string {
  return format.replace(/"[^"]*"|\\.|_.|\*.|\[[^\]]*\]/g, '');
}

/** The section of a format for positive numbers (before any `;`), without its literals. */
function firstSection(format: string): string {
  return withoutLiterals(format.split(';')[0] ?? '');
}

/**
 * How `format` (a cell's number format code, undefined for General) shows a number. Only the
 * first section (before `;`) counts, as it is the one for positive numbers.
 */
export function numberShape(format: string | undefined): NumberShape {
  if (format === undefined || format === '' || format === 'General' || format === '@') {
    return NumberShape.Plain;
  }
  const first = firstSection(format);
  if (/^0+$/.test(first) && first.length > 1) return NumberShape.ZeroPadded;
  if (/[dy]/i.test(first) || /(^|[^hs:])m{3,}/i.test(first)) return NumberShape.Date;
  if (/[hs]/i.test(first) || BUILT_IN_TIMES.has(format)) return NumberShape.Time;
  // `m` alone, without hours or seconds beside it, is a month.
  if (/m/i.test(first)) return NumberShape.Date;
  return NumberShape.Plain;
}

/** Excel keeps 15 significant digits and shows no more. */
const SIGNIFICANT_DIGITS = 15;

/**
 * A number as its digits: whole numbers exactly and never as `9.8344484E+8` or `98344484.0`,
 * other numbers to 15 significant digits (`0.30000000000000004` is shown `0.3`).
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return BigInt(value).toString();
  const text = String(Number(value.toPrecision(SIGNIFICANT_DIGITS)));
  return text.includes('e') ? value.toFixed(20).replace(/\.?0+$/, '') : text;
}

const two = (n: number) => String(n).padStart(2, '0');

/** A date's calendar day as `yyyy-mm-dd` (workbook dates carry no time zone: read in UTC). */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`;
}

function timeText(date: Date): string {
  // A time is a fraction of a day: rounding to the second undoes the floating point's error.
  const seconds = Math.round((date.getTime() % 86_400_000) / 1000 + 86_400) % 86_400;
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/** Days from the epoch of each date system to 1970-01-01 (1900's counts its false 29 February). */
const EPOCH_OFFSET_1900 = 25_569;
const EPOCH_OFFSET_1904 = 24_107;
const DAY_MS = 86_400_000;

/** The date a serial number stands for in the workbook's date system. */
export function serialDate(serial: number, date1904: boolean): Date {
  const offset = date1904 ? EPOCH_OFFSET_1904 : EPOCH_OFFSET_1900;
  return new Date(Math.round((serial - offset) * DAY_MS));
}

function shapedNumber(value: number, shape: NumberShape, date1904: boolean): string {
  switch (shape) {
    case NumberShape.Date:
      return dateText(serialDate(value, date1904));
    case NumberShape.Time:
      return timeText(serialDate(value, date1904));
    default:
      return numberText(value);
  }
}

function shapedDate(value: Date, shape: NumberShape): string {
  return shape === NumberShape.Time ? timeText(value) : dateText(value);
}

/**
 * The text a person sees in a cell, from the value the reader gives and the cell's number format:
 * numbers as digits (zero-padded when the format says so), dates as `yyyy-mm-dd`, booleans as
 * `TRUE`/`FALSE`, errors as Excel writes them (`#N/A`), rich text as its runs joined, a formula
 * as its cached result. Never throws: a value of an unknown kind gives ''.
 */
export function cellText(value: CellValue, format: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  const shape = numberShape(format);
  if (typeof value === 'number') {
    if (shape === NumberShape.ZeroPadded && Number.isInteger(value) && value >= 0) {
      return numberText(value).padStart(firstSection(format!).length, '0');
    }
    return shapedNumber(value, shape, date1904);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return shapedDate(value, shape);
  if ('richText' in value) return value.richText.map((run) => run.text ?? '').join('');
  if ('error' in value) return value.error;
  if ('result' in value) return cellText(value.result, format, date1904);
  if ('text' in value && typeof value.text === 'string') return value.text;
  return '';
}
