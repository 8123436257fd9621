import type { Contact, RawContact } from './contact.js';
import type { EngineOptions } from './options.js';
import { PhonePrefixPolicy } from './options.js';
import { parseNativeLine } from './parse-native.js';
import { ChangeKind } from './reason-codes.js';
import { STRAY_CHARACTER_CLASS } from './stray-characters.js';

/** Lines with more alternates than this take the full parse; real files have one or two. */
const MAX_ALTERNATES = 4;
/** Any character a variable's name or value may hold as it is: not `;` `:` `=` CR LF or stray. */
const FREE = `[^;:=\\r\\n${STRAY_CHARACTER_CLASS}]*`;

const SEMICOLON = 0x3b;
const SPACE = 0x20;
const DASH = 0x2d;
/** The changes of a line sent as it is, of one with its campaign filled in, and of one rewritten by `withoutNumberFormatting`. */
export const NO_CHANGES: readonly ChangeKind[] = Object.freeze([]);
export const CAMPAIGN_FILLED: readonly ChangeKind[] = Object.freeze([ChangeKind.CampaignFilled]);
export const PHONE_FORMATTED: readonly ChangeKind[] = Object.freeze([ChangeKind.PhoneFormatting]);

/**
 * The pattern source of a canonical line under `options` (without line break), or undefined when
 * no shortcut is safe (an empty number could then be canonical).
 */
