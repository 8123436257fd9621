/**
 * Characters a text file may hold but no contact field should: control characters (C0 but tab,
 * LF and CR, which are text; and DEL), the Unicode line separators (NEL U+0085, U+2028, U+2029),
 * which some programs take for line breaks, and the bidirectional controls (U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069, U+061C), which reorder how text is shown so that it reads
 * otherwise than it is. A stray byte in a file (a NUL from a broken export) is one of them: its
 * row is refused when it sits in a field the dialer reads (CONTROL_CHARACTER), and it is replaced
 * when it sits in a variable.
 */

/** The three families, each with its own change kind when replaced in a variable. */
export const StrayCharacter = {
  Control: 'control',
  LineSeparator: 'lineSeparator',
  BidiControl: 'bidiControl',
} as const;
export type StrayCharacter = (typeof StrayCharacter)[keyof typeof StrayCharacter];

/** The stray characters as the inside of a regex character class (for a pattern without `u`). */
export const STRAY_CHARACTER_CLASS =
  '\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\x85\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069';

/** The family of the UTF-16 code unit `c`, or undefined when it is not a stray character. */
export function strayCharacterOf(c: number): StrayCharacter | undefined {
  if (c < 0x20) return c === 0x09 || c === 0x0a || c === 0x0d ? undefined : StrayCharacter.Control;
  if (c < 0x7f) return undefined;
  if (c === 0x7f) return StrayCharacter.Control;
  if (c === 0x85 || c === 0x2028 || c === 0x2029) return StrayCharacter.LineSeparator;
  if (isBidiControl(c)) return StrayCharacter.BidiControl;
  return undefined;
}

/** Whether `c` is a stray character above DEL: the check for the rare non-ASCII ones. */
export function isWideStray(c: number): boolean {
  return c === 0x85 || c === 0x2028 || c === 0x2029 || isBidiControl(c);
}

/** Whether `c` reorders how text is shown (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, U+061C). */
export function isBidiControl(c: number): boolean {
  return (
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/** Where the first stray character of `text` is, -1 when there is none. */
export function findStray(text: string): number {
  // A loop, not a regex: fields are short, and a regex call costs more than reading them.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    } else if (c >= 0x7f && (c === 0x7f || isWideStray(c))) return i;
  }
  return -1;
}

/** `U+0000`, `U+1D7CE`: a code point as the Unicode standard writes it. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

const WHAT: Readonly<Record<StrayCharacter, string>> = {
  control: 'a control character',
  lineSeparator: 'a line separator',
  bidiControl: 'a text-direction control',
};

/** Names a stray character for a message: `a control character (U+0000)`. */
export function describeStray(c: number): string {
  const family = strayCharacterOf(c) ?? StrayCharacter.Control;
  return `${WHAT[family]} (${codePointName(c)})`;
}
