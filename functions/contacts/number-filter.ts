import { hash } from './phone-set.js';

/**
 * Bits the filter spends per number, at least: about 1 % of the numbers it does not hold pass
 * it (between 12 and 24 bits, from rounding the blocks to a power of two).
 */
const BITS_PER_NUMBER = 12;
/** One block: 8 words of 32 bits, half a cache line, each number setting one bit per word. */
const WORDS_PER_BLOCK = 8;
const BLOCK_BITS = WORDS_PER_BLOCK * 32;
export const FILTER_BYTES_PER_BLOCK = WORDS_PER_BLOCK * 4;
/** The split-block Bloom filter's odd constants (Apache Parquet's), one per word. */
const SALT = [
  0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31,
] as const;
const TWO_POW_32 = 4294967296;
const MAX_BLOCK_BITS = 26;

/**
 * A split-block Bloom filter over numbers packed by `PhoneSet.keyOf`: says "not held" for about
 * 99 % of the numbers a set does not hold by reading one 32-byte block. It exists for speed:
 * on these machines a read at a random place in a table of tens of megabytes costs 150 ns or
 * more (the page walk of a virtual machine), and a filter a fifth of the table's size answers
 * in half that, so a file of a million contacts checked against a registry of ten million
 * numbers reads the registry's table only for the few it may hold. The filter's words live in
 * the buffer the caller gives (a compiled list's, so it is stored and loaded with the list).
 */
export class NumberFilter {
  private readonly shift: number;

  /** `words` is `FILTER_BYTES_PER_BLOCK / 4` times a power of two long (see `wordsFor`). */
  constructor(private readonly words: Int32Array) {
    this.shift = 32 - Math.log2(words.length / WORDS_PER_BLOCK);
  }

  /** The words a filter for `count` numbers takes: a power of two blocks. Never throws. */
  static wordsFor(count: number): number {
    const blocks = Math.max(1, (count * BITS_PER_NUMBER) / BLOCK_BITS);
    return WORDS_PER_BLOCK * 2 ** Math.min(MAX_BLOCK_BITS, Math.ceil(Math.log2(blocks)));
  }

  /** Whether `words` words can make a filter (8 words a block, a power of two blocks). */
  static isLength(words: number): boolean {
    const blocks = words / WORDS_PER_BLOCK;
    return Number.isInteger(blocks) && blocks >= 1 && (blocks & (blocks - 1)) === 0;
  }

  /** Bytes its words take. */
  get byteLength(): number {
    return this.words.byteLength;
  }

  /** Adds the packed number `key` (not -1). Never throws. */
  add(key: number): void {
    const at = this.blockOf(key);
    const spread = spreadOf(key);
    const words = this.words;
    for (let i = 0; i < WORDS_PER_BLOCK; i++) {
      words[at + i]! |= 1 << (Math.imul(spread, SALT[i]!) >>> 27);
    }
  }

  /** False when the packed number `key` was certainly never added. Never throws. */
  mayHold(key: number): boolean {
    const at = this.blockOf(key);
    const spread = spreadOf(key);
    const words = this.words;
    for (let i = 0; i < WORDS_PER_BLOCK; i++) {
      if ((words[at + i]! & (1 << (Math.imul(spread, SALT[i]!) >>> 27))) === 0) return false;
    }
    return true;
  }

  private blockOf(key: number): number {
    // A filter of one block has shift 32, which `>>>` reads as 0: mask instead.
    return this.shift >= 32 ? 0 : (hash(key) >>> this.shift) * WORDS_PER_BLOCK;
  }
}

/**
 * A second hash of the packed number, independent of `hash` (which picks the block), whose
 * products with the salts pick one bit per word.
 */
function spreadOf(key: number): number {
  let h = Math.imul(((key / TWO_POW_32) >>> 0) ^ 0x5bd1e995, 0xcc9e2d51) ^ (key >>> 0);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return h ^ (h >>> 15);
}

/**
 * Adds every packed number of `keys` (0 and -1 entries skipped) to `filter`. Given numbers
 * grouped by the top bits of their hash, as the sets' tables hold them, it writes the filter's
 * blocks in order (a block is picked by the same top bits): a pass through memory instead of a
 * read at a random place per number, several times faster with millions of numbers.
 */
export function fillFilter(filter: NumberFilter, keys: Float64Array): void {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key > 0) filter.add(key);
  }
}
