import { MASKED_DIGIT, PHONE_LIKE_RUN_SOURCE } from './phone-characters.js';

/**
 * Fewer digits than this and a run is no phone number (the engine's default least): `line 12`,
 * `HTTP 503`, `16384 characters` stay readable. A value given to maskPhone with fewer is hidden
 * completely, as two plus two would reveal most of it.
 */
const MIN_PARTLY_SHOWN = 6;
const DIGIT = new RegExp(MASKED_DIGIT, 'gu');
const ASCII_DIGITS = /^[0-9]+$/;
const PHONE_LIKE_RUN = new RegExp(PHONE_LIKE_RUN_SOURCE, 'gu');
/** `2025-03-14` right before `T13:05`: an ISO 8601 time stamp, which the engine cannot read. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^T\d{2}:\d{2}/;
const PLUS = 0x2b;

/**
 * Masks the digits of a phone number, keeping at most the first two and the last two
 * (`098344484` -> `09*****84`); other characters are kept. Digits of every script count
 * (Arabic-Indic ones too). Never fails.
 */
export function maskPhone(text: string): string {
  // The common case, a normalized number, without the regular expression's replace callback.
  if (ASCII_DIGITS.test(text)) {
    if (text.length < MIN_PARTLY_SHOWN) return '*'.repeat(text.length);
    return `${text.slice(0, 2)}${'*'.repeat(text.length - 4)}${text.slice(-2)}`;
  }
  const digits = text.match(DIGIT)?.length ?? 0;
  if (digits === 0) return text;
  const hideAll = digits < MIN_PARTLY_SHOWN;
  let seen = 0;
  return text.replace(DIGIT, (digit) => {
    const shown = !hideAll && (seen < 2 || seen >= digits - 2);
    seen++;
    return shown ? digit : '*';
  });
}

/**
 * Masks every phone-like run in free text (messages, log lines, manifests) as maskPhone does:
 * digits (of any script) in groups joined by any of the characters the engine strips from a
 * number (spaces, tabs, dashes, dots, parentheses, slashes) or by `_`, optionally after a `+`,
 * six or more digits in all, a leading `+` counting as two (`+598 99 555 124` -> `+59* ** *** *24`, `0 9 9 1 2 3 4 5 6 7` ->
 * `0 9 * * * * * * 6 7`). So every number the engine could read is masked, and so are dates and
 * addresses written with those characters (`14.03.2025`); shorter numbers (`line 12`, `HTTP 503`)
 * and ISO 8601 time stamps (`2025-03-14T13:05:10Z`) stay readable. Never fails.
 */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_LIKE_RUN, maskRun);
}

function maskRun(run: string, offset: number, text: string): string {
  // A leading `+` counts as the two digits of `00`, as the engine may write it (`to-00`).
  const digits = (run.match(DIGIT)?.length ?? 0) + (run.charCodeAt(0) === PLUS ? 2 : 0);
  if (digits < MIN_PARTLY_SHOWN) return run;
  const end = offset + run.length;
  if (ISO_DATE.test(run) && ISO_TIME.test(text.slice(end, end + 6))) return run;
  return maskPhone(run);
}
