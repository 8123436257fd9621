import { maskPhone } from './mask-phone.js';
import { NOT_LOOKED_UP } from './number-table.js';
import { PhoneSet } from './phone-set.js';
import { RejectionCode, WarningCode } from './reason-codes.js';
import {
  describeRules,
  type PhoneRules,
  type SuppressionList,
  sameRules,
} from './suppression-list.js';

/** One list applied to a file: its name, the version read, and the compiled numbers. */
export interface NamedSuppressionList {
  readonly name: string;
  /** Identifies the list's objects as read (their keys and versions or ETags). */
  readonly version: string;
  readonly list: SuppressionList;
  /** How many objects or files it was read from, when it is read from a folder. */
  readonly sources?: number;
}

/** What one list did to one file, as the summary and the manifest report it. */
export interface SuppressionReport {
  readonly list: string;
  readonly version: string;
  /** Numbers on the list. */
  readonly numbers: number;
  /** Lines of the list's objects that held no usable number (left out of the list). */
  readonly badLines: number;
  /** Contacts refused and alternates dropped for a number on this list (the first list holding it). */
  readonly hits: number;
}

/**
 * The suppression lists the engine applies to a file, in order: a number on several lists is
 * counted for the first. Shared between files while the lists do not change.
 */
export class SuppressionSet {
  constructor(readonly lists: readonly NamedSuppressionList[]) {}

  /** Bytes its lists hold (`SuppressionList.memoryBytes`). */
  get memoryBytes(): number {
    let bytes = 0;
    for (const entry of this.lists) bytes += entry.list.memoryBytes;
    return bytes;
  }

  /** Problems, one a line, when a list was compiled under rules other than `rules`; else none. */
  checkRules(rules: PhoneRules): string[] {
    return this.lists
      .filter((entry) => !sameRules(entry.list.rules, rules))
      .map(
        (entry) =>
          `The suppression list "${entry.name}" was read under other phone rules (${describeRules(entry.list.rules)}) than the file's (${describeRules(rules)})`,
      );
  }
}

/**
 * A warning for each list of `set` read from a folder that holds no source: a list name mistyped
 * in a profile would otherwise scrub nothing unnoticed. `folderOf` says where a list's sources
 * are looked for (`suppression/<list>/` in the bucket). Each is an EngineWarning (not imported:
 * contact.ts reaches this file through options.ts).
 */
export function listNotFoundWarnings(
  set: SuppressionSet | undefined,
  folderOf: (name: string) => string,
): { code: WarningCode; message: string }[] {
  return (set?.lists ?? [])
    .filter((entry) => entry.sources === 0)
    .map((entry) => ({
      code: WarningCode.SuppressionListNotFound,
      message:
        `The suppression list "${entry.name}" has no .txt or .csv file (.gz too) in ` +
        `${folderOf(entry.name)}: it holds no number and scrubbed nothing. ` +
        'Check the name a profile gives it, and its files.',
    }));
}

const TYPED_PREFIX_END = /^[MWH]=\d{1,2}=/;
const EQUALS = 0x3d;
/** `scrubLines`' verdict on a line whose main number is on no list but an alternate is. */
export const ALTERNATE_LISTED = -3;

/**
 * One file's use of a SuppressionSet: finds numbers on its lists and counts the hits. Numbers
 * given to it are already normalized (the engine's digits).
 */
export class Scrubber {
  private readonly lists: readonly NamedSuppressionList[];
  private readonly hits: number[];
  /** Scratch for `scrubLines`: a chunk's packed alternates and the line of each. */
  private alternateKeys = new Float64Array(4096);
  private alternateOwners = new Int32Array(4096);
  /** Scratch for one list's answers on a chunk's numbers (SuppressionList.slotsOf). */
  private slots = new Int32Array(4096);
  /** `scrubLine`'s verdict, as `scrubLines` writes one. */
  private readonly lineVerdict = new Int32Array(1);

  constructor(set: SuppressionSet) {
    this.lists = set.lists;
    this.hits = set.lists.map(() => 0);
  }

  /**
   * The verdict on each of the first `count` native lines of a chunk (`texts[i]`; when canonical,
   * its main number ends at `ends[i]` > 0 and is packed as `keys[i]`), into `out`: the first list
   * holding its main number, else ALTERNATE_LISTED, else -1; NOT_LOOKED_UP for a line to ask
   * `scrubLine` about (not canonical, or its main number too long to pack). The lookups of a chunk
   * are made together (SuppressionList.slotsOf): one line at a time, amid the rest of each line's
   * work, the same lookups into a list of millions measured twice as slow and more.
   */
  scrubLines(
    texts: readonly string[],
    ends: Int32Array,
    keys: Float64Array,
    count: number,
    out: Int32Array,
  ): void {
    for (let i = 0; i < count; i++) out[i] = keys[i]! > 0 && ends[i]! > 0 ? -1 : NOT_LOOKED_UP;
    this.markListedMains(keys, count, out);
    // Then the alternates of the lines whose main number no list holds, packed, then looked up.
    let packed = 0;
    for (let i = 0; i < count; i++) {
      if (out[i] === -1) packed = this.packAlternates(texts[i]!, ends[i]!, i, packed, out);
    }
    this.markListedAlternates(packed, out);
  }

  /** Gives each line of `out` still -1 the index of the first list holding its packed `keys[i]`. */
  private markListedMains(keys: Float64Array, count: number, out: Int32Array): void {
    const slots = this.slotsFor(count);
    const lists = this.lists;
    for (let index = 0; index < lists.length; index++) {
      lists[index]!.list.slotsOf(keys, count, slots);
      for (let i = 0; i < count; i++) if (out[i] === -1 && slots[i]! >= 0) out[i] = index;
    }
  }

