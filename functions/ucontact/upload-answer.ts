import type { Attempt } from './http-call.js';

/**
 * What one uploadbase attempt proves about its base. uploadbase is not idempotent (the same call
 * twice loads the contacts twice), so only an attempt that proves the base was not processed may
 * lead to sending it again; anything else after the request went out is `Unknown`.
 */
export const UploadVerdict = {
  /** The answer `1`: the base is queued for loading. */
  Accepted: 'accepted',
  /**
   * uContact (or the servlet container in front of it) answered and did not take the base: `0`
   * (unknown campaign, bad base64) or a client error other than a refused session or 429.
   */
  NotTaken: 'not-taken',
  /**
   * The base was not processed and may be taken later: the connection was never made, or the
   * answer was 429 or 503. The only verdict retried as it is.
   */
  Unavailable: 'unavailable',
  /**
   * The session token was refused before the upload was processed: 401, 403, a redirect (to a
   * login page), or a login page served with status 200 by an authentication filter. Worth one
   * new login and one more try; a redirect is never followed with the form body.
   */
  SessionRefused: 'session-refused',
  /**
   * The request went out and nothing proves it was not processed: 500, 502, 504 or any other
   * 5xx, a reset or timeout after sending, an answer that cannot be read. Never resent.
   */
  Unknown: 'unknown',
} as const;
export type UploadVerdict = (typeof UploadVerdict)[keyof typeof UploadVerdict];

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const SESSION_REFUSED = new Set([401, 403]);
const UNAVAILABLE = new Set([429, 503]);

/** Judges one uploadbase attempt (see UploadVerdict). Pure: the answer's body is only read. */
export function judgeUploadAttempt(attempt: Attempt): UploadVerdict {
  if (attempt.kind === 'not-reached') return UploadVerdict.Unavailable;
  if (attempt.kind !== 'answer') return UploadVerdict.Unknown;
  const { status, body } = attempt;
  if (SESSION_REFUSED.has(status) || REDIRECTS.has(status)) return UploadVerdict.SessionRefused;
  if (UNAVAILABLE.has(status)) return UploadVerdict.Unavailable;
  if (status >= 400 && status < 500) return UploadVerdict.NotTaken;
  if (status < 200 || status > 299) return UploadVerdict.Unknown;
  const text = body.trim();
  if (text === '1') return UploadVerdict.Accepted;
  if (text === '0') return UploadVerdict.NotTaken;
  if (isLoginPage(text)) return UploadVerdict.SessionRefused;
  return UploadVerdict.Unknown;
}

const HTML = /^(?:<!doctype html|<html|<head|<body|<form|<!--)|<html[\s>]/i;
const PASSWORD_INPUT = /<input\b[^>]*\btype\s*=\s*["']?password\b/i;
const LOGIN_FORM =
  /<form\b[^>]*\baction\s*=\s*["']?[^"'\s>]*(?:j_security_check|login|signin|logon)/i;

/**
 * An HTML page asking for a user and password, as an authentication filter serves in place of the
 * API's answer when the session is gone: a password field, or a form posting to a login action.
 */
export function isLoginPage(text: string): boolean {
  return HTML.test(text) && (PASSWORD_INPUT.test(text) || LOGIN_FORM.test(text));
}
