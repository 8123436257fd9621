import { CompiledListError } from './errors.js';
import { fillFilter, NumberFilter } from './number-filter.js';
import { NumberTable } from './number-table.js';
import { hash, LONG_WORST_BYTES, PhoneSet } from './phone-set.js';

/**
 * The normalization a list's numbers were read under (the engine options of these names): only a
 * file read the same way can match. Declared here, not picked from the options, which name the
 * lists in turn.
 */
export interface PhoneRules {
  readonly phonePrefix: 'keep' | 'strip' | 'to-00';
  readonly minPhoneDigits: number;
  readonly maxPhoneDigits: number;
}

/** True when two sets of phone rules normalize every number alike. */
export function sameRules(a: PhoneRules, b: PhoneRules): boolean {
  return (
    a.phonePrefix === b.phonePrefix &&
    a.minPhoneDigits === b.minPhoneDigits &&
    a.maxPhoneDigits === b.maxPhoneDigits
  );
}

/**
 * The compiled form, one buffer that is also the file (little-endian):
 * 64-byte header, then `2 ** bits + 1` bucket offsets (uint32), then the words of a NumberFilter
 * over the packed numbers (int32; 8-byte aligned), then the packed numbers (float64,
 * `10 ** digits + value` as PhoneSet packs them, so leading zeros count) grouped by bucket, then
 * the numbers too long to pack, as text, one per line. A number's bucket is the top `bits` bits
 * of its hash: a lookup asks the filter, and only when it may hold the number reads two offsets
 * and about four numbers next to each other. Format 1 had no filter.
 */
const MAGIC = 'UCLSUPPR';
export const COMPILED_FORMAT_VERSION = 2;
const HEADER_BYTES = 64;
const AT = {
  version: 8,
  bits: 12,
  packed: 16,
  longCount: 24,
  longBytes: 28,
  minDigits: 32,
  maxDigits: 36,
  prefix: 40,
  badLines: 48,
  filterWords: 56,
} as const;
const PREFIX_BYTES = 8;
/** About this many numbers a bucket: small enough to scan, large enough to keep offsets small. */
const PER_BUCKET = 4;
const MAX_BITS = 28;
const BLOCK = 1 << 20;

/** The smallest page of memory: `readEachPage` reads one byte in each. */
const PAGE_BYTES = 4096;

/**
 * Reads one byte of each page of `bytes`, so that loading a list leaves it ready to read. On the
 * microVMs the function runs on (this machine's kernel is one too), a page a file was read into
 * costs 5 to 7 µs the first time the program itself reads it: for a 10M-number list, 27,000
 * pages and about 150 ms, which lookups made at random places would otherwise pay one page at a
 * time, in the first drop's scrubbing. Read in order here, the load pays it once, and the list
 * then stays in memory for the drops that follow (SuppressionStore).
 */
function readEachPage(bytes: Uint8Array): number {
  let read = 0;
  for (let i = 0; i < bytes.length; i += PAGE_BYTES) read ^= bytes[i]!;
  return read;
}

