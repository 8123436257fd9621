/**
 * Longest number packed into one double: `10 ** 15 + value` stays below 2 ** 51, so it is exact.
 * Longer numbers (only with a raised maxPhoneDigits) go to a plain Set.
 */
const MAX_PACKED_DIGITS = 15;
const POW10 = Array.from({ length: MAX_PACKED_DIGITS + 1 }, (_, i) => 10 ** i);
const TWO_POW_32 = 4294967296;
/** Grown by half when fuller than this: between 1/2 and 3/4 full, at most 16 bytes per number. */
const MAX_LOAD = 0.75;
const GROWTH = 1.5;
const EMPTY = 0;

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
 * of about 11 to 16 bytes per number, where a `Set<string>` takes over 50.
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
    const length = digits.length;
    if (length === 0 || length > MAX_PACKED_DIGITS) return this.addLong(digits);
    let value = 0;
    for (let i = 0; i < length; i++) {
      const d = digits.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return this.addLong(digits);
      value = value * 10 + d;
    }
    return this.insert(value + POW10[length]!);
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
    const old = this.keys;
    const keys = new Float64Array(Math.ceil(old.length * GROWTH));
    const capacity = keys.length;
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
