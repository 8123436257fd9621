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

export interface EngineOptions {
  /** The target uContact campaign: native lines must name it (or leave it empty). */
  readonly campaign: string;
  /** Used to recognise `.gz`; the name is never read from disk by the engine. */
  readonly sourceName: string;
  readonly phonePrefix: PhonePrefixPolicy;
  readonly minPhoneDigits: number;
  readonly maxPhoneDigits: number;
  /** Written in place of `;` `:` `=` line breaks and NUL inside a variable's name or value. */
  readonly replacement: string;
  /** Written when a contact's priority is empty; '' leaves it empty. */
  readonly defaultPriority: string;
  /** A file larger than this (after decompression) is refused as a whole. */
  readonly maxFileBytes: number;
  /** A record longer than this many characters is refused as LINE_TOO_LONG. */
  readonly maxLineLength: number;
  /** A headered record with more fields than this is refused as TOO_MANY_FIELDS. */
  readonly maxFields: number;
  readonly mapping?: ColumnMapping;
}

export const DEFAULT_ENGINE_OPTIONS = {
  phonePrefix: PhonePrefixPolicy.Keep,
  minPhoneDigits: 6,
  maxPhoneDigits: 15,
  replacement: ' ',
  defaultPriority: '9999',
  maxFileBytes: 2 * 1024 ** 3,
  maxLineLength: 16 * 1024,
  maxFields: 200,
} as const satisfies Omit<EngineOptions, 'campaign' | 'sourceName' | 'mapping'>;

/** Ceilings for one uploaded base (one `uploadbase` call). */
export interface ChunkCeilings {
  /** The whole form-encoded upload request stays under this (servlet containers drop larger forms). */
  readonly maxRequestBytes: number;
  readonly maxRecords: number;
}

export const DEFAULT_CHUNK_CEILINGS = {
  maxRequestBytes: 1.5 * 1024 * 1024,
  maxRecords: 100_000,
} as const satisfies ChunkCeilings;
