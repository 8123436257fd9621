/** How long to wait between attempts: a ceiling that doubles per retry, up to a cap. */
export interface BackoffPolicy {
  /** The ceiling before the first retry. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

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
 * full jitter, a uniform draw in [0, min(maxDelayMs, baseDelayMs * 2^(retry-1))). Full jitter
 * spreads callers that failed together, so they do not collide again.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
