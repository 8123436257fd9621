import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../functions/shared/backoff.js';

const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling with each retry and draws uniformly below it (full jitter)', () => {
    expect(backoffDelay(1, policy, () => 0.5)).toBe(50);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(100);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399);
  });

  it('never waits more than the cap', () => {
    expect(backoffDelay(20, policy, () => 0.999)).toBe(999);
  });
});
