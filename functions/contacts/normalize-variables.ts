import { InvalidOptionsError } from './errors.js';
import { ChangeKind } from './reason-codes.js';

export type Variable = readonly [name: string, value: string];
export type RawVariable = readonly [name: string, value: string | undefined];

/** `;` `:` `=` CR LF NUL: uContact splits a line on these, with no way to escape them. */
function isReserved(c: number): boolean {
  // Letters and most punctuation are above `=`: one comparison settles them.
  return (
    c <= 0x3d && (c === 0x3b || c === 0x3a || c === 0x3d || c === 0x0d || c === 0x0a || c === 0x00)
  );
}

/** True when `text` holds a character uContact would split on. */
export function hasReserved(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (isReserved(text.charCodeAt(i))) return true;
  }
  return false;
}

/**
 * Replaces every reserved character (`;` `:` `=` CR LF NUL) in `text` by `replacement`;
 * returns `text` itself when there is none. Throws InvalidOptionsError when `replacement`
 * is itself reserved, since the result would still corrupt the line.
 */
export function replaceReserved(text: string, replacement: string): string {
  if (!hasReserved(text)) return text;
  if (hasReserved(replacement)) {
    throw new InvalidOptionsError(
      'The replacement for reserved characters cannot contain ; : = a line break or NUL (default: a space)',
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
 * (RESERVED_CHARACTER), a missing value written as empty and empty elements from `a=1::b=2`
 * dropped (VARIABLE_REPAIRED). An empty field read as one empty element is no change.
 * Throws InvalidOptionsError when `replacement` is itself reserved.
 */
export function normalizeVariables(
  variables: readonly RawVariable[],
  replacement: string,
): { variables: readonly Variable[]; changes: ChangeKind[] } {
  if (areCanonicalVariables(variables)) {
    return { variables: variables as readonly Variable[], changes: [] };
  }
  const out: Variable[] = [];
  let replaced = false;
  let repaired = false;
  for (const [name, value] of variables) {
    if (name === '' && value === undefined) {
      if (variables.length > 1) repaired = true;
      continue;
    }
    if (value === undefined) repaired = true;
    const safeName = replaceReserved(name, replacement);
    const safeValue = replaceReserved(value ?? '', replacement);
    if (safeName !== name || safeValue !== (value ?? '')) replaced = true;
    out.push([safeName, safeValue]);
  }
  const changes: ChangeKind[] = [];
  if (replaced) changes.push(ChangeKind.ReservedCharacter);
  if (repaired) changes.push(ChangeKind.VariableRepaired);
  return { variables: out, changes };
}
