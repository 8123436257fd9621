import { fillFilter, NumberFilter } from './number-filter.js';
import { NumberTable } from './number-table.js';
import { hash as hashPacked, LONG_WORST_BYTES, PhoneSet } from './phone-set.js';

/** Numbers given to `NumberSet.build` that share one payload (say, the numbers of one file). */
export interface NumberBatch {
  /** Numbers packed by `PhoneSet.keyOf` (1 to 15 digits); -1 entries are skipped. */
  readonly keys: Float64Array;
  /** Numbers too long to pack, as their digits. */
  readonly long?: readonly string[];
  /** What `has` answers for these numbers; 0 or more. */
  readonly payload: number;
}

/** Bucket entries the directory aims at: a lookup reads the directory, then one short run. */
const PER_BUCKET = 3;
const MIN_BITS = 4;
const MAX_BITS = 26;
const NOT_FOUND = -1;

/**
 * A read-only set of normalized phone numbers, each with a payload (an index the caller gives
 * meaning to), built once from millions of numbers and asked once per contact. The packed numbers
 * are grouped by the top bits of their hash (a counting sort, so building is linear) behind a
 * directory of bucket starts: a lookup costs two memory reads, where a binary search over sorted
 * numbers costs twenty, and the numbers take 12 bytes each (8 for the number, 4 for its payload)
 * plus 4 bytes per 3 numbers for the directory. In front, a NumberFilter (1.5 to 3 bytes a
 * number) turns most numbers away without reading the directory: what costs time with millions
 * of numbers is where in memory a lookup reads, not how much it computes. A number given twice
 * answers the payload of the batch given first.
 */
export class NumberSet {
  private constructor(
    private readonly table: NumberTable,
    private readonly payloads: Uint32Array,
    private readonly long: ReadonlyMap<string, number>,
    private readonly distinct: number,
  ) {}

  /** Builds the set from batches of packed numbers. Never throws. */
  static build(batches: readonly NumberBatch[]): NumberSet {
    let count = 0;
    for (const batch of batches) count += batch.keys.length;
    const bits = Math.min(
      MAX_BITS,
      Math.max(MIN_BITS, Math.ceil(Math.log2(Math.max(1, count / PER_BUCKET)))),
    );
    const shift = 32 - bits;
    const starts = new Uint32Array((1 << bits) + 1);
    let kept = 0;
    for (const { keys } of batches) {
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (!(key > 0)) continue;
        starts[(hashPacked(key) >>> shift) + 1]!++;
        kept++;
      }
    }
    for (let b = 1; b < starts.length; b++) starts[b]! += starts[b - 1]!;
    const next = starts.slice(0, -1);
    const filter = new NumberFilter(new Int32Array(NumberFilter.wordsFor(kept)));
    const packed = new Float64Array(kept);
    const payloads = new Uint32Array(kept);
    const long = new Map<string, number>();
    let distinct = 0;
    for (const { keys, payload, long: longer = [] } of batches) {
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (!(key > 0)) continue;
        const bucket = hashPacked(key) >>> shift;
        const end = next[bucket]!;
        // A number given again is left out (its slot stays 0, which no number packs to).
        let seen = false;
        for (let j = starts[bucket]!; j < end && !seen; j++) seen = packed[j] === key;
        if (seen) continue;
        next[bucket] = end + 1;
        const at = end;
        packed[at] = key;
        payloads[at] = payload;
        distinct++;
      }
      for (const digits of longer) if (!long.has(digits)) long.set(digits, payload);
    }
    fillFilter(filter, packed);
    const table = new NumberTable(bits, starts, filter, packed);
    return new NumberSet(table, payloads, long, distinct + long.size);
  }

  /** A set of `numbers` (digits), all with payload 0. Never throws. */
  static of(numbers: Iterable<string>): NumberSet {
    const keys: number[] = [];
    const long: string[] = [];
    for (const digits of numbers) {
      const key = PhoneSet.keyOf(digits, 0, digits.length);
      if (key > 0) keys.push(key);
      else long.push(digits);
    }
    return NumberSet.build([{ keys: Float64Array.from(keys), long, payload: 0 }]);
  }

  /** The payload of the number `digits`, or -1 when the set does not hold it. Never throws. */
  has(digits: string): number {
    const key = PhoneSet.keyOf(digits, 0, digits.length);
    return key > 0 ? this.hasKey(key) : (this.long.get(digits) ?? NOT_FOUND);
  }

  /**
   * `hasKey` for each of the first `count` packed numbers, into `out` (NOT_LOOKED_UP for a -1
   * entry: ask `has` with its digits). Asked for a chunk's lines at once, the lookups read ahead
   * (NumberTable.slotsOf): one at a time, amid the rest of a line's work, a lookup in a 5M window
   * measured about 250 ns (bench/RESULTS.md, History).
   */
  hasKeys(keys: Float64Array, count: number, out: Int32Array): void {
    this.table.slotsOf(keys, count, out);
    const payloads = this.payloads;
    for (let i = 0; i < count; i++) {
      const slot = out[i]!;
      if (slot >= 0) out[i] = payloads[slot]!;
    }
  }

  /** `has` for a number already packed by `PhoneSet.keyOf` (not -1). Never throws. */
  hasKey(key: number): number {
    const slot = this.table.slotOf(key);
    return slot < 0 ? NOT_FOUND : this.payloads[slot]!;
  }

  /** How many different numbers it holds. */
  get size(): number {
    return this.distinct;
  }

  /** Bytes it holds: its typed arrays, and an estimate for the numbers too long to pack. */
  get memoryBytes(): number {
    return this.table.byteLength + this.payloads.byteLength + this.long.size * LONG_WORST_BYTES;
  }
}
