import type { Contact, RawContact } from './contact.js';
import type { EngineOptions } from './options.js';
import { PhonePrefixPolicy } from './options.js';
import { parseNativeLine } from './parse-native.js';
import { ChangeKind } from './reason-codes.js';

/** Lines with more alternates than this take the full parse; real files have one or two. */
const MAX_ALTERNATES = 4;
/** Any character a variable's name or value may hold as it is: not `;` `:` `=` CR LF NUL. */
const FREE = '[^;:=\\0\\r\\n]*';

const SEMICOLON = 0x3b;
const NO_CHANGES: readonly ChangeKind[] = Object.freeze([]);
const CAMPAIGN_FILLED: readonly ChangeKind[] = Object.freeze([ChangeKind.CampaignFilled]);

/**
 * The pattern of a canonical line under `options`, or undefined when no shortcut is safe (an
 * empty number could then be canonical). Sticky, so it can test a line inside a longer text.
 */
function canonicalPattern(options: EngineOptions): RegExp | undefined {
  const min = Math.ceil(options.minPhoneDigits);
  const max = Math.floor(options.maxPhoneDigits);
  if (!(min >= 1 && max >= min && Number.isSafeInteger(max))) return undefined;
  const noDoubleZero = options.phonePrefix === PhonePrefixPolicy.Strip ? '(?!00)' : '';
  const number = `${noDoubleZero}\\d{${min},${max}}`;
  const campaign = options.campaign.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
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
  return new RegExp(
    `(?:${campaign})?;(${number});${variables};${alternates};${priority}(?:;\\d*)?(?=[\\r\\n]|$)`,
    'y',
  );
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
  private readonly pattern: RegExp | undefined;

  constructor(options: EngineOptions) {
    this.campaignLength = options.campaign.length;
    this.pattern = canonicalPattern(options);
  }

  /** The end of the main number when `text` is canonical (but for an empty campaign column), else -1. */
  mainEnd(text: string): number {
    const pattern = this.pattern;
    if (pattern === undefined) return -1;
    pattern.lastIndex = 0;
    return pattern.test(text) ? text.indexOf(';', this.mainStart(text)) : -1;
  }

  /** Where the main number of a line `mainEnd` recognised starts: 1 when its campaign is empty. */
  mainStart(text: string): number {
    return text.charCodeAt(0) === SEMICOLON ? 1 : this.campaignLength + 1;
  }
}

/**
 * The contact of a canonical native line, read from the line (`text`, as sent: with the campaign
 * filled in if it was empty) only when a field is asked for: most sinks only need the line.
 */
export class CanonicalNativeContact implements Contact {
  readonly line: number;
  private readonly text: string;
  private readonly campaignFilled: boolean;
  private raw: RawContact | undefined;

  constructor(text: string, line: number, campaignFilled: boolean) {
    this.text = text;
    this.line = line;
    this.campaignFilled = campaignFilled;
  }

  get changes(): readonly ChangeKind[] {
    return this.campaignFilled ? CAMPAIGN_FILLED : NO_CHANGES;
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
