import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCEPTED_SUFFIXES,
  assertDisjointPrefixes,
  INCOMING_PREFIX,
  prefixesOverlap,
  RESULTS_PREFIX,
} from '../../infra/bucket-layout.js';
import { PrefixOverlapError } from '../../infra/errors.js';

describe('prefixesOverlap', () => {
  it('says the trigger prefix and the results prefix never overlap', () => {
    expect(prefixesOverlap(INCOMING_PREFIX, RESULTS_PREFIX)).toBe(false);
  });

  it('finds an overlap when one prefix starts with the other, either way round', () => {
    expect(prefixesOverlap('incoming/', 'incoming/results/')).toBe(true);
    expect(prefixesOverlap('incoming/results/', 'incoming/')).toBe(true);
    expect(prefixesOverlap('', RESULTS_PREFIX)).toBe(true);
  });

  it('agrees with the keys themselves: no key starts with two prefixes that do not overlap', () => {
    const part = fc.string({ maxLength: 6 });
    fc.assert(
      fc.property(part, part, part, (a, b, rest) => {
        const key = a + rest;
        if (key.startsWith(a) && key.startsWith(b)) expect(prefixesOverlap(a, b)).toBe(true);
      }),
    );
  });
});

describe('assertDisjointPrefixes', () => {
  it('accepts the layout the stack uses', () => {
    expect(() => assertDisjointPrefixes(INCOMING_PREFIX, RESULTS_PREFIX)).not.toThrow();
  });

  it('refuses results written where they would trigger the function again', () => {
    expect(() => assertDisjointPrefixes('incoming/', 'incoming/results/')).toThrow(
      PrefixOverlapError,
    );
  });
});

describe('ACCEPTED_SUFFIXES', () => {
  it('holds no suffix that ends another, which S3 would refuse as overlapping rules', () => {
    for (const a of ACCEPTED_SUFFIXES) {
      for (const b of ACCEPTED_SUFFIXES) {
        if (a !== b) expect(a.endsWith(b)).toBe(false);
      }
    }
  });
});
