import type { NumberFilter } from './number-filter.js';
import { hash } from './phone-set.js';

/** `slotOf`'s answer for a number the table does not hold. */
const NOT_FOUND = -1;
/** `slotsOf`'s answer for a -1 (or 0) entry: a number not packed, to look up by its digits. */
export const NOT_LOOKED_UP = -2;
const FIRST_ROOM = 1024;

/**
 * Packed numbers grouped by the top `bits` bits of their hash behind a directory of where each
 * group starts, with a NumberFilter in front: the lookup a compiled suppression list and the
 * reload window's set share. A lookup asks the filter, and only for a number it may hold reads
 * the directory, then a short run of numbers next to each other. The arrays are the caller's
 * (a compiled list reads them in place from its file).
 */
export class NumberTable {
  private readonly shift: number;
  /** Scratch for `slotsOf`: the entries that pass the filter, and where each one's group lies. */
  private pending = new Int32Array(FIRST_ROOM);
  private from = new Uint32Array(FIRST_ROOM);
  private to = new Uint32Array(FIRST_ROOM);
  /** What `slotsOf` read ahead, kept so that those reads are not optimized away. */
  private warmed = 0;

  /** `starts` holds `2 ** bits + 1` entries; `keys` the numbers grouped as `starts` says. */
  constructor(
    bits: number,
    private readonly starts: Uint32Array,
    private readonly filter: NumberFilter,
    private readonly keys: Float64Array,
  ) {
    this.shift = 32 - bits;
  }

  /** Bytes its arrays take: the directory, the filter and the numbers. */
  get byteLength(): number {
    return this.starts.byteLength + this.filter.byteLength + this.keys.byteLength;
  }

  /** Where the number packed by PhoneSet.keyOf (not -1) is in `keys`, or -1. Never throws. */
  slotOf(key: number): number {
    if (!this.filter.mayHold(key)) return NOT_FOUND;
    const group = hash(key) >>> this.shift;
    const end = this.starts[group + 1]!;
    const keys = this.keys;
    for (let i = this.starts[group]!; i < end; i++) if (keys[i] === key) return i;
    return NOT_FOUND;
  }

  /**
   * `slotOf` for each of the first `count` packed numbers, into `out` (NOT_LOOKED_UP for a 0 or -1
   * entry). The lookups go in steps, each a loop that does nothing else, reading ahead what the
   * next step reads (the filter's blocks, then the directory, then the groups), so that their
   * reads wait for memory together. Against a 10M-number list this took the bench's scrubbed run
   * from 1.44 to 1.27 times the run without a list (bench/RESULTS.md, History).
   */
  slotsOf(keys: Float64Array, count: number, out: Int32Array): void {
    for (let i = 0; i < count; i++) out[i] = keys[i]! > 0 ? NOT_FOUND : NOT_LOOKED_UP;
    if (count > this.pending.length) this.grow(count);
    this.findPending(keys, this.filter.select(keys, count, this.pending), out);
  }

  /** Looks up the first `passed` entries of `pending` (indexes into `keys`) in the groups. */
  private findPending(keys: Float64Array, passed: number, out: Int32Array): void {
    const { pending, from, to, starts, shift } = this;
    let read = 0;
    for (let j = 0; j < passed; j++) {
      const group = hash(keys[pending[j]!]!) >>> shift;
      from[j] = group;
      read ^= starts[group]!;
    }
    const table = this.keys;
    for (let j = 0; j < passed; j++) {
      const group = from[j]!;
      const at = starts[group]!;
      from[j] = at;
      to[j] = starts[group + 1]!;
      if (at < to[j]! && table[at] === 0) read++;
    }
    this.warmed ^= read;
    for (let j = 0; j < passed; j++) {
      const i = pending[j]!;
      const key = keys[i]!;
      let slot = NOT_FOUND;
      for (let k = from[j]!; k < to[j]!; k++) {
        if (table[k] === key) {
          slot = k;
          break;
        }
      }
      out[i] = slot;
    }
  }

  private grow(count: number): void {
    this.pending = new Int32Array(count);
    this.from = new Uint32Array(count);
    this.to = new Uint32Array(count);
  }
}