  /**
   * The verdict of `scrubLines` on one canonical native line, its main number `text.slice(start,
   * end)`.
   */
  scrubLine(text: string, start: number, end: number): number {
    const index = this.listOf(text, start, end);
    if (index >= 0) return index;
    const verdict = this.lineVerdict;
    verdict[0] = -1;
    const packed = this.packAlternates(text, end, 0, 0, verdict);
    // A line's few alternates one at a time: a batch's steps cost more than they save here.
    for (let j = 0; j < packed && verdict[0] === -1; j++) {
      if (this.listOfKey(this.alternateKeys[j]!) >= 0) verdict[0] = ALTERNATE_LISTED;
    }
    return verdict[0]!;
  }

  /** The index of the first list holding the number packed as `key` (-1: none). */
  private listOfKey(key: number): number {
    const lists = this.lists;
    for (let i = 0; i < lists.length; i++) if (lists[i]!.list.hasKey(key)) return i;
    return -1;
  }

  /**
   * Packs the alternates of line `owner` (`text`, its main number ending at `end`) into the
   * scratch arrays from `at` on; returns where the next go. A number too long to pack is looked
   * up by its digits at once (`out[owner]` ALTERNATE_LISTED when listed).
   */
  private packAlternates(text: string, end: number, owner: number, at: number, out: Int32Array) {
    const field = alternatesField(text, end);
    let next = at;
    for (let from = field.from; from < field.to; ) {
      let to = text.indexOf(':', from);
      if (to === -1 || to > field.to) to = field.to;
      const digits = numberStartIn(text, from);
      const key = digits >= from && digits < to ? PhoneSet.keyOf(text, digits, to) : -1;
      if (key > 0) {
        if (next === this.alternateKeys.length) this.growScratch();
        this.alternateKeys[next] = key;
        this.alternateOwners[next++] = owner;
      } else if (digits >= from && digits < to && this.listOf(text, digits, to) >= 0) {
        out[owner] = ALTERNATE_LISTED;
      }
      from = to + 1;
    }
    return next;
  }

  /** Marks ALTERNATE_LISTED in `out` the line of each of the first `packed` alternates listed. */
  private markListedAlternates(packed: number, out: Int32Array): void {
    const { alternateKeys, alternateOwners } = this;
    const slots = this.slotsFor(packed);
    for (const entry of this.lists) {
      entry.list.slotsOf(alternateKeys, packed, slots);
      for (let j = 0; j < packed; j++)
        if (slots[j]! >= 0) out[alternateOwners[j]!] = ALTERNATE_LISTED;
    }
  }

  /** Scratch for one list's answers on `count` numbers. */
  private slotsFor(count: number): Int32Array {
    if (count > this.slots.length) this.slots = new Int32Array(count);
    return this.slots;
  }

  private growScratch(): void {
    const keys = new Float64Array(2 * this.alternateKeys.length);
    const owners = new Int32Array(keys.length);
    keys.set(this.alternateKeys);
    owners.set(this.alternateOwners);
    this.alternateKeys = keys;
    this.alternateOwners = owners;
  }

  /** The index of the first list holding the digits `text.slice(start, end)` (-1: none). */
  listOf(text: string, start = 0, end = text.length): number {
    const lists = this.lists;
    for (let i = 0; i < lists.length; i++) {
      if (lists[i]!.list.hasDigits(text, start, end)) return i;
    }
    return -1;
  }

  /** Counts a refusal for list `index` and returns its message (the number masked). */
  refusal(index: number, main: string): { code: RejectionCode; message: string } {
    this.hits[index]!++;
    const name = this.lists[index]!.name;
    return {
      code: RejectionCode.Suppressed,
      message: `The number ${maskPhone(main)} is on the suppression list "${name}".`,
    };
  }

  /** Whether one of the canonical `alternates` (plain or typed) is on a list. Nothing is counted. */
  anyAlternateListed(alternates: readonly string[]): boolean {
    for (let i = 0; i < alternates.length; i++) {
      const text = alternates[i]!;
      if (this.listOf(text, numberStart(text)) >= 0) return true;
    }
    return false;
  }

  /**
   * The `alternates` (plain or typed) that are on no list, the others counted as hits; undefined
   * when none is on a list.
   */
  unlistedAlternates(alternates: readonly string[]): string[] | undefined {
    const kept: string[] = [];
    for (const text of alternates) {
      const index = this.listOf(text, numberStart(text));
      if (index < 0) kept.push(text);
      else this.hits[index]!++;
    }
    return kept.length === alternates.length ? undefined : kept;
  }

  /** Each list with its hits in this file. */
  report(): SuppressionReport[] {
    return this.lists.map((entry, i) => ({
      list: entry.name,
      version: entry.version,
      numbers: entry.list.numbers,
      badLines: entry.list.badLines,
      hits: this.hits[i]!,
    }));
  }
}

/**
 * Where the number of the canonical alternate at `from` starts: after `T=r=` for a typed one
 * (its second character is `=`); -1 when a typed one lacks its second `=`.
 */
function numberStartIn(text: string, from: number): number {
  return text.charCodeAt(from + 1) === EQUALS ? text.indexOf('=', from + 2) + 1 || -1 : from;
}

/**
 * The alternates field of a canonical native line whose main number ends at `end`
 * (campaign;main;variables;alternates;priority[;agentphone], no `;` inside a field).
 */
function alternatesField(text: string, end: number): { from: number; to: number } {
  const from = text.indexOf(';', end + 1) + 1;
  const to = text.indexOf(';', from);
  return { from, to: to === -1 ? from : to };
}

/** Where the number of an alternate starts: after `T=r=` for a typed one. */
function numberStart(text: string): number {
  const typed = TYPED_PREFIX_END.exec(text);
  return typed ? typed[0].length : 0;
}
