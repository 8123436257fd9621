import type { EngineOptions } from './options.js';
import { PhonePrefixPolicy } from './options.js';
import { isPhoneDigit, isPhoneFormatting } from './phone-characters.js';
import { ChangeKind, RejectionCode } from './reason-codes.js';

export type PhoneResult =
  | { readonly ok: true; readonly digits: string; readonly changes: readonly ChangeKind[] }
  | { readonly ok: false; readonly code: RejectionCode; readonly message: string };

type PhoneOptions = Pick<EngineOptions, 'phonePrefix' | 'minPhoneDigits' | 'maxPhoneDigits'>;

const NO_CHANGES: readonly ChangeKind[] = Object.freeze([]);

/** `9.8344484E+8` or `9,83E+08`: what a spreadsheet shows once a long number lost its digits. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;
/**
 * `98344484.0` or `99123456,00`: a number a spreadsheet stored as a decimal. Its separator is
 * not formatting (stripping it would dial `983444840`), so it is refused; dotted groups such as
 * `099.124.484` have more than one separator and stay formatting.
 */
const SPREADSHEET_DECIMAL = /^[+-]?\d+[.,]\d{1,2}$/;

/** True when `text` (spaces around it aside) is a number a spreadsheet wrote as a decimal. */
export function isSpreadsheetDecimal(text: string): boolean {
  return SPREADSHEET_DECIMAL.test(text.trim());
}

/** True when `text` is already a canonical number under `options`: only digits, within the limits. */
export function isCanonicalPhone(text: string, options: PhoneOptions): boolean {
  const n = text.length;
  if (n < options.minPhoneDigits || n > options.maxPhoneDigits) return false;
  for (let i = 0; i < n; i++) {
    if (!isPhoneDigit(text.charCodeAt(i))) return false;
  }
  return !(
    options.phonePrefix === PhonePrefixPolicy.Strip &&
    text.charCodeAt(0) === 48 &&
    text.charCodeAt(1) === 48
  );
}

function refuse(code: RejectionCode, message: string): PhoneResult {
  return { ok: false, code, message };
}

/**
 * Reduces a phone number to its digits: formatting stripped, the `+`/`00` prefix handled per
 * `options.phonePrefix`, length checked. Bad input is returned as a refusal (MISSING_PHONE,
 * INVALID_PHONE, also for a spreadsheet decimal, SCIENTIFIC_NOTATION) whose message never shows
 * the number; it never throws.
 */
export function normalizePhone(text: string, options: PhoneOptions): PhoneResult {
  if (isCanonicalPhone(text, options)) return { ok: true, digits: text, changes: NO_CHANGES };

  const trimmed = text.trim();
  if (SCIENTIFIC.test(trimmed)) {
    return refuse(
      RejectionCode.ScientificNotation,
      'The number is in scientific notation (like 9.83E+08), so its last digits are lost: ' +
        'format the column as text in the spreadsheet and export again',
    );
  }
  if (isSpreadsheetDecimal(trimmed)) {
    return refuse(
      RejectionCode.InvalidPhone,
      'The number is written as a decimal (ending in .0, ,00 or the like), as a spreadsheet ' +
        'writes a number column, so its digits cannot be trusted: ' +
        'format the column as text in the spreadsheet and export again',
    );
  }

  let digits = '';
  let formatted = false;
  let plus = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isPhoneDigit(c)) digits += text[i];
    else if (isPhoneFormatting(c)) formatted = true;
    else if (c === 0x2b && !plus && digits === '') plus = true;
    else {
      const what = c === 0x2b ? "a '+' that is not at the start" : `the character ${describe(c)}`;
      return refuse(RejectionCode.InvalidPhone, `The number contains ${what}`);
    }
  }
  if (digits === '') {
    return plus
      ? refuse(RejectionCode.InvalidPhone, "The number is a '+' without digits")
      : refuse(RejectionCode.MissingPhone, 'The number is empty');
  }

  let prefixed = plus;
  if (plus && options.phonePrefix === PhonePrefixPolicy.ToDoubleZero) digits = '00' + digits;
  else if (!plus && options.phonePrefix === PhonePrefixPolicy.Strip && digits.startsWith('00')) {
    digits = digits.slice(2);
    prefixed = true;
  }

  const n = digits.length;
  if (n < options.minPhoneDigits || n > options.maxPhoneDigits) {
    return refuse(
      RejectionCode.InvalidPhone,
      `The number has ${n} digit${n === 1 ? '' : 's'}; ` +
        `${options.minPhoneDigits} to ${options.maxPhoneDigits} are expected`,
    );
  }
  const changes: ChangeKind[] = [];
  if (formatted) changes.push(ChangeKind.PhoneFormatting);
  if (prefixed) changes.push(ChangeKind.PhonePrefix);
  return { ok: true, digits, changes };
}

/** Names a character for a message; printable ones are quoted, the rest shown as a code point. */
function describe(c: number): string {
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  const printable =
    c > 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0) && !(c >= 0xd800 && c < 0xe000);
  return printable ? `'${String.fromCharCode(c)}' (${hex})` : hex;
}