function bitsFor(count: number): number {
  const bits = Math.ceil(Math.log2(Math.max(count, 1) / PER_BUCKET));
  return Math.min(MAX_BITS, Math.max(1, bits));
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Where the filter and the packed numbers start in a compiled list. */
function layout(bits: number, filterWords: number): { filterAt: number; keysAt: number } {
  const filterAt = align8(HEADER_BYTES + ((1 << bits) + 1) * 4);
  return { filterAt, keysAt: filterAt + filterWords * 4 };
}

/**
 * A compiled suppression list: the distinct numbers of one version of a list, normalized under
 * `rules`, looked up in constant time. Built by SuppressionListBuilder or read back from its
 * `bytes` by `SuppressionList.decode`.
 */
export class SuppressionList {
  /** The numbers in it, each once. */
  readonly numbers: number;
  private readonly table: NumberTable;
  private readonly long: ReadonlySet<string>;
  /** What `readEachPage` read at decoding, kept so that its reads are not optimized away. */
  private pagesRead = 0;

  private constructor(
    /** The buffer the list lives in, to write as it is. */
    readonly bytes: Uint8Array,
    readonly rules: PhoneRules,
    /** Lines of the list's sources that held no usable number. */
    readonly badLines: number,
  ) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
    const bits = view.getUint32(AT.bits, true);
    const packed = view.getFloat64(AT.packed, true);
    const longBytes = view.getUint32(AT.longBytes, true);
    const filterWords = view.getUint32(AT.filterWords, true);
    const { filterAt, keysAt } = layout(bits, filterWords);
    const end = keysAt + packed * 8 + longBytes;
    if (
      bits < 1 ||
      bits > MAX_BITS ||
      !Number.isSafeInteger(packed) ||
      !NumberFilter.isLength(filterWords) ||
      end !== bytes.length
    ) {
      throw new CompiledListError(`the compiled list is ${bytes.length} bytes, not ${end}`);
    }
    this.table = new NumberTable(
      bits,
      new Uint32Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, (1 << bits) + 1),
      new NumberFilter(new Int32Array(bytes.buffer, bytes.byteOffset + filterAt, filterWords)),
      new Float64Array(bytes.buffer, bytes.byteOffset + keysAt, packed),
    );
    const longText = Buffer.from(bytes.buffer, bytes.byteOffset + keysAt + packed * 8, longBytes);
    this.long = new Set(longBytes === 0 ? [] : longText.toString('latin1').split('\n'));
    this.numbers = packed + this.long.size;
  }

  /**
   * Reads a compiled list back, checking that it was compiled under `rules`. Copies the bytes
   * only when they are not 8-byte aligned. Throws CompiledListError for another format or
   * version, other rules, or bytes cut short.
   */
  static decode(bytes: Uint8Array, rules: PhoneRules): SuppressionList {
    if (bytes.length < HEADER_BYTES || Buffer.from(bytes.subarray(0, 8)).toString() !== MAGIC) {
      throw new CompiledListError('not a compiled suppression list');
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
    const version = view.getUint32(AT.version, true);
    if (version !== COMPILED_FORMAT_VERSION) {
      throw new CompiledListError(
        `compiled list format ${version}, not ${COMPILED_FORMAT_VERSION}`,
      );
    }
    const prefix = Buffer.from(bytes.subarray(AT.prefix, AT.prefix + PREFIX_BYTES))
      .toString('latin1')
      .replace(/\0+$/, '');
    const compiledUnder = {
      phonePrefix: prefix,
      minPhoneDigits: view.getUint32(AT.minDigits, true),
      maxPhoneDigits: view.getUint32(AT.maxDigits, true),
    } as PhoneRules;
    if (!sameRules(compiledUnder, rules)) {
      throw new CompiledListError(
        `the list was compiled under other phone rules (${describeRules(compiledUnder)}, not ${describeRules(rules)})`,
      );
    }
    const aligned = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
    const list = new SuppressionList(aligned, rules, view.getFloat64(AT.badLines, true));
    list.pagesRead ^= readEachPage(aligned);
    return list;
  }

  /**
   * Bytes it holds: the whole buffer its bytes lie in (a list just built keeps room for the
   * repeats it dropped), which its lookups read in place, and an estimate for the Set the numbers
   * too long to pack are read into.
   */
  get memoryBytes(): number {
    return this.bytes.buffer.byteLength + this.long.size * LONG_WORST_BYTES;
  }

  /** Whether the number packed by PhoneSet.keyOf (not -1) is on the list. Never throws. */
  hasKey(key: number): boolean {
    return this.table.slotOf(key) >= 0;
  }

  /**
   * Where each of the first `count` packed numbers is in the list (≥ 0: listed), into `out`:
   * NumberTable.slotsOf, the lookups of a chunk made together.
   */
  slotsOf(keys: Float64Array, count: number, out: Int32Array): void {
    this.table.slotsOf(keys, count, out);
  }

  /** Whether the digits `text.slice(start, end)` are on the list. Never throws. */
  hasDigits(text: string, start = 0, end = text.length): boolean {
    const key = PhoneSet.keyOf(text, start, end);
    return key > 0 ? this.hasKey(key) : this.long.has(text.slice(start, end));
  }
}

export function describeRules(rules: PhoneRules): string {
  return `prefix ${rules.phonePrefix}, ${rules.minPhoneDigits} to ${rules.maxPhoneDigits} digits`;
}

/**
 * Collects a list's normalized numbers (repeats allowed) and compiles them once into a
 * SuppressionList. Holds 8 bytes a number while collecting; compiling needs as much again for
 * the result, and the blocks are let go as they are placed.
 */
export class SuppressionListBuilder {
  private blocks: Float64Array[] = [];
  private filled = BLOCK;
  private readonly long = new Set<string>();
  private badLines = 0;

  constructor(readonly rules: PhoneRules) {}

  /** Adds a normalized number (digits only). Never throws. */
  add(digits: string): void {
    const key = PhoneSet.keyOf(digits, 0, digits.length);
    if (key > 0) this.addKey(key);
    else this.long.add(digits);
  }

  /** Adds a number packed by PhoneSet.keyOf (not -1). */
  addKey(key: number): void {
    if (this.filled === BLOCK) {
      this.blocks.push(new Float64Array(BLOCK));
      this.filled = 0;
    }
    this.blocks[this.blocks.length - 1]![this.filled++] = key;
  }

