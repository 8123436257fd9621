import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberSet } from '../../../functions/contacts/number-set.js';
import { PhoneSet } from '../../../functions/contacts/phone-set.js';

const packed = (numbers: readonly string[]) =>
  Float64Array.from(numbers.map((n) => PhoneSet.keyOf(n, 0, n.length)));

describe('NumberSet', () => {
  it('answers the payload of the batch that holds a number, and -1 for any other', () => {
    const set = NumberSet.build([
      { keys: packed(['098344484', '59899123456']), payload: 0 },
      { keys: packed(['25252961']), long: ['1234567890123456789'], payload: 7 },
    ]);
    expect(set.has('098344484')).toBe(0);
    expect(set.has('59899123456')).toBe(0);
    expect(set.has('25252961')).toBe(7);
    expect(set.has('1234567890123456789')).toBe(7);
    expect(set.has('98344484')).toBe(-1);
    expect(set.has('25252962')).toBe(-1);
    expect(set.size).toBe(4);
  });

  it('answers the first batch for a number given twice, and counts it once', () => {
    const set = NumberSet.build([
      { keys: packed(['098344484', '25252961']), payload: 3 },
      { keys: packed(['098344484']), payload: 1 },
    ]);
    expect(set.has('098344484')).toBe(3);
    expect(set.size).toBe(2);
  });

  it('finds exactly the numbers it was built from, whatever they are', () => {
    const digits = fc.stringMatching(/^[0-9]{1,18}$/);
    fc.assert(
      fc.property(fc.uniqueArray(digits, { maxLength: 300 }), digits, (numbers, other) => {
        const set = NumberSet.of(numbers);
        for (const n of numbers) expect(set.has(n)).toBe(0);
        expect(set.has(other)).toBe(numbers.includes(other) ? 0 : -1);
      }),
    );
  });

  it('holds many numbers and finds each', () => {
    const keys = new Float64Array(200_000);
    for (let i = 0; i < keys.length; i++) keys[i] = 1e9 + i * 7;
    const set = NumberSet.build([{ keys, payload: 2 }]);
    let found = 0;
    for (let i = 0; i < keys.length; i++) if (set.hasKey(keys[i]!) === 2) found++;
    expect(found).toBe(200_000);
    expect(set.hasKey(1e9 + 1)).toBe(-1);
  });
});
