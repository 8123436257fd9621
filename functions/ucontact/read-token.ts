import { AuthFailedError, BadAnswerError } from './errors.js';

/**
 * Reads the session token from a login answer: an agent's JSON object holds it under `md5secret`,
 * a supervisor's or administrator's JSON array has it as its last element.
 * Throws AuthFailedError when the answer is `0`, BadAnswerError for any other shape. Neither
 * message quotes the answer: it may hold the token or a password hash.
 */
export function readToken(answer: string): string {
  const text = answer.trim();
  if (text === '0') {
    throw new AuthFailedError('uContact refused the user or password (login answered 0)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadAnswerError(
      `The login answer is not JSON (${describe(text)}); check the base URL and login path`,
    );
  }
  if (Array.isArray(parsed)) {
    const last: unknown = parsed.at(-1);
    if (typeof last === 'string' && last.trim() !== '') return checked(last.trim());
    throw new BadAnswerError(
      'The login answer is a JSON array whose last element is not a token string',
    );
  }
  if (parsed !== null && typeof parsed === 'object') {
    const secret: unknown = (parsed as Record<string, unknown>).md5secret;
    if (typeof secret === 'string' && secret.trim() !== '') return checked(secret.trim());
    throw new BadAnswerError('The login answer is a JSON object without an md5secret token');
  }
  throw new BadAnswerError('The login answer is JSON but neither an array nor an object');
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

function describe(text: string): string {
  if (text === '') return 'empty';
  if (/^\s*</.test(text)) return 'an HTML or XML page';
  return `${text.length} characters`;
}