  /** Counts lines of the sources that held no usable number. */
  addBadLines(count: number): void {
    this.badLines += count;
  }

  /** The compiled list; the builder is empty afterwards. Never throws. */
  build(): SuppressionList {
    const blocks = this.blocks;
    const count = blocks.length === 0 ? 0 : (blocks.length - 1) * BLOCK + this.filled;
    const lengths = blocks.map((_, i) => (i === blocks.length - 1 ? this.filled : BLOCK));
    const bits = bitsFor(count);
    const shift = 32 - bits;
    const buckets = 1 << bits;
    const longText = Buffer.from([...this.long].join('\n'), 'latin1');
    // Sized for every number added, repeats too: known before they are dropped, and never less.
    const filterWords = NumberFilter.wordsFor(count);
    const { filterAt, keysAt } = layout(bits, filterWords);
    const buffer = new ArrayBuffer(keysAt + count * 8 + longText.length);
    const offsets = new Uint32Array(buffer, HEADER_BYTES, buckets + 1);
    const filter = new NumberFilter(new Int32Array(buffer, filterAt, filterWords));
    const keys = new Float64Array(buffer, keysAt, count);
    for (let k = 0; k < blocks.length; k++) {
      const block = blocks[k]!;
      for (let j = 0; j < lengths[k]!; j++) offsets[(hash(block[j]!) >>> shift) + 1]!++;
    }
    for (let b = 0; b < buckets; b++) offsets[b + 1]! += offsets[b]!;
    const next = offsets.slice(0, buckets);
    for (let k = 0; k < blocks.length; k++) {
      const block = blocks[k]!;
      for (let j = 0; j < lengths[k]!; j++) {
        const key = block[j]!;
        keys[next[hash(key) >>> shift]!++] = key;
      }
      // Let each block go as soon as it is placed: compiling holds one copy, not two.
      blocks[k] = new Float64Array(0);
    }
    const packed = dropRepeats(offsets, keys, buckets);
    fillFilter(filter, keys.subarray(0, packed));
    const size = keysAt + packed * 8 + longText.length;
    const bytes = new Uint8Array(buffer, 0, size);
    bytes.set(longText, keysAt + packed * 8);
    writeHeader(new DataView(buffer, 0, HEADER_BYTES), {
      bits,
      packed,
      filterWords,
      longCount: this.long.size,
      longBytes: longText.length,
      rules: this.rules,
      badLines: this.badLines,
    });
    const list = SuppressionList.decode(bytes, this.rules);
    this.blocks = [];
    this.filled = BLOCK;
    this.long.clear();
    return list;
  }
}

/**
 * Keeps each number once within its bucket, moving the rest down and the offsets with them;
 * returns how many numbers are left. A bucket holds about PER_BUCKET numbers, so the scan for a
 * repeat is short.
 */
function dropRepeats(offsets: Uint32Array, keys: Float64Array, buckets: number): number {
  let write = 0;
  let start = offsets[0]!;
  for (let b = 0; b < buckets; b++) {
    const end = offsets[b + 1]!;
    const first = write;
    offsets[b] = first;
    for (let i = start; i < end; i++) {
      const key = keys[i]!;
      let seen = false;
      for (let j = first; j < write; j++) {
        if (keys[j] === key) {
          seen = true;
          break;
        }
      }
      if (!seen) keys[write++] = key;
    }
    start = end;
  }
  offsets[buckets] = write;
  return write;
}

interface HeaderFields {
  readonly bits: number;
  readonly packed: number;
  readonly filterWords: number;
  readonly longCount: number;
  readonly longBytes: number;
  readonly rules: PhoneRules;
  readonly badLines: number;
}

function writeHeader(view: DataView, fields: HeaderFields): void {
  const { bits, packed, filterWords, longCount, longBytes, rules, badLines } = fields;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, HEADER_BYTES);
  bytes.set(Buffer.from(MAGIC, 'latin1'), 0);
  view.setUint32(AT.version, COMPILED_FORMAT_VERSION, true);
  view.setUint32(AT.bits, bits, true);
  view.setFloat64(AT.packed, packed, true);
  view.setUint32(AT.longCount, longCount, true);
  view.setUint32(AT.longBytes, longBytes, true);
  view.setUint32(AT.minDigits, rules.minPhoneDigits, true);
  view.setUint32(AT.maxDigits, rules.maxPhoneDigits, true);
  bytes.set(Buffer.from(rules.phonePrefix.padEnd(PREFIX_BYTES, '\0'), 'latin1'), AT.prefix);
  view.setFloat64(AT.badLines, badLines, true);
  view.setUint32(AT.filterWords, filterWords, true);
}
