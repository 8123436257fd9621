import { checkCampaignName } from './campaign-name.js';
import { type ChunkCeilings, DEFAULT_CHUNK_CEILINGS, REQUEST_OVERHEAD_RESERVE } from './chunk.js';
import { DEFAULT_MEMORY_MB, MIN_MEMORY_MB } from './contact-ceiling.js';
import { hasReserved } from './normalize-variables.js';
import type { SuppressionSet } from './suppression-set.js';

export { type ChunkCeilings, DEFAULT_CHUNK_CEILINGS };

/**
 * Every engine option with its default, in one place. The README's option table mirrors this file.
 */

/** What to do with an international prefix on a phone number. */
export const PhonePrefixPolicy = {
  /** Keep the digits as given: `+598 99 123` becomes `59899123`, `0059899123` stays. */
  Keep: 'keep',
  /** Drop the prefix: `+598...` and `00598...` both become `598...`. */
  Strip: 'strip',
  /** Write the prefix as `00`: `+598...` becomes `00598...`. */
  ToDoubleZero: 'to-00',
} as const;
export type PhonePrefixPolicy = (typeof PhonePrefixPolicy)[keyof typeof PhonePrefixPolicy];

/** How a headered file's column is used. */
export const ColumnRole = {
  Phone: 'phone',
  Alternate: 'alternate',
  Priority: 'priority',
  Agentphone: 'agentphone',
  Campaign: 'campaign',
  Variable: 'variable',
  Ignore: 'ignore',
} as const;
export type ColumnRole = (typeof ColumnRole)[keyof typeof ColumnRole];

/**
 * A mapping file's content: header text -> role, or `variable:<name>` to rename a variable.
 * Headers are matched case- and accent-insensitively; unmapped headers keep the guessed role.
 */
export interface ColumnMapping {
  readonly columns: Readonly<Record<string, string>>;
}

/**
 * Number rules narrower than the engine's own, from a campaign profile: checked on the digits
 * once the number is normalized (formatting removed, prefix policy applied). A main number
 * outside them is refused as PHONE_RULE; an alternate outside them is dropped.
 */
export interface PhoneRules {
  readonly minDigits?: number;
  readonly maxDigits?: number;
  /** The number must start with one of these (digits only). */
  readonly prefixes?: readonly string[];
}

/** One earlier load a reload window knows of: what a refusal names. */
export interface EarlierLoad {
  /** When it was loaded (ISO 8601). */
  readonly loadedAt: string;
  /** The file (its key) that loaded it. */
  readonly source: string;
}

/**
 * Main numbers the campaign received within its reload window, each pointing at the load that
 * sent it: `numbers.has` (and `hasKey`, for a number packed by PhoneSet.keyOf) answers an index
 * into `loads`, or -1. Built by the caller: the engine reads no storage.
 */
export interface RecentlyLoaded {
  readonly numbers: {
    has(digits: string): number;
    hasKey(key: number): number;
    /** `hasKey` for each of the first `count` keys into `out`; -2 for a -1 key (see NumberSet). */
    hasKeys(keys: Float64Array, count: number, out: Int32Array): void;
    /** Bytes it holds, which the duplicate check's budget leaves to it (contact-ceiling.ts). */
    readonly memoryBytes: number;
  };
  readonly loads: readonly EarlierLoad[];
  /** The window, in days, for the refusal's message. */
  readonly days: number;
}

