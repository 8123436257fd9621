/**
 * Stable codes users act on. They appear in `validate --json`, manifests and rejected.csv,
 * and are documented in the README: add new ones, never rename or reuse one.
 */

/** Why a single row was refused. */
export const RejectionCode = {
  MissingPhone: 'MISSING_PHONE',
  InvalidPhone: 'INVALID_PHONE',
  ScientificNotation: 'SCIENTIFIC_NOTATION',
  Duplicate: 'DUPLICATE',
  CampaignMismatch: 'CAMPAIGN_MISMATCH',
  TooManyFields: 'TOO_MANY_FIELDS',
  BadPriority: 'BAD_PRIORITY',
  BadAgentphone: 'BAD_AGENTPHONE',
  LineTooLong: 'LINE_TOO_LONG',
  BadEncoding: 'BAD_ENCODING',
  MalformedRow: 'MALFORMED_ROW',
  /**
   * A control character, line separator or text-direction control (stray-characters.ts) in the
   * campaign, a number, the priority or the agentphone.
   */
  ControlCharacter: 'CONTROL_CHARACTER',
  /** The main number is on a suppression (do-not-call) list; the message names the list. */
  Suppressed: 'SUPPRESSED',
  /** A number outside a campaign profile's rules (digit counts, leading digits). */
  PhoneRule: 'PHONE_RULE',
  /** The main number was loaded into the same campaign within the reload window. */
  RecentlyLoaded: 'RECENTLY_LOADED',
} as const;
export type RejectionCode = (typeof RejectionCode)[keyof typeof RejectionCode];

/** Why a whole file was refused before any of its rows could be read. */
export const FileRejectionCode = {
  EmptyFile: 'EMPTY_FILE',
  FileTooLarge: 'FILE_TOO_LARGE',
  TooManyContacts: 'TOO_MANY_CONTACTS',
  BinaryFile: 'BINARY_FILE',
  BadEncoding: 'BAD_ENCODING',
  BadCompression: 'BAD_COMPRESSION',
  NoPhoneColumn: 'NO_PHONE_COLUMN',
  BadMapping: 'BAD_MAPPING',
  /** A workbook that cannot be read: a broken zip, a missing part, a sheet that is not XML. */
  WorkbookCorrupt: 'WORKBOOK_CORRUPT',
  /** A workbook saved with a password to open it. */
  WorkbookEncrypted: 'WORKBOOK_ENCRYPTED',
  /** An Excel 97-2003 workbook (.xls), or another old Office file. */
  XlsNotSupported: 'XLS_NOT_SUPPORTED',
  /** A workbook with data on more than one sheet, and no sheet named. */
  SeveralSheets: 'SEVERAL_SHEETS',
  /** The sheet asked for is not in the workbook. */
  SheetNotFound: 'SHEET_NOT_FOUND',
} as const;
export type FileRejectionCode = (typeof FileRejectionCode)[keyof typeof FileRejectionCode];

/** What was changed to make an accepted contact fit; each kind is tallied. */
export const ChangeKind = {
  PhoneFormatting: 'PHONE_FORMATTING',
  PhonePrefix: 'PHONE_PREFIX',
  AlternatePromoted: 'ALTERNATE_PROMOTED',
  AlternateDropped: 'ALTERNATE_DROPPED',
  ReservedCharacter: 'RESERVED_CHARACTER',
  VariableName: 'VARIABLE_NAME',
  CampaignFilled: 'CAMPAIGN_FILLED',
  PriorityDefaulted: 'PRIORITY_DEFAULTED',
  /** The campaign was named with (or without) the `<-` or `->` suffix the target lacks (or has). */
  CampaignSuffix: 'CAMPAIGN_SUFFIX',
  /** A variable without `=` was written `name=`, or an empty variable was dropped. */
  VariableRepaired: 'VARIABLE_REPAIRED',
  /** Spaces around the campaign, priority or agentphone, or a priority's leading zeros, removed. */
  FieldTrimmed: 'FIELD_TRIMMED',
  /** The campaign was written in another Unicode form (accents as separate marks, as macOS does). */
  CampaignNormalized: 'CAMPAIGN_NORMALIZED',
  /** A control character (C0 but tab, LF and CR; DEL) in a variable was replaced. */
  ControlCharacterReplaced: 'CONTROL_CHARACTER_REPLACED',
  /** A line separator (U+0085, U+2028, U+2029) in a variable was replaced. */
  LineSeparatorReplaced: 'LINE_SEPARATOR_REPLACED',
  /** A text-direction control (U+200E, U+202E...) in a variable was replaced. */
  BidiControlReplaced: 'BIDI_CONTROL_REPLACED',
  /** An alternate number on a suppression list was dropped; the contact was kept. */
  AlternateSuppressed: 'ALTERNATE_SUPPRESSED',
} as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

/** Something a run did not do as asked, though no row was refused for it. */
export const WarningCode = {
  /** A column mapping was given for a file without a header row: it cannot apply. */
  MappingNotUsed: 'MAPPING_NOT_USED',
  /** A sheet was named for a file that is not a workbook: it cannot apply. */
  SheetNotUsed: 'SHEET_NOT_USED',
  /** A suppression list to apply has no source (a name mistyped?): it holds no number. */
  SuppressionListNotFound: 'SUPPRESSION_LIST_NOT_FOUND',
} as const;
export type WarningCode = (typeof WarningCode)[keyof typeof WarningCode];
