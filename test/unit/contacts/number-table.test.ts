import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberSet } from '../../../functions/contacts/number-set.js';
import { NOT_LOOKED_UP } from '../../../functions/contacts/number-table.js';
import { PhoneSet } from '../../../functions/contacts/phone-set.js';

const packed = (digits: string) => PhoneSet.keyOf(digits, 0, digits.length);

/**
 * The batched lookup (NumberSet.hasKeys, through NumberTable.slotsOf and NumberFilter.select)
 * against the lookup one number at a time (`hasKey`): the same answer for every entry, whatever
 * the numbers, their count (runs of 128 and less) and the entries not packed.
 */
describe('NumberTable.slotsOf', () => {
  it('answers as the lookups one at a time do, for any batch', () => {
    const digits = fc.stringMatching(/^[0-9]{1,15}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(digits, { maxLength: 400 }),
        fc.array(fc.oneof(digits, fc.constant('')), { maxLength: 700 }),
        (held, asked) => {
          const set = NumberSet.build([{ keys: Float64Array.from(held.map(packed)), payload: 4 }]);
          // Asked: numbers held and not, and -1 entries (a number too long or not packed).
          const keys = Float64Array.from([...asked, ...held.slice(0, 50)], (d) =>
            d === '' ? -1 : packed(d),
          );
          const out = new Int32Array(keys.length);
          set.hasKeys(keys, keys.length, out);
          keys.forEach((key, i) => {
            expect(out[i]).toBe(key > 0 ? set.hasKey(key) : NOT_LOOKED_UP);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds every number of a large set and turns away the others, in one batch', () => {
    const held = Float64Array.from({ length: 50_000 }, (_, i) =>
      packed(String(100_000_000 + 7 * i)),
    );
    const set = NumberSet.build([{ keys: held, payload: 1 }]);
    const asked = Float64Array.from({ length: 20_000 }, (_, i) => packed(String(100_000_000 + i)));
    const out = new Int32Array(asked.length);
    set.hasKeys(asked, asked.length, out);
    const found = [...out].filter((slot) => slot === 1).length;
    expect(found).toBe(Math.ceil(20_000 / 7));
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(i % 7 === 0 ? 1 : -1);
  });
});
