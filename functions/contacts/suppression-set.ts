import { maskPhone } from './mask-phone.js';
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
/** `listsOfKeys`' answer for a number not packed: look it up by its digits. */
export const NOT_LOOKED_UP = -2;

/**
 * One file's use of a SuppressionSet: finds numbers on its lists and counts the hits. Numbers
 * given to it are already normalized (the engine's digits).
 */
export class Scrubber {
  private readonly lists: readonly NamedSuppressionList[];
  private readonly hits: number[];

  constructor(set: SuppressionSet) {
    this.lists = set.lists;
    this.hits = set.lists.map(() => 0);
  }

  /** The index of the first list holding the number packed as `key` (-1: none). */
  listOfKey(key: number): number {
    const lists = this.lists;
    for (let i = 0; i < lists.length; i++) if (lists[i]!.list.hasKey(key)) return i;
    return -1;
  }

  /**
   * For each of the first `count` packed numbers, the index of the first list holding it (-1:
   * none; NOT_LOOKED_UP for a -1 entry), into `out`. Asked for a chunk's lines at once, the
   * reads of their filter blocks wait for memory together, where a line at a time waited once a
   * line: with a list of millions, that wait is most of what scrubbing costs.
   */
  listsOfKeys(keys: Float64Array, count: number, out: Int32Array): void {
    for (let i = 0; i < count; i++) {
      const key = keys[i]!;
      out[i] = key > 0 ? this.listOfKey(key) : NOT_LOOKED_UP;
    }
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

  /**
   * Whether an alternate in the native alternates field `text.slice(start, end)` (canonical:
   * `T=r=` or nothing before each number, `:` between them) is on a list. Nothing is counted.
   */
  anyAlternateListedIn(text: string, start: number, end: number): boolean {
    let from = start;
    while (from < end) {
      let to = text.indexOf(':', from);
      if (to === -1 || to > end) to = end;
      // A typed alternate (`T=r=`) has its number after the second `=`.
      const typed = text.charCodeAt(from + 1) === EQUALS;
      const digits = typed ? text.indexOf('=', from + 2) + 1 : from;
      if (digits >= from && digits < to && this.listOf(text, digits, to) >= 0) return true;
      from = to + 1;
    }
    return false;
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

/** Where the number of an alternate starts: after `T=r=` for a typed one. */
function numberStart(text: string): number {
  const typed = TYPED_PREFIX_END.exec(text);
  return typed ? typed[0].length : 0;
}
