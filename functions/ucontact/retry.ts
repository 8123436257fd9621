/** How often and how patiently a call is retried. One layer only: nothing below retries too. */
export interface RetryPolicy {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** The backoff ceiling before the first retry; it doubles per retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
} as const satisfies RetryPolicy;

/** Time and chance, injectable so tests need neither real waits nor luck. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/**
 * The wait before retry number `retry` (1 for the first retry): capped exponential backoff with
 * full jitter, a uniform draw in [0, min(maxDelayMs, baseDelayMs * 2^(retry-1))).
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

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
