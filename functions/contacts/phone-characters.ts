/**
 * The characters of a written phone number, defined once: the digits the engine reads, the
 * formatting it strips, and from these the pattern that masks numbers wherever text is shown, so
 * that what the engine can read as a number and what is masked cannot drift apart.
 */

/**
 * Formatting people type inside numbers, which the engine strips: space, tab, no-break spaces
 * (U+00A0, U+2007, U+202F), hyphen and the dashes U+2010-U+2015, dot, parentheses and slash.
 */
export const PHONE_FORMATTING_CHARACTERS =
  ' \t\u00a0\u2007\u202f-\u2010\u2011\u2012\u2013\u2014\u2015.()/';

/**
 * Joins digit groups for masking only: the engine refuses `099_123_4567`, but it is a number all
 * the same, and such a value reaches messages through variables.
 */
const MASK_ONLY_JOINERS = '_';

const FORMATTING_TABLE = (() => {
  const codes = [...PHONE_FORMATTING_CHARACTERS].map((c) => c.charCodeAt(0));
  const table = new Uint8Array(Math.max(...codes) + 1);
  for (const code of codes) table[code] = 1;
  return table;
})();

/** Whether the UTF-16 code unit `c` is formatting the engine strips from a number. */
export function isPhoneFormatting(c: number): boolean {
  return c < FORMATTING_TABLE.length && FORMATTING_TABLE[c] === 1;
}

/** Whether the UTF-16 code unit `c` is a digit the engine reads (ASCII `0`-`9`). */
export function isPhoneDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Digits for masking: every Unicode decimal digit (`\p{Nd}`), so that a number written in
 * Arabic-Indic (U+0660-U+0669), Extended Arabic-Indic (U+06F0-U+06F9) or any other script's digits
 * is masked like one in ASCII, although the engine reads ASCII digits only.
 */
export const MASKED_DIGIT = '\\p{Nd}';

function classOf(characters: string): string {
  return [...characters].map((c) => (/[\\\]^-]/.test(c) ? `\\${c}` : c)).join('');
}

const JOINER = `[${classOf(PHONE_FORMATTING_CHARACTERS + MASK_ONLY_JOINERS)}]`;
/**
 * Source of the pattern of a phone-like run, for a `u` regex: an optional `+` (formatting may
 * follow it, as the engine allows), then digits in groups joined by any number of the characters
 * the engine strips (and `_`). Every number the engine accepts is one such run, or part of a
 * longer one when the text around it joins on.
 */
export const PHONE_LIKE_RUN_SOURCE = `(?:\\+${JOINER}*)?${MASKED_DIGIT}+(?:${JOINER}+${MASKED_DIGIT}+)*`;
