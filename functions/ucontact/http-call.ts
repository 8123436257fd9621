import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { FORM_CONTENT_TYPE } from './form.js';

/** What one HTTP attempt came to. */
export type Attempt =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly body: string;
      readonly retryAfter: string | null;
      /** Where a redirect points (never followed: the form body must not go elsewhere). */
      readonly location: string | null;
    }
  /** The connection was never made, so the server cannot have seen the request. */
  | { readonly kind: 'not-reached'; readonly detail: string }
  /** The connection broke once it was open: the server may have received and acted on the request. */
  | { readonly kind: 'lost'; readonly detail: string }
  /** No answer within the attempt's timeout: the server may have acted on the request. */
  | { readonly kind: 'timeout' };

/**
 * Error codes raised before a connection exists (DNS, refused, unreachable, TLS handshake): the
 * request cannot have reached the server. Everything else that breaks a call is taken as "may have
 * arrived": a body handed to the socket may have reached the server before a reset, and a reset
 * can just as well come after the server read the whole body (a proxy dropping the connection while the
 * dialer loads the base). Resending such an upload could load the contacts twice.
 */
const NOT_REACHED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** POSTs one form-encoded body with its own timeout; see postFormOverHttp. */
export type PostForm = (
  url: URL,
  body: string | Uint8Array,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
) => Promise<Attempt>;

// One keep-alive pool per process: a session's calls share a connection, as they did with fetch.
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/**
 * POSTs a form-encoded body once over node:http(s), with its own timeout, and classifies what
 * happened. The body is written as it is: fetch copies a byte body before sending
 * it, which for every 1.7 MB upload cost a copy and, with the other buffers of the call, a full
 * garbage collection (bench/RESULTS.md). Never throws; redirects are not followed.
 */
export function postFormOverHttp(
  url: URL,
  body: string | Uint8Array,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Attempt> {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  const https = url.protocol === 'https:';
  return new Promise((resolve) => {
    let settled = false;
    const settle = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(attempt);
    };
    const onAnswer = (response: IncomingMessage) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        const { 'retry-after': retryAfter, location } = response.headers;
        settle({
          kind: 'answer',
          status: response.statusCode ?? 0,
          body: Buffer.concat(parts).toString('utf8'),
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
          location: typeof location === 'string' ? location : null,
        });
      });
      response.on('error', (error) => settle(brokenCall(error)));
      response.on('close', () =>
        settle({ kind: 'lost', detail: 'the connection closed before the answer ended' }),
      );
    };
    const options = {
      method: 'POST',
      agent: https ? httpsAgent : httpAgent,
      headers: {
        ...headers,
        'Content-Type': FORM_CONTENT_TYPE,
        'Content-Length': String(payload.byteLength),
      },
    };
    const request = https
      ? httpsRequest(url, options, onAnswer)
      : httpRequest(url, options, onAnswer);
    const timer = setTimeout(
      () => {
        settle({ kind: 'timeout' });
        request.destroy();
      },
      Math.max(1, Math.floor(timeoutMs)),
    );
    request.on('error', (error) => settle(brokenCall(error)));
    request.end(payload);
  });
}

/** A call that broke: never reached when the connection was never made, else maybe arrived. */
function brokenCall(error: unknown): Attempt {
  const codes = errorCodes(error);
  const detail = codes[0] ?? (error instanceof Error ? error.message : 'unknown error');
  return codes.some((code) => NOT_REACHED_CODES.has(code))
    ? { kind: 'not-reached', detail }
    : { kind: 'lost', detail };
}

/** Every `code` along an error's cause chain, including AggregateError members (happy eyeballs). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const pending: unknown[] = [error];
  for (let depth = 0; pending.length > 0 && depth < 20; depth++) {
    const current = pending.shift();
    if (current === null || typeof current !== 'object') continue;
    const { code, cause, errors } = current as {
      code?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string') codes.push(code);
    if (cause !== undefined) pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return codes;
}
