import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOT_LOOKED_UP } from '../../../functions/contacts/number-table.js';
import { PhoneSet } from '../../../functions/contacts/phone-set.js';
import {
  type PhoneRules,
  SuppressionListBuilder,
} from '../../../functions/contacts/suppression-list.js';
import {
  ALTERNATE_LISTED,
  Scrubber,
  SuppressionSet,
} from '../../../functions/contacts/suppression-set.js';

/** Rules that let 16-digit numbers through, so some numbers are too long to pack. */
const RULES: PhoneRules = { phonePrefix: 'keep', minPhoneDigits: 6, maxPhoneDigits: 16 };

/** A small pool, so that lines and lists share numbers often; two are too long to pack. */
const POOL = [
  '099111222',
  '099111333',
  '0099111222',
  '98765432',
  '5491155551234',
  '123456789012345',
  '1234567890123456',
  '9999999999999999',
] as const;

function setOf(lists: readonly (readonly string[])[]): SuppressionSet {
  return new SuppressionSet(
    lists.map((numbers, i) => {
      const builder = new SuppressionListBuilder(RULES);
      for (const digits of numbers) builder.add(digits);
      return { name: `list-${i}`, version: 'v', list: builder.build(), sources: 1 };
    }),
  );
}

/** What the verdict on a canonical line must be, from its fields: no engine code involved. */
function expected(set: SuppressionSet, main: string, alternates: readonly string[]): number {
  const listOf = (digits: string) => set.lists.findIndex((l) => l.list.hasDigits(digits));
  if (listOf(main) >= 0) return listOf(main);
  return alternates.some((a) => listOf(a.replace(/^[MWH]=\d{1,2}=/, '')) >= 0)
    ? ALTERNATE_LISTED
    : -1;
}

const number = fc.constantFrom(...POOL);
const alternate = fc.tuple(
  fc.option(fc.constantFrom('M=1=', 'W=12=', 'H=0='), { nil: '' }),
  number,
);
const line = fc.record({
  main: number,
  alternates: fc.array(
    alternate.map(([type, digits]) => `${type}${digits}`),
    { maxLength: 4 },
  ),
  agent: fc.boolean(),
});

describe('Scrubber.scrubLines', () => {
  it('gives each canonical line of a chunk the verdict its fields call for, as scrubLine does line by line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.subarray([...POOL]), { minLength: 1, maxLength: 3 }),
        fc.array(line, { minLength: 1, maxLength: 40 }),
        (lists, lines) => {
          const set = setOf(lists);
          const scrubber = new Scrubber(set);
          const texts = lines.map(
            (l) =>
              `Ventas;${l.main};nombre=Ana;${l.alternates.join(':')};9999${l.agent ? ';12' : ''}`,
          );
          const ends = Int32Array.from(texts, (t) => t.indexOf(';', 7));
          const keys = Float64Array.from(lines, (l) => PhoneSet.keyOf(l.main, 0, l.main.length));
          const out = new Int32Array(lines.length);
          scrubber.scrubLines(texts, ends, keys, lines.length, out);
          lines.forEach((l, i) => {
            const verdict =
              out[i] === NOT_LOOKED_UP ? scrubber.scrubLine(texts[i]!, 7, ends[i]!) : out[i];
            expect(verdict).toBe(expected(set, l.main, l.alternates));
            expect(scrubber.scrubLine(texts[i]!, 7, ends[i]!)).toBe(verdict);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves a line that is not canonical (its end not past 0) to be asked about later', () => {
    const scrubber = new Scrubber(setOf([['099111222']]));
    const out = new Int32Array(1);
    const key = PhoneSet.keyOf('099111222', 0, 9);
    scrubber.scrubLines(
      ['Ventas;099111222;;;9999'],
      Int32Array.of(-1),
      Float64Array.of(key),
      1,
      out,
    );
    expect(out[0]).toBe(NOT_LOOKED_UP);
  });
});
