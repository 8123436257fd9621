import type { RawContact } from './contact.js';
import { RejectionCode } from './reason-codes.js';

const NO_VARIABLES: RawContact['variables'] = Object.freeze([]);
const NO_ALTERNATES: readonly string[] = Object.freeze([]);

/** A native line that cannot be split into uContact's fields. */
export interface NativeFieldCountError {
  readonly code: typeof RejectionCode.TooManyFields | typeof RejectionCode.MalformedRow;
  readonly message: string;
}

/**
 * Splits one native line exactly as uContact does: fields on `;`, variables on `:` and their first
 * `=`, alternates on `:`, with no quote handling. Returns a field-count error for a line with
 * more than 6 fields (a `;` inside a value) or fewer than 5.
 */
export function parseNativeLine(text: string, line: number): RawContact | NativeFieldCountError {
  // indexOf and slice instead of split: no intermediate array on the path every line takes.
  const s1 = text.indexOf(';');
  const s2 = s1 === -1 ? -1 : text.indexOf(';', s1 + 1);
  const s3 = s2 === -1 ? -1 : text.indexOf(';', s2 + 1);
  const s4 = s3 === -1 ? -1 : text.indexOf(';', s3 + 1);
  if (s4 === -1) return fieldCountError(text);
  const s5 = text.indexOf(';', s4 + 1);
  if (s5 !== -1 && text.indexOf(';', s5 + 1) !== -1) return fieldCountError(text);
  const variables = s3 === s2 + 1 ? NO_VARIABLES : splitVariables(text.slice(s2 + 1, s3));
  const alternates = s4 === s3 + 1 ? NO_ALTERNATES : text.slice(s3 + 1, s4).split(':');
  return {
    line,
    campaign: text.slice(0, s1),
    main: text.slice(s1 + 1, s2),
    variables,
    alternates,
    priority: s5 === -1 ? text.slice(s4 + 1) : text.slice(s4 + 1, s5),
    agentphone: s5 === -1 ? '' : text.slice(s5 + 1),
    fieldCount: s5 === -1 ? 5 : 6,
    sourceText: text,
  };
}

function fieldCountError(text: string): NativeFieldCountError {
  const count = text.split(';').length;
  return count > 6
    ? {
        code: RejectionCode.TooManyFields,
        message: `The line has ${count} fields separated by ";"; uContact takes 5 or 6 (a value may hold a ";").`,
      }
    : {
        code: RejectionCode.MalformedRow,
        message: `The line has ${count} field${count === 1 ? '' : 's'} separated by ";"; uContact takes 5 or 6.`,
      };
}

function splitVariables(text: string): Array<readonly [string, string | undefined]> {
  const variables: Array<readonly [string, string | undefined]> = [];
  let start = 0;
  for (;;) {
    const colon = text.indexOf(':', start);
    const end = colon === -1 ? text.length : colon;
    const eq = text.indexOf('=', start);
    variables.push(
      eq === -1 || eq > end
        ? [text.slice(start, end), undefined]
        : [text.slice(start, eq), text.slice(eq + 1, end)],
    );
    if (colon === -1) return variables;
    start = colon + 1;
  }
}
