import { FORM_CONTENT_TYPE } from './form.js';

/** What one HTTP attempt came to. */
export type Attempt =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly body: string;
      readonly retryAfter: string | null;
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
 * arrived": fetch does not tell whether the body was flushed before a reset, and a reset can just
 * as well come after the server read the whole body (a proxy dropping the connection while the
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

/**
 * POSTs a form-encoded body once, with its own timeout, and classifies what happened.
 * Never throws for network trouble or HTTP statuses: those come back as an Attempt. Redirects are
 * not followed (a redirected POST turns into a GET and would hide a misconfigured base URL).
 */
export async function postForm(
  fetchImpl: typeof fetch,
  url: URL,
  body: string | Uint8Array,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Attempt> {
  const signal = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': FORM_CONTENT_TYPE },
      body,
      redirect: 'manual',
      signal,
    });
    const text = await response.text();
    return {
      kind: 'answer',
      status: response.status,
      body: text,
      retryAfter: response.headers.get('retry-after'),
    };
  } catch (error) {
    if (signal.aborted) return { kind: 'timeout' };
    const codes = errorCodes(error);
    const detail = codes[0] ?? (error instanceof Error ? error.message : 'unknown error');
    return codes.some((code) => NOT_REACHED_CODES.has(code))
      ? { kind: 'not-reached', detail }
      : { kind: 'lost', detail };
  }
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
