import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LONG_WORST_BYTES,
  PhoneSet,
  SHORT_WORST_BYTES,
  WIDE_WORST_BYTES,
} from '../../../functions/contacts/phone-set.js';

describe('PhoneSet', () => {
  it('counts its worst memory by the kind of each number held, duplicates not counted again', () => {
    const set = new PhoneSet();
    set.add('099123456');
    set.add('099123456');
    set.add('59899123456');
    set.add('12345678901234567');
    expect(set.worstBytes).toBe(SHORT_WORST_BYTES + WIDE_WORST_BYTES + LONG_WORST_BYTES);
  });

  it('reports a number already in the set', () => {
    const set = new PhoneSet();
    expect(set.add('098344484')).toBe(true);
    expect(set.add('099124484')).toBe(true);
    expect(set.add('098344484')).toBe(false);
    expect(set.size).toBe(2);
  });

  it('tells numbers apart that differ only by leading zeros', () => {
    const set = new PhoneSet();
    expect(set.add('98344484')).toBe(true);
    expect(set.add('098344484')).toBe(true);
    expect(set.add('0098344484')).toBe(true);
    expect(set.add('098344484')).toBe(false);
    expect(set.size).toBe(3);
  });

  it('keeps the shortest and longest packed numbers exact', () => {
    const set = new PhoneSet();
    expect(set.add('999999999999999')).toBe(true);
    expect(set.add('999999999999998')).toBe(true);
    expect(set.add('000000000000000')).toBe(true);
    expect(set.add('00000000000000')).toBe(true);
    expect(set.add('999999999999999')).toBe(false);
  });

  it('keeps numbers longer than fifteen digits, and other text, apart', () => {
    const set = new PhoneSet();
    expect(set.add('1234567890123456')).toBe(true);
    expect(set.add('1234567890123457')).toBe(true);
    expect(set.add('1234567890123456')).toBe(false);
    expect(set.add('12a')).toBe(true);
    expect(set.add('')).toBe(true);
    expect(set.add('')).toBe(false);
    expect(set.size).toBe(4);
  });

  it('survives many collisions in a tiny table and keeps every number through growth', () => {
    const set = new PhoneSet(16);
    const numbers = Array.from({ length: 50_000 }, (_, i) =>
      String(99_000_000 + i * 7).padStart(9, '0'),
    );
    for (const n of numbers) expect(set.add(n)).toBe(true);
    for (const n of numbers) expect(set.add(n)).toBe(false);
    expect(set.size).toBe(numbers.length);
  });

  it('holds every number whatever room was reserved, too little or too much', () => {
    const numbers = Array.from({ length: 20_000 }, (_, i) => String(98_000_000 + i * 13));
    for (const room of [0, 10, 5_000, 20_000, 1_000_000]) {
      const set = new PhoneSet(16);
      set.reserve(room);
      for (const n of numbers) expect(set.add(n)).toBe(true);
      for (const n of numbers) expect(set.add(n)).toBe(false);
      expect(set.size).toBe(numbers.length);
    }
  });

  it('shares reserved room between short and long numbers as the first ones come, and still grows', () => {
    const short = Array.from({ length: 3_000 }, (_, i) => String(98_000_000 + i * 13));
    const long = Array.from({ length: 3_000 }, (_, i) => String(59_898_000_000 + i * 13));
    for (const first of [
      short.slice(0, 10),
      long.slice(0, 10),
      [...short, ...long].slice(2_995, 3_005),
    ]) {
      const set = new PhoneSet(16);
      set.reserve(1_000);
      const keys = Float64Array.from(first, (n) => PhoneSet.keyOf(n, 0, n.length));
      expect(set.warm(keys, keys.length)).toBe(0);
      for (const n of [...short, ...long]) expect(set.add(n)).toBe(true);
      for (const n of [...long, ...short]) expect(set.add(n)).toBe(false);
      expect(set.size).toBe(6_000);
    }
  });

  it('forgets every number once released, and works again afterwards', () => {
    const set = new PhoneSet();
    set.reserve(50_000);
    const numbers = Array.from({ length: 20_000 }, (_, i) => String(98_000_000 + i * 7));
    numbers.push('0987654321012', '1234567890123456789');
    for (const n of numbers) expect(set.add(n)).toBe(true);
    set.release();
    expect(set.size).toBe(0);
    for (const n of numbers) expect(set.add(n)).toBe(true);
    for (const n of numbers) expect(set.add(n)).toBe(false);
    expect(set.size).toBe(numbers.length);
  });

  it('takes numbers inside a line, and packed ones, as the same numbers', () => {
    const set = new PhoneSet(16);
    const line = 'Camp;098344484;;;9999';
    expect(set.addRange(line, 5, 14)).toBe(true);
    expect(set.add('098344484')).toBe(false);
    const key = PhoneSet.keyOf('x099124484', 1, 10);
    expect(set.warm(Float64Array.of(key, -1), 2)).toBe(0);
    expect(set.addKey(key)).toBe(true);
    expect(set.warm(Float64Array.of(key), 1)).toBe(1);
    expect(set.add('099124484')).toBe(false);
    expect(PhoneSet.keyOf('0993x', 0, 5)).toBe(-1);
    expect(PhoneSet.keyOf('1234567890123456', 0, 16)).toBe(-1);
    expect(set.size).toBe(2);
  });

  it('agrees with a Set of strings on any sequence of numbers', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '9'), minLength: 0, maxLength: 17 });
    fc.assert(
      fc.property(fc.array(digits, { maxLength: 300 }), (numbers) => {
        const set = new PhoneSet(16);
        const reference = new Set<string>();
        for (const n of numbers) {
          expect(set.add(n)).toBe(!reference.has(n));
          reference.add(n);
        }
        expect(set.size).toBe(reference.size);
      }),
    );
  });
});
