/** Fewer digits than this and a string is masked completely: two plus two would reveal most of it. */
const MIN_PARTLY_SHOWN = 6;

/**
 * Masks the digits of a phone number, keeping at most the first two and the last two
 * (`098344484` -> `09*****84`); other characters are kept. Never fails.
 */
export function maskPhone(text: string): string {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  const hideAll = digits < MIN_PARTLY_SHOWN;
  let out = '';
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      out += text[i];
      continue;
    }
    const shown = !hideAll && (seen < 2 || seen >= digits - 2);
    out += shown ? text[i] : '*';
    seen++;
  }
  return out;
}

/** Most digits a phone number can have (E.164: 15) plus room for a trunk `0` or `00` prefix. */
const MAX_PHONE_DIGITS = 18;
/** Digit groups joined by one to three of `+ . - ( )` and spaces: how people write numbers. */
const PHONE_LIKE_RUN = /\+?\(?\d+(?:[ .()-]{1,3}\d+)*/g;
const DIGIT_RUN = /\d{6,}/g;
/** Dates at the start of a run (`2025-03-14`, `14-03-2025`, `14.03.2025`), left readable. */
const LEADING_DATE = /^\(?(?:\d{4}-\d{2}-\d{2}|\d{1,2}[-.]\d{1,2}[-.]\d{4})(?!\d)/;

/**
 * Masks every phone-like run in free text (log lines, manifests): six or more digits in all,
 * written together or in groups joined by spaces, dots, dashes or parentheses, optionally after
 * a `+` (`+598 99 555 124` -> `+59* ** *** *24`). Dates and short numbers (`line 12`, `HTTP
 * 503`) stay readable; a run of six or more digits is always masked. Never fails.
 */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_LIKE_RUN, maskRun);
}

function maskRun(run: string): string {
  const date = LEADING_DATE.exec(run);
  if (date) return date[0] + maskPhonesInText(run.slice(date[0].length));
  const groups = run.match(/\d+/g) ?? [];
  const digits = groups.reduce((sum, group) => sum + group.length, 0);
  if (digits < MIN_PARTLY_SHOWN) return run;
  if (groups.length === 1) return maskPhone(run);
  // Several one-digit groups read as a version, an address or a list, not as a phone number.
  const singles = groups.filter((group) => group.length === 1).length;
  if (digits <= MAX_PHONE_DIGITS && singles <= 1) return maskPhone(run);
  return run.replace(DIGIT_RUN, maskPhone);
}
