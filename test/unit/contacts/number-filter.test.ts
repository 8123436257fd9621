import { describe, expect, it } from 'vitest';
import { fillFilter, NumberFilter } from '../../../functions/contacts/number-filter.js';
import { PhoneSet } from '../../../functions/contacts/phone-set.js';

const packed = (digits: string) => PhoneSet.keyOf(digits, 0, digits.length);

/** `count` distinct 9-digit numbers from `first` on, every `step`. */
function numbers(count: number, first: number, step: number): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => packed(String(first + i * step)));
}

describe('NumberFilter', () => {
  it('never turns away a number it holds, and lets through about 1 % of the others', () => {
    const held = numbers(200_000, 100_000_000, 7);
    const filter = new NumberFilter(new Int32Array(NumberFilter.wordsFor(held.length)));
    fillFilter(filter, held);
    expect(held.every((key) => filter.mayHold(key))).toBe(true);
    // Numbers between the held ones (none of them held): the share that passes anyway.
    const others = numbers(200_000, 100_000_003, 7);
    const passed = others.filter((key) => filter.mayHold(key)).length;
    expect(passed / others.length).toBeLessThan(0.02);
  });

  it('tells apart numbers that differ only by leading zeros, as the sets do', () => {
    const filter = new NumberFilter(new Int32Array(NumberFilter.wordsFor(1)));
    filter.add(packed('099123456'));
    expect(filter.mayHold(packed('099123456'))).toBe(true);
    // One block holds them all, so only the bits the numbers set can tell them apart.
    for (const digits of ['0099123456', '99123456', '00099123456']) {
      expect(filter.mayHold(packed(digits))).toBe(false);
    }
  });

  it('takes a power of two blocks of 8 words, at least 12 bits a number', () => {
    for (const count of [0, 1, 1000, 9_525_747]) {
      const words = NumberFilter.wordsFor(count);
      expect(NumberFilter.isLength(words)).toBe(true);
      expect(words * 32).toBeGreaterThanOrEqual(count * 12);
    }
    expect(NumberFilter.isLength(12)).toBe(false);
    expect(NumberFilter.isLength(0)).toBe(false);
  });
});
