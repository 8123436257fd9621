/**
 * Longest number packed into one double: `10 ** 15 + value` stays below 2 ** 51, so it is exact.
 * Longer numbers (only with a raised maxPhoneDigits) go to a plain Set.
 */
export const MAX_PACKED_DIGITS = 15;
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
/** `reserve` plans for no more numbers than this in a table; the set still grows past it. */
const MAX_RESERVED = 2 ** 27 * MAX_LOAD;
/**
 * A set's bytes per number at its worst moment, a table doubling: the old table (3/4 full) and
 * the new one, twice its size, coexist, 4 slots a number; and the tables given up before wait for
 * V8's next full collection (together as large as the old one): 4 + 4/3 slots a number in all,
 * 21.3 bytes for 32-bit slots and 42.7 for 64-bit ones, rounded up. Measured (child process, RSS over the start, just past a doubling):
 * 18-23 bytes for 6-12 million short numbers, 34-37 for wide ones.
 */
export const SHORT_WORST_BYTES = 22;
export const WIDE_WORST_BYTES = 44;
/** A string in a Set, its header and digits and the Set's entry: measured 87-109 bytes (17 digits). */
export const LONG_WORST_BYTES = 120;
/** Room reserved for a kind of number beyond its share of the first numbers seen. */
const SHARE_MARGIN = 1.25;
const MIN_TABLE = 16;

