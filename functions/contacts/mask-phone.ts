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

const DIGIT_RUN = /\d{6,}/g;

/** Masks every run of six or more digits in free text (log lines, manifests). Never fails. */
export function maskPhonesInText(text: string): string {
  return text.replace(DIGIT_RUN, maskPhone);
}