function canonicalSource(options: EngineOptions): string | undefined {
  const rules = options.phoneRules ?? {};
  const min = Math.ceil(Math.max(options.minPhoneDigits, rules.minDigits ?? 0));
  const max = Math.floor(Math.min(options.maxPhoneDigits, rules.maxDigits ?? Infinity));
  if (!(min >= 1 && max >= min && Number.isSafeInteger(max))) return undefined;
  const noDoubleZero = options.phonePrefix === PhonePrefixPolicy.Strip ? '(?!00)' : '';
  const prefixes = rules.prefixes ? `(?=${rules.prefixes.map(escapeRegExp).join('|')})` : '';
  const number = `${noDoubleZero}${prefixes}\\d{${min},${max}}`;
  const campaign = escapeRegExp(options.campaign);
  const variables = `(?:${FREE}=${FREE}(?::${FREE}=${FREE})*)?`;
  // Each alternate's number is captured so the ones after it can be told apart from it (and
  // all from the main number, group 1); a typed one is `T=r=` with one or two digits of retries.
  let alternates = '';
  for (let k = MAX_ALTERNATES; k >= 1; k--) {
    let notEarlier = '';
    for (let group = 1; group <= k; group++) notEarlier += `(?!\\${group}[:;])`;
    const alternate = `(?:[MWH]=(?:\\d|[1-9]\\d)=)?${notEarlier}(${number})`;
    alternates = `(?:${k === 1 ? '' : ':'}${alternate}${alternates})?`;
  }
  const priority = options.defaultPriority === '' ? '(?:[1-9]\\d{0,3})?' : '[1-9]\\d{0,3}';
  return `(?:${campaign})?;(${number});${variables};${alternates};${priority}(?:;\\d*)?`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Recognises native lines that are already canonical for one file's options, with one native
 * pattern test: no split, no arrays, no strings. A canonical line names the target campaign,
 * its numbers have the allowed count of digits with no alternate repeating the main number or
 * another alternate, every variable is `name=value` with no reserved character, and its priority
 * and agentphone are well formed: exactly the lines `validateContact` accepts without a change,
 * so they can be sent on as they are. Lines that differ only by an empty campaign column
 * (accepted with the campaign filled in, their one change) are recognised too.
 */
export class CanonicalLineChecker {
  private readonly campaignLength: number;
  /** Sticky, so it can test a line inside a longer text. */
  private readonly pattern: RegExp | undefined;
  /** One or more canonical lines in a row, each ended by LF or CRLF. */
  private readonly run: RegExp | undefined;

  constructor(options: EngineOptions) {
    this.campaignLength = options.campaign.length;
    const source = canonicalSource(options);
    this.pattern = source === undefined ? undefined : new RegExp(`${source}(?=[\\r\\n]|$)`, 'y');
    // Captures inside the repeated group start afresh on each line, so `\1` is each line's own.
    this.run = source === undefined ? undefined : new RegExp(`(?:${source}\\r?\\n)+`, 'y');
  }

  /**
   * Where the canonical lines (in the sense of `mainEnd`) that follow one another from `at` in
   * `text`, each ended by LF or CRLF, end: after the last one's line break. `at` when the line at
   * `at` is not canonical or not ended so. One pattern test for a run of lines instead of one a
   * line.
   */
  runEnd(text: string, at: number): number {
    const run = this.run;
    if (run === undefined) return at;
    run.lastIndex = at;
    return run.test(text) ? run.lastIndex : at;
  }

  /** The end of the main number when `text` is canonical (but for an empty campaign column), else -1. */
  mainEnd(text: string): number {
    const pattern = this.pattern;
    if (pattern === undefined) return -1;
    pattern.lastIndex = 0;
    return pattern.test(text) ? text.indexOf(';', this.mainStart(text)) : -1;
  }

  /**
   * Where the main number of a line `mainEnd` recognised starts, from the line's start (`at` in
   * `text`): 1 when its campaign is empty.
   */
  mainStart(text: string, at = 0): number {
    return text.charCodeAt(at) === SEMICOLON ? 1 : this.campaignLength + 1;
  }

  /**
   * A line naming the campaign whose main number is digits with dashes or spaces among them (as
   * in `099-123-456`), and that is canonical once they are dropped: that line, which is what the
   * full path writes for it, with PHONE_FORMATTING as its one change (PHONE_FORMATTED). Undefined
   * for any other line.
   */
  withoutNumberFormatting(text: string): string | undefined {
    const start = this.campaignLength + 1;
    if (this.pattern === undefined || text.charCodeAt(start - 1) !== SEMICOLON) return undefined;
    const end = text.indexOf(';', start);
    if (end === -1) return undefined;
    let fixed = text.slice(0, start);
    let from = start;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === DASH || c === SPACE) {
        fixed += text.slice(from, i);
        from = i + 1;
      } else if (c < 48 || c > 57) return undefined;
    }
    if (from === start) return undefined;
    fixed += text.slice(from);
    // A first `;` would make the checker read the line with an empty campaign, one field earlier.
    return fixed.charCodeAt(0) !== SEMICOLON && this.mainEnd(fixed) > 0 ? fixed : undefined;
  }
}

/**
 * The contact of a canonical native line, read from the line (`text`, as sent: with the campaign
 * filled in if it was empty, or the main number's formatting dropped) only when a field is asked
 * for: most sinks only need the line.
 */
export class CanonicalNativeContact implements Contact {
  readonly line: number;
  readonly changes: readonly ChangeKind[];
  private readonly text: string;
  private raw: RawContact | undefined;

  constructor(text: string, line: number, changes: readonly ChangeKind[]) {
    this.text = text;
    this.line = line;
    this.changes = changes;
  }

  get campaign(): string {
    return this.fields().campaign;
  }
  get main(): string {
    return this.fields().main;
  }
  get variables(): Contact['variables'] {
    return this.fields().variables as Contact['variables'];
  }
  get alternates(): readonly string[] {
    return this.fields().alternates;
  }
  get priority(): string {
    return this.fields().priority;
  }
  get agentphone(): string {
    return this.fields().agentphone;
  }
  get fieldCount(): number {
    return this.fields().fieldCount;
  }

  private fields(): RawContact {
    if (this.raw === undefined) {
      // Only ever built for a line that passed the checker, which splits into 5 or 6 fields.
      this.raw = parseNativeLine(this.text, this.line) as RawContact;
    }
    return this.raw;
  }
}