/** Murmur3's finalizer over both halves of the packed number: spreads digits over the high bits. */
export function hash(key: number): number {
  let h = (key >>> 0) ^ Math.imul((key / TWO_POW_32) >>> 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Murmur3's finalizer over a packed number below 2 ** 32. */
function hash32(key: number): number {
  let h = Math.imul(key ^ (key >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Slot count for `count` numbers. */
function capacityFor(count: number): number {
  return Math.max(MIN_TABLE, Math.ceil(Math.min(count, MAX_RESERVED) / MAX_LOAD));
}

/**
 * The set of main numbers seen in a file, for duplicate detection over millions of rows.
 * Each number is packed as the exact integer `10 ** length + value`, so leading zeros count
 * (`098344484` and `98344484` differ), and kept in an open-addressing table (linear probing):
 * numbers of up to 9 digits (below 2 ** 32 packed) in 32-bit slots, longer ones in 64-bit
 * slots, about 5.5 or 11 bytes a number when reserved ahead, where a `Set<string>` takes over 50.
 * A smaller table is faster as well as smaller: most checks of a large file's numbers miss the
 * cache, and the fewer pages the table spans, the fewer also miss the TLB.
 */
/** A table on a buffer that `release` can shrink to nothing (a resizable ArrayBuffer). */
function shortTable(capacity: number): Uint32Array<ArrayBuffer> {
  const bytes = capacity * Uint32Array.BYTES_PER_ELEMENT;
  return new Uint32Array(new ArrayBuffer(bytes, { maxByteLength: bytes }), 0, capacity);
}

function wideTable(capacity: number): Float64Array<ArrayBuffer> {
  const bytes = capacity * Float64Array.BYTES_PER_ELEMENT;
  return new Float64Array(new ArrayBuffer(bytes, { maxByteLength: bytes }), 0, capacity);
}

export class PhoneSet {
  /** Packed numbers below 2 ** 32. */
  private short: Uint32Array<ArrayBuffer>;
  private shortCount = 0;
  private shortLimit: number;
  /** Packed numbers from 2 ** 32 up (10 to 15 digits). */
  private wide: Float64Array<ArrayBuffer>;
  private wideCount = 0;
  private wideLimit: number;
  private long: Set<string> | undefined;
  /** Numbers `reserve` asked room for, shared between the tables once the first ones are seen. */
  private planned = 0;

  constructor(initialCapacity = 1024) {
    this.short = shortTable(Math.max(MIN_TABLE, Math.ceil(initialCapacity)));
    this.shortLimit = Math.floor(this.short.length * MAX_LOAD);
    this.wide = wideTable(MIN_TABLE);
    this.wideLimit = Math.floor(MIN_TABLE * MAX_LOAD);
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
    return key > 0 ? this.addKey(key) : this.addLong(text.slice(start, end));
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
    if (this.planned > 0) this.share(key < TWO_POW_32 ? 1 : 0, key < TWO_POW_32 ? 0 : 1);
    return key < TWO_POW_32 ? this.insertShort(key) : this.insertWide(key);
  }

  /**
   * Reads the slot where each of the first `count` packed numbers (-1 skipped) would go, and
   * changes nothing; returns how many are there already. Adding a batch of numbers right after
   * finds their slots in the cache: the reads of a batch wait for memory together, where adding
   * one number per row waited for it once per row (a file's table is larger than the cache).
   */
  warm(keys: Float64Array, count: number): number {
    if (this.planned > 0) this.shareAmong(keys, count);
    const short = this.short;
    const shortCapacity = short.length;
    const wide = this.wide;
    const wideCapacity = wide.length;
    let found = 0;
    for (let j = 0; j < count; j++) {
      const key = keys[j]!;
      if (!(key > 0)) continue;
      if (key < TWO_POW_32) {
        if (short[Math.floor((hash32(key) * shortCapacity) / TWO_POW_32)] === key) found++;
      } else if (wide[Math.floor((hash(key) * wideCapacity) / TWO_POW_32)] === key) found++;
    }
    return found;
  }

  /**
   * Makes room for `count` numbers in all, so that adding them never regrows a table: one table
   * instead of a series of ever larger ones, each left for the garbage collector. The room is
   * shared between short and long numbers as the first ones added (or warmed) are. Too large a
   * count costs memory (about 5.5 or 11 bytes a number asked for), too small one only lets the
   * set grow as it would have. Never throws.
   */
  reserve(count: number): void {
    if (count > 0) this.planned = count;
  }

  /**
   * Gives the tables' memory back now rather than at V8's next full collection, which after a
   * file of millions of rows can come only after many uploads (bench/RESULTS.md). The set is
   * empty afterwards. Never throws.
   */
  release(): void {
    this.short.buffer.resize(0);
    this.wide.buffer.resize(0);
    this.short = shortTable(MIN_TABLE);
    this.wide = wideTable(MIN_TABLE);
    this.shortCount = 0;
    this.wideCount = 0;
    this.shortLimit = Math.floor(MIN_TABLE * MAX_LOAD);
    this.wideLimit = this.shortLimit;
    this.long = undefined;
    this.planned = 0;
  }

  /** The most memory the set may take for the numbers it holds: see SHORT_WORST_BYTES. */
  get worstBytes(): number {
    return (
      this.shortCount * SHORT_WORST_BYTES +
      this.wideCount * WIDE_WORST_BYTES +
      (this.long?.size ?? 0) * LONG_WORST_BYTES
    );
  }

  get size(): number {
    return this.shortCount + this.wideCount + (this.long?.size ?? 0);
  }

  /** `share` as the first `count` packed numbers of `keys` (-1 skipped) are split. */
  private shareAmong(keys: Float64Array, count: number): void {
    let short = 0;
    let wide = 0;
    for (let j = 0; j < count; j++) {
      const key = keys[j]!;
      if (key > 0 && key < TWO_POW_32) short++;
      else if (key > 0) wide++;
    }
    if (short + wide > 0) this.share(short, wide);
  }

  /** Sizes both tables for the planned count, split as `short` to `wide` numbers. */
  private share(short: number, wide: number): void {
    const planned = this.planned;
    this.planned = 0;
    const room = (part: number) =>
      Math.min(planned, Math.ceil((planned * part * SHARE_MARGIN) / (short + wide)));
    if (short > 0 && room(short) > this.shortLimit) this.rehashShort(capacityFor(room(short)));
    if (wide > 0 && room(wide) > this.wideLimit) this.rehashWide(capacityFor(room(wide)));
  }

  private addLong(text: string): boolean {
    this.long ??= new Set();
    if (this.long.has(text)) return false;
    this.long.add(text);
    return true;
  }

  private insertShort(key: number): boolean {
    const keys = this.short;
    const capacity = keys.length;
    let i = Math.floor((hash32(key) * capacity) / TWO_POW_32);
    for (;;) {
      const slot = keys[i]!;
      if (slot === EMPTY) break;
      if (slot === key) return false;
      if (++i === capacity) i = 0;
    }
    keys[i] = key;
    if (++this.shortCount > this.shortLimit) this.rehashShort(this.short.length * GROWTH);
    return true;
  }

  private insertWide(key: number): boolean {
    const keys = this.wide;
    const capacity = keys.length;
    let i = Math.floor((hash(key) * capacity) / TWO_POW_32);
    for (;;) {
      const slot = keys[i]!;
      if (slot === EMPTY) break;
      if (slot === key) return false;
      if (++i === capacity) i = 0;
    }
    keys[i] = key;
    if (++this.wideCount > this.wideLimit) this.rehashWide(this.wide.length * GROWTH);
    return true;
  }

  private rehashShort(capacity: number): void {
    this.short = moveKeys(this.short, shortTable(capacity), hash32);
    this.shortLimit = Math.floor(capacity * MAX_LOAD);
  }

  private rehashWide(capacity: number): void {
    this.wide = moveKeys(this.wide, wideTable(capacity), hash);
    this.wideLimit = Math.floor(capacity * MAX_LOAD);
  }
}

/**
 * Places every key of `old` in `keys` (empty, larger) by `hashOf`, and returns `keys`. One for both
 * widths: a table is rehashed once per file or so, unlike the inserts, which stay one per width so
 * each loop sees one kind of array.
 */
function moveKeys<T extends Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(
  old: T,
  keys: T,
  hashOf: (key: number) => number,
): T {
  const capacity = keys.length;
  for (let j = 0; j < old.length; j++) {
    const key = old[j]!;
    if (key === EMPTY) continue;
    let i = Math.floor((hashOf(key) * capacity) / TWO_POW_32);
    while (keys[i] !== EMPTY) if (++i === capacity) i = 0;
    keys[i] = key;
  }
  return keys;
}
