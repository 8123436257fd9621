import { describe, expect, it } from 'vitest';
import { duplicateSetBudget } from '../../../functions/contacts/contact-ceiling.js';
import { UnusableFileError } from '../../../functions/contacts/errors.js';
import { NumberSet } from '../../../functions/contacts/number-set.js';
import {
  DEFAULT_ENGINE_OPTIONS,
  type RecentlyLoaded,
} from '../../../functions/contacts/options.js';
import { LONG_WORST_BYTES, PhoneSet } from '../../../functions/contacts/phone-set.js';
import { FileRejectionCode } from '../../../functions/contacts/reason-codes.js';
import { SuppressionListBuilder } from '../../../functions/contacts/suppression-list.js';
import { SuppressionSet } from '../../../functions/contacts/suppression-set.js';
import { runEngine } from './run-engine.js';

/** `count` distinct 11-digit numbers from `first` (the duplicate set's costlier kind). */
function numbers(count: number, first: number): string[] {
  return Array.from({ length: count }, (_, i) => String(first + i * 7));
}

/** A registry of `count` numbers, compiled as the function compiles one; `long` too long to pack. */
function registry(count: number, long: readonly string[] = []): SuppressionSet {
  const builder = new SuppressionListBuilder(DEFAULT_ENGINE_OPTIONS);
  for (const digits of numbers(count, 59_800_000_000)) {
    builder.addKey(PhoneSet.keyOf(digits, 0, digits.length));
  }
  for (const digits of long) builder.add(digits);
  return new SuppressionSet([{ name: 'no-llame', version: 'v1', list: builder.build() }]);
}

function reloadWindow(count: number): RecentlyLoaded {
  const set = NumberSet.of(numbers(count, 59_700_000_000));
  return { numbers: set, loads: [{ loadedAt: '2026-01-01T00:00:00Z', source: 'a.csv' }], days: 7 };
}

/** A native file whose `count` contacts have distinct numbers on no list. */
function contacts(count: number): string {
  return numbers(count, 59_899_000_000)
    .map((n) => `Camp<-;${n};;1;\n`)
    .join('');
}

describe('the duplicate set budget', () => {
  it('leaves out the bytes the suppression lists and the reload window hold', () => {
    const suppression = registry(100_000, ['1234567890123456', '12345678901234567']);
    const recentlyLoaded = reloadWindow(50_000);
    const listBytes = suppression.memoryBytes;
    const windowBytes = recentlyLoaded.numbers.memoryBytes;
    // What they really take: 8 bytes a packed number, 12 with the window's payload; more for the
    // buckets and the filter; an estimated Set entry for each number too long to pack.
    expect(listBytes).toBeGreaterThan(100_000 * 8 + 2 * LONG_WORST_BYTES);
    expect(listBytes).toBeLessThan(100_000 * 16 + 2 * LONG_WORST_BYTES);
    expect(windowBytes).toBeGreaterThan(50_000 * 12);
    expect(windowBytes).toBeLessThan(50_000 * 20);
    const bare = duplicateSetBudget(1024);
    expect(duplicateSetBudget(1024, { suppression })).toBe(bare - listBytes);
    expect(duplicateSetBudget(1024, { suppression, recentlyLoaded })).toBe(
      bare - listBytes - windowBytes,
    );
  });

  it('counts every list of the set', () => {
    const one = registry(20_000);
    const both = new SuppressionSet([...one.lists, ...registry(30_000).lists]);
    expect(both.memoryBytes).toBe(one.memoryBytes + both.lists[1]!.list.memoryBytes);
    expect(duplicateSetBudget(1024, { suppression: both })).toBe(
      duplicateSetBudget(1024) - both.memoryBytes,
    );
  });

  it('is 0, not negative, when the lists take more than the budget', () => {
    const suppression = registry(2_200_000);
    expect(suppression.memoryBytes).toBeGreaterThan(duplicateSetBudget(256));
    expect(duplicateSetBudget(256, { suppression })).toBe(0);
  });
});

describe('the contact ceiling with lists', () => {
  it('lowers the ceiling by what a registry takes: a file checked in full without it is refused with it', async () => {
    const file = contacts(100_000);
    const alone = await runEngine(file, { memoryMb: 256 });
    expect(alone.summary.counts.accepted).toBe(100_000);
    // 256 MB leaves the set 16 MiB; this registry takes about 13 of them.
    const suppression = registry(1_200_000);
    const left = duplicateSetBudget(256, { suppression });
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(100_000 * 44);
    const error = await runEngine(file, { memoryMb: 256, suppression }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnusableFileError);
    expect(error).toMatchObject({ code: FileRejectionCode.TooManyContacts });
    const ceiling = Number(/more than (\d+) different/.exec((error as Error).message)?.[1]);
    // The ceiling the message names is what the budget left over the lists holds, 44 bytes a number.
    expect(ceiling).toBeGreaterThan(0);
    expect(Math.abs(ceiling - left / 44)).toBeLessThan(left / 44 / 10);
  });

  it('refuses the file, not a crash, saying more memory or fewer lists, when the lists leave no room', async () => {
    const suppression = registry(2_200_000);
    const error = await runEngine(contacts(10), { memoryMb: 256, suppression }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnusableFileError);
    expect(error).toMatchObject({ code: FileRejectionCode.TooManyContacts });
    expect((error as Error).message).toMatch(
      /suppression lists and the reload window's numbers leave no room in 256 MB of memory .*: give the function more memory, or apply fewer lists/,
    );
  });
});
