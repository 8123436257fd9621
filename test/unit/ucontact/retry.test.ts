import { describe, expect, it } from 'vitest';
import {
  nextRetryDelay,
  parseRetryAfter,
  type RetryClock,
} from '../../../functions/ucontact/retry.js';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

function clockAt(now: number, draw: number): RetryClock {
  return { now: () => now, sleep: async () => {}, random: () => draw };
}

describe('parseRetryAfter', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('3', 0)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', 0)).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});

describe('nextRetryDelay', () => {
  it("prefers the server's Retry-After over backoff", () => {
    expect(nextRetryDelay(1, 2_500, 10_000, policy, clockAt(0, 0.5))).toBe(2_500);
    expect(nextRetryDelay(1, undefined, 10_000, policy, clockAt(0, 0.5))).toBe(50);
  });

  it('gives up when the wait would run past the latest start', () => {
    expect(nextRetryDelay(1, 5_000, 4_000, policy, clockAt(0, 0.5))).toBeUndefined();
    expect(nextRetryDelay(1, undefined, 1_000, policy, clockAt(1_000, 0.5))).toBeUndefined();
  });
});
