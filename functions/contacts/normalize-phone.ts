import { maskPhone } from './mask-phone.js';
import type { EngineOptions, PhoneRules } from './options.js';
import { PhonePrefixPolicy } from './options.js';
import { isPhoneDigit, isPhoneFormatting } from './phone-characters.js';
import { ChangeKind, RejectionCode } from './reason-codes.js';
import { codePointName } from './stray-characters.js';

export type PhoneResult =
  | { readonly ok: true; readonly digits: string; readonly changes: readonly ChangeKind[] }
  | { readonly ok: false; readonly code: RejectionCode; readonly message: string };

type PhoneOptions = Pick<
  EngineOptions,
  'phonePrefix' | 'minPhoneDigits' | 'maxPhoneDigits' | 'phoneRules'
>;

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
  if (options.phoneRules !== undefined && brokenPhoneRule(text, options.phoneRules)) return false;
  return !(
    options.phonePrefix === PhonePrefixPolicy.Strip &&
    text.charCodeAt(0) === 48 &&
    text.charCodeAt(1) === 48
  );
}

/**
 * Which of a profile's rules the normalized `digits` break, as the end of a sentence about the
 * number (`has 7 digits, fewer than 8`), or undefined when they fit. Never throws.
 */
export function brokenPhoneRule(digits: string, rules: PhoneRules): string | undefined {
  const n = digits.length;
  const { minDigits, maxDigits, prefixes } = rules;
  if (minDigits !== undefined && n < minDigits) return `has ${n} digits, fewer than ${minDigits}`;
  if (maxDigits !== undefined && n > maxDigits) return `has ${n} digits, more than ${maxDigits}`;
  if (prefixes !== undefined && !prefixes.some((prefix) => digits.startsWith(prefix))) {
    const listed =
      prefixes.length > 1
        ? `${prefixes.slice(0, -1).join(', ')} or ${prefixes.at(-1)}`
        : prefixes[0];
    return `does not start with ${listed}`;
  }
  return undefined;
}

function refuse(code: RejectionCode, message: string): PhoneResult {
  return { ok: false, code, message };
}

/**
 * Reduces a phone number to its digits: formatting stripped, the `+`/`00` prefix handled per
 * `options.phonePrefix`, length checked, then a profile's `phoneRules`. Bad input is returned as a
 * refusal (MISSING_PHONE, INVALID_PHONE, also for a spreadsheet decimal, SCIENTIFIC_NOTATION,
 * PHONE_RULE) whose message never shows the whole number; it never throws.
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
      // By code point: a character outside the BMP (U+1D7CE, an emoji) is named whole.
      const what =
        c === 0x2b ? "a '+' that is not at the start" : `the character ${describe(text, i)}`;
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
  const broken = options.phoneRules && brokenPhoneRule(digits, options.phoneRules);
  if (broken) {
    return refuse(
      RejectionCode.PhoneRule,
      `The number ${maskPhone(digits)} ${broken}, as the campaign's profile asks (phone rules)`,
    );
  }
  const changes: ChangeKind[] = [];
  if (formatted) changes.push(ChangeKind.PhoneFormatting);
  if (prefixed) changes.push(ChangeKind.PhonePrefix);
  return { ok: true, digits, changes };
}

/**
 * Names the character at `i` of `text` for a message, by its code point (a surrogate pair is one
 * character); printable ones are quoted, the rest shown as a code point only.
 */
function describe(text: string, i: number): string {
  const c = text.codePointAt(i)!;
  const hex = codePointName(c);
  const printable =
    c > 0x20 && c !== 0x7f && !(c >= 0x80 && c < 0xa0) && !(c >= 0xd800 && c < 0xe000);
  return printable ? `'${String.fromCodePoint(c)}' (${hex})` : hex;
}