export interface EngineOptions {
  /**
   * The target uContact campaign, NFC-normalized (see campaign-name.ts): native lines must name it
   * (or leave it empty).
   */
  readonly campaign: string;
  /** Used to recognise `.gz`; the name is never read from disk by the engine. */
  readonly sourceName: string;
  readonly phonePrefix: PhonePrefixPolicy;
  readonly minPhoneDigits: number;
  readonly maxPhoneDigits: number;
  /**
   * Written in place of `;` `:` `=` line breaks and stray characters (stray-characters.ts: NUL and
   * other control characters, line separators, text-direction controls) inside a variable's name
   * or value.
   */
  readonly replacement: string;
  /** Written when a contact's priority is empty; '' leaves it empty. */
  readonly defaultPriority: string;
  /** A file larger than this (after decompression) is refused as a whole. */
  readonly maxFileBytes: number;
  /**
   * The memory of the process in MB: past the contacts its duplicate check can hold in 75 % of it
   * (contact-ceiling.ts), the file is refused as TOO_MANY_CONTACTS.
   */
  readonly memoryMb: number;
  /** A record longer than this many characters is refused as LINE_TOO_LONG. */
  readonly maxLineLength: number;
  /** A headered record with more fields than this is refused as TOO_MANY_FIELDS. */
  readonly maxFields: number;
  readonly mapping?: ColumnMapping;
  readonly phoneRules?: PhoneRules;
  /**
   * The sheet of a workbook to read (its name, without regard to case when no sheet has it
   * exactly). Without it, the one sheet holding data is read. Not used for a text file.
   */
  readonly sheet?: string;
  /**
   * The size in bytes of the source as given to the engine (compressed, for gzip), when known
   * before reading. It only sizes the duplicate check once, from the rows the first lines suggest,
   * instead of growing it as rows come: no result depends on it. A hint too small lets the check
   * grow as without one; one too large costs about 11 bytes of memory per row it suggests.
   */
  readonly sizeHint?: number;
  /**
   * Suppression (do-not-call) lists, compiled under this file's phone rules: a contact whose main
   * number is on one is refused as SUPPRESSED, an alternate on one is dropped
   * (ALTERNATE_SUPPRESSED). Without it nothing is scrubbed.
   */
  readonly suppression?: SuppressionSet;
  /** A main number found here is refused as RECENTLY_LOADED; absent, no reload window applies. */
  readonly recentlyLoaded?: RecentlyLoaded;
  /** Where a workbook's sheets are spooled while it is read; default the system's temporary directory. */
  readonly spoolDir?: string;
}

export const DEFAULT_ENGINE_OPTIONS = {
  phonePrefix: PhonePrefixPolicy.Keep,
  minPhoneDigits: 6,
  maxPhoneDigits: 15,
  replacement: ' ',
  defaultPriority: '9999',
  maxFileBytes: 2 * 1024 ** 3,
  memoryMb: DEFAULT_MEMORY_MB,
  maxLineLength: 16 * 1024,
  maxFields: 200,
} as const satisfies Omit<EngineOptions, 'campaign' | 'sourceName' | 'mapping' | 'phoneRules'>;

/**
 * Room for contacts a request ceiling must leave beyond the chunker's reserve for the other form
 * fields (REQUEST_OVERHEAD_RESERVE), so a line of a few kilobytes still fits in a request.
 */
export const MIN_REQUEST_CONTENT_BYTES = 8 * 1024;
const MAX_PRIORITY = 9999;

/** How a caller names each option to its user (`--default-priority`, `DEFAULT_PRIORITY`...). */
export type OptionNames = Readonly<Partial<Record<keyof (EngineOptions & ChunkCeilings), string>>>;

const OPTION_LABELS: Required<OptionNames> = {
  campaign: 'The campaign',
  sourceName: 'The source name',
  phonePrefix: 'The phone prefix policy',
  minPhoneDigits: 'The fewest phone digits',
  maxPhoneDigits: 'The most phone digits',
  replacement: 'The replacement',
  defaultPriority: 'The default priority',
  maxFileBytes: 'The largest file size',
  memoryMb: 'The memory size',
  maxLineLength: 'The longest row',
  maxFields: 'The most cells in a row',
  mapping: 'The mapping',
  phoneRules: 'The phone rules',
  sheet: 'The sheet',
  sizeHint: 'The size hint',
  suppression: 'The suppression lists',
  recentlyLoaded: 'The recently loaded numbers',
  spoolDir: 'The spool directory',
  maxRequestBytes: 'The request ceiling',
  maxRecords: 'The records per chunk',
};

