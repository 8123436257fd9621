import { type BackoffPolicy, backoffDelay, type RetryClock } from '../shared/backoff.js';

// The client's options take the shared clock; named here so its callers import one module.
export { type RetryClock, systemClock } from '../shared/backoff.js';

/** How often and how patiently a call is retried. One layer only: nothing below retries too. */
export interface RetryPolicy extends BackoffPolicy {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
} as const satisfies RetryPolicy;

/**
 * Reads a Retry-After header (delay-seconds or an HTTP date) as milliseconds from `now`.
 * Returns undefined when the header is absent or unreadable, so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before the next retry: the server's Retry-After when it gave one, else backoff.
 * Returns undefined when the wait would not end before `latestStart`: the caller stops retrying.
 */
export function nextRetryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  latestStart: number,
  policy: RetryPolicy,
  clock: RetryClock,
): number | undefined {
  const delay = retryAfterMs ?? backoffDelay(retry, policy, clock.random);
  return clock.now() + delay < latestStart ? delay : undefined;
}
