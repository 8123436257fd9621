import { AuthFailedError, BadAnswerError } from './errors.js';
import { sanitizeExcerpt } from './excerpt.js';

/**
 * A token given as plain text (getUserToken's raw body): base64 of `user:uuid` in practice. Held
 * to base64-like characters and a sensible length so that an error text is never taken for one.
 */
const PLAIN_TEXT_TOKEN = /^[A-Za-z0-9+/_.=-]{16,}$/;

/** JSON keys whose values are secrets: masked in any excerpt of a login answer. */
const SECRET_KEYS = /("(?:password|md5secret|secret|token|apikey|api_key)"\s*:\s*)"[^"]*"/gi;

/**
 * Reads the session token from a login answer, in each shape uContact gives it:
 * - a supervisor's or administrator's JSON array, the token as its last element (a string);
 * - a supervisor with a phone: a JSON array in which an object element holds it under `md5secret`;
 * - an agent's JSON object, under `md5secret`;
 * - plain text (getUserToken as public clients read it): the first line is the token.
 * Throws AuthFailedError when the answer is `0`, BadAnswerError for any other shape, with an
 * excerpt in which secrets (`secrets`, values of password-like keys, token-like runs) are masked.
 */
export function readToken(answer: string, secrets: readonly string[] = []): string {
  const text = answer.trim();
  if (text === '0') {
    throw new AuthFailedError('uContact refused the user or password (login answered 0)');
  }
  const parsed = parseJson(text);
  const token = parsed.ok ? tokenInJson(parsed.value) : plainTextToken(text);
  if (token !== undefined) return checked(token);
  throw new BadAnswerError(
    `The login answer holds no token (${describe(text, parsed.ok)}: "${excerpt(text, secrets)}"); ` +
      'check the base URL, the login path and that the user has a Supervisor or Administrator profile',
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function tokenInJson(value: unknown): string | undefined {
  if (typeof value === 'string') return nonEmpty(value);
  if (Array.isArray(value)) {
    const last = value.at(-1);
    if (typeof last === 'string') return nonEmpty(last);
    // Supervisor with a phone: the token sits in the element that describes the phone.
    for (const element of value) {
      const token = md5secret(element);
      if (token !== undefined) return token;
    }
    return undefined;
  }
  return md5secret(value);
}

function md5secret(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const secret: unknown = (value as Record<string, unknown>).md5secret;
  return typeof secret === 'string' ? nonEmpty(secret) : undefined;
}

function plainTextToken(text: string): string | undefined {
  const first = text.split(/\r?\n|\r/, 1)[0]?.trim() ?? '';
  return PLAIN_TEXT_TOKEN.test(first) ? first : undefined;
}

function nonEmpty(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The token travels in a header: anything but visible ASCII would fail there, quoting it. */
function checked(token: string): string {
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new BadAnswerError(
      'The login answer holds a token with characters a header cannot carry',
    );
  }
  return token;
}

function describe(text: string, json: boolean): string {
  if (text === '') return 'empty';
  if (/^\s*</.test(text)) return 'an HTML or XML page';
  return json ? 'JSON of another shape' : 'text that is not a token';
}

/** What the answer said, never a secret: password-like values, the password, token-like runs. */
function excerpt(text: string, secrets: readonly string[]): string {
  return sanitizeExcerpt(text.replace(SECRET_KEYS, '$1"[redacted]"'), secrets);
}
