/**
 * Longest number packed into one double: `10 ** 15 + value` stays below 2 ** 51, so it is exact.
 * Longer numbers (only with a raised maxPhoneDigits) go to a plain Set.
 */
const MAX_PACKED_DIGITS = 15;
const POW10 = Array.from({ length: MAX_PACKED_DIGITS + 1 }, (_, i) => 10 ** i);
const TWO_POW_32 = 4294967296;
/**
 * Doubled when fuller than this: between 3/8 and 3/4 full. Doubling rehashes each number about
 * once in all (growing by half rehashed it twice) and leaves less garbage: every old table stays
 * in memory until V8's next full collection, so the tables given up weigh as much as the last one
 * (twice as much when growing by half).
 */
const MAX_LOAD = 0.75;
const GROWTH = 2;
const EMPTY = 0;
/** `reserve` plans for no more numbers than this (a 1 GiB table); the set still grows past it. */
const MAX_RESERVED = 2 ** 27 * MAX_LOAD;

/** Murmur3's finalizer over both halves of the packed number: spreads digits over the high bits. */
function hash(key: number): number {
  let h = (key >>> 0) ^ Math.imul((key / TWO_POW_32) >>> 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The set of main numbers seen in a file, for duplicate detection over millions of rows.
 * Each number is packed as the exact double `10 ** length + value`, so leading zeros count
 * (`098344484` and `98344484` differ), and kept in an open-addressing table (linear probing)
 * of about 11 to 21 bytes per number (11 when reserved ahead), where a `Set<string>` takes over 50.
 */
export class PhoneSet {
  private keys: Float64Array;
  private count = 0;
  private limit: number;
  private long: Set<string> | undefined;

  constructor(initialCapacity = 1024) {
    this.keys = new Float64Array(Math.max(16, Math.ceil(initialCapacity)));
    this.limit = Math.floor(this.keys.length * MAX_LOAD);
  }

  /** Adds a number (its digits); false when it was already in the set. Never throws. */
  add(digits: string): boolean {
    return this.addRange(digits, 0, digits.length);
  }

  /**
   * Adds the number `text.slice(start, end)` without slicing it; false when it was already in the
   * set. Never throws.
   */
  addRange(text: string, start: number, end: number): boolean {
    const key = PhoneSet.keyOf(text, start, end);
    return key > 0 ? this.insert(key) : this.addLong(text.slice(start, end));
  }

  /**
   * The packed form of the number `text.slice(start, end)` for `addKey` and `warm`: 1 to 15
   * digits. -1 for anything else, which only `addRange` takes. Never throws.
   */
  static keyOf(text: string, start: number, end: number): number {
    const length = end - start;
    if (length <= 0 || length > MAX_PACKED_DIGITS) return -1;
    let value = 0;
    for (let i = start; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      value = value * 10 + d;
    }
    return value + POW10[length]!;
  }

  /** Adds a number packed by `keyOf` (not -1); false when it was already in the set. */
  addKey(key: number): boolean {
    return this.insert(key);
  }

  /**
   * Reads the slot where each of the first `count` packed numbers (-1 skipped) would go, and
   * changes nothing; returns how many are there already. Adding a batch of numbers right after
   * finds their slots in the cache: the reads of a batch wait for memory together, where adding
   * one number per row waited for it once per row (a file's table is larger than the cache).
   */
  warm(keys: Float64Array, count: number): number {
    const table = this.keys;
    const capacity = table.length;
    let found = 0;
    for (let j = 0; j < count; j++) {
      const key = keys[j]!;
      if (key > 0 && table[Math.floor((hash(key) * capacity) / TWO_POW_32)] === key) found++;
    }
    return found;
  }

  /**
   * Makes room for `count` numbers in all, so that adding them never regrows the table: one table
   * instead of a series of ever larger ones, each left for the garbage collector. Too large a
   * count costs memory (about 11 bytes a number asked for), too small one only lets the set grow
   * as it would have. Never throws.
   */
  reserve(count: number): void {
    if (!(count > this.limit)) return;
    this.rehash(Math.ceil(Math.min(count, MAX_RESERVED) / MAX_LOAD));
  }

  get size(): number {
    return this.count + (this.long?.size ?? 0);
  }

  private addLong(text: string): boolean {
    this.long ??= new Set();
    if (this.long.has(text)) return false;
    this.long.add(text);
    return true;
  }

  private insert(key: number): boolean {
    const keys = this.keys;
    const capacity = keys.length;
    let i = Math.floor((hash(key) * capacity) / TWO_POW_32);
    for (;;) {
      const slot = keys[i]!;
      if (slot === EMPTY) break;
      if (slot === key) return false;
      if (++i === capacity) i = 0;
    }
    keys[i] = key;
    if (++this.count > this.limit) this.grow();
    return true;
  }

  private grow(): void {
    this.rehash(Math.ceil(this.keys.length * GROWTH));
  }

  private rehash(capacity: number): void {
    const old = this.keys;
    const keys = new Float64Array(capacity);
    for (let j = 0; j < old.length; j++) {
      const key = old[j]!;
      if (key === EMPTY) continue;
      let i = Math.floor((hash(key) * capacity) / TWO_POW_32);
      while (keys[i] !== EMPTY) if (++i === capacity) i = 0;
      keys[i] = key;
    }
    this.keys = keys;
    this.limit = Math.floor(capacity * MAX_LOAD);
  }
}