/**
 * Checks the engine options and chunk ceilings that are given (the others are left alone), so a
 * caller can refuse them at once instead of on the first row they spoil. Returns one line per
 * problem, each starting with the option's name from `names` (or a plain label); empty when all
 * is well. Never throws.
 */
export function checkEngineOptions(
  options: Partial<EngineOptions & ChunkCeilings>,
  names: OptionNames = {},
): string[] {
  const problems: string[] = [];
  const name = (option: keyof typeof OPTION_LABELS) => names[option] ?? OPTION_LABELS[option];
  const wholeNumber = (option: keyof typeof OPTION_LABELS, min: number): boolean => {
    const value = options[option];
    if (value === undefined) return false;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return true;
    problems.push(`${name(option)} must be a whole number of at least ${min}`);
    return false;
  };

  const { campaign, phonePrefix, replacement, defaultPriority, sheet } = options;
  if (sheet !== undefined && sheet.trim() === '')
    problems.push(`${name('sheet')} must not be empty`);
  const campaignCheck =
    campaign === undefined ? undefined : checkCampaignName(campaign, '', name('campaign'));
  if (campaignCheck?.ok === false) {
    problems.push(`${campaignCheck.message} (${campaignCheck.reason})`);
  }
  const policies: readonly string[] = Object.values(PhonePrefixPolicy);
  if (phonePrefix !== undefined && !policies.includes(phonePrefix)) {
    problems.push(`${name('phonePrefix')} must be one of ${policies.join(', ')}`);
  }
  const minOk = wholeNumber('minPhoneDigits', 1);
  const maxOk = wholeNumber('maxPhoneDigits', 1);
  if (minOk && maxOk && options.minPhoneDigits! > options.maxPhoneDigits!) {
    problems.push(
      `${name('minPhoneDigits')} (${options.minPhoneDigits}) must not be more than ${name('maxPhoneDigits')} (${options.maxPhoneDigits})`,
    );
  }
  if (replacement !== undefined && ([...replacement].length !== 1 || hasReserved(replacement))) {
    problems.push(
      `${name('replacement')} must be one character other than ; : = a line break or a control character`,
    );
  }
  if (
    defaultPriority !== undefined &&
    defaultPriority !== '' &&
    !/^[1-9]\d{0,3}$/.test(defaultPriority)
  ) {
    problems.push(
      `${name('defaultPriority')} must be a whole number from 1 to ${MAX_PRIORITY} (no leading zeros), or empty`,
    );
  }
  const { suppression, minPhoneDigits, maxPhoneDigits } = options;
  if (suppression && phonePrefix && minPhoneDigits && maxPhoneDigits)
    problems.push(...suppression.checkRules({ phonePrefix, minPhoneDigits, maxPhoneDigits }));
  wholeNumber('maxFileBytes', 1);
  wholeNumber('memoryMb', MIN_MEMORY_MB);
  wholeNumber('maxLineLength', 1);
  wholeNumber('maxFields', 1);
  wholeNumber('maxRecords', 1);
  // Read at call time: chunk.js may still be loading when this module is evaluated.
  const minRequestBytes = REQUEST_OVERHEAD_RESERVE + MIN_REQUEST_CONTENT_BYTES;
  const { maxRequestBytes } = options;
  if (maxRequestBytes !== undefined && !(maxRequestBytes >= minRequestBytes)) {
    problems.push(
      `${name('maxRequestBytes')} must be at least ${minRequestBytes} bytes: ${REQUEST_OVERHEAD_RESERVE} of every request are kept for the fields other than the file`,
    );
  } else wholeNumber('maxRequestBytes', minRequestBytes);
  return problems;
}
