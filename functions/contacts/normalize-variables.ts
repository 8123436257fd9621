import { InvalidOptionsError } from './errors.js';
import { ChangeKind } from './reason-codes.js';
import { isWideStray, type StrayCharacter, strayCharacterOf } from './stray-characters.js';

export type Variable = readonly [name: string, value: string];
export type RawVariable = readonly [name: string, value: string | undefined];

/**
 * `;` `:` `=` CR LF, which uContact splits a line on with no way to escape them, and the stray
 * characters (stray-characters.ts), which have no place in a value: NUL and the other control
 * characters, line separators, text-direction controls.
 */
function isReserved(c: number): boolean {
  // Letters and most punctuation are above `=` and below DEL: two comparisons settle them.
  if (c <= 0x3d) return c < 0x20 ? c !== 0x09 : c === 0x3b || c === 0x3a || c === 0x3d;
  if (c < 0x7f) return false;
  return c === 0x7f || isWideStray(c);
}

/** True when `text` holds a character uContact would split on, or a stray character. */
export function hasReserved(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (isReserved(text.charCodeAt(i))) return true;
  }
  return false;
}

/**
 * Replaces every reserved character (`;` `:` `=` CR LF, and the stray characters) in `text` by
 * `replacement`; returns `text` itself when there is none. Throws InvalidOptionsError when
 * `replacement` is itself reserved, since the result would still corrupt the line.
 */
export function replaceReserved(text: string, replacement: string): string {
  if (!hasReserved(text)) return text;
  if (hasReserved(replacement)) {
    throw new InvalidOptionsError(
      'The replacement for reserved characters cannot contain ; : = a line break or a control character (default: a space)',
    );
  }
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (isReserved(text.charCodeAt(i))) {
      out += text.slice(from, i) + replacement;
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

const REPLACED_KIND: Readonly<Record<StrayCharacter, ChangeKind>> = {
  control: ChangeKind.ControlCharacterReplaced,
  lineSeparator: ChangeKind.LineSeparatorReplaced,
  bidiControl: ChangeKind.BidiControlReplaced,
};

/** Adds to `kinds` the change kind of each reserved character `text` holds. */
function addReplacedKinds(text: string, kinds: Set<ChangeKind>): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isReserved(c)) continue;
    const stray = strayCharacterOf(c);
    kinds.add(stray === undefined ? ChangeKind.ReservedCharacter : REPLACED_KIND[stray]);
  }
}

/** True when every variable already has a value and no reserved character: written as given. */
export function areCanonicalVariables(variables: readonly RawVariable[]): boolean {
  for (let i = 0; i < variables.length; i++) {
    const variable = variables[i]!;
    const value = variable[1];
    if (value === undefined || hasReserved(variable[0]) || hasReserved(value)) return false;
  }
  return true;
}

/**
 * Makes variables safe to write as `name=value` pairs: reserved characters replaced
 * (RESERVED_CHARACTER; CONTROL_CHARACTER_REPLACED, LINE_SEPARATOR_REPLACED,
 * BIDI_CONTROL_REPLACED for stray characters), a missing value written as empty and empty
 * elements from `a=1::b=2` dropped (VARIABLE_REPAIRED). An empty field read as one empty element
 * is no change. Throws InvalidOptionsError when `replacement` is itself reserved.
 */
export function normalizeVariables(
  variables: readonly RawVariable[],
  replacement: string,
): { variables: readonly Variable[]; changes: ChangeKind[] } {
  if (areCanonicalVariables(variables)) {
    return { variables: variables as readonly Variable[], changes: [] };
  }
  const out: Variable[] = [];
  const kinds = new Set<ChangeKind>();
  let repaired = false;
  for (const [name, value] of variables) {
    if (name === '' && value === undefined) {
      if (variables.length > 1) repaired = true;
      continue;
    }
    if (value === undefined) repaired = true;
    const safeName = replaceReserved(name, replacement);
    const safeValue = replaceReserved(value ?? '', replacement);
    if (safeName !== name) addReplacedKinds(name, kinds);
    if (safeValue !== (value ?? '')) addReplacedKinds(value!, kinds);
    out.push([safeName, safeValue]);
  }
  if (repaired) kinds.add(ChangeKind.VariableRepaired);
  return { variables: out, changes: [...kinds] };
}
