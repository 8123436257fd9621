import {
  DEFAULT_CHUNK_CEILINGS,
  DEFAULT_ENGINE_OPTIONS,
  PhonePrefixPolicy,
} from '../contacts/options.js';
import { REJECTED_CSV_MAX_BYTES } from '../contacts/rejected-rows-csv.js';
import { ReportLanguage } from '../report/next-steps.js';
import { DEFAULT_CLIENT_OPTIONS } from '../ucontact/client.js';
import {
  baseUrl,
  campaignSuffix,
  integer,
  keyPrefix,
  localEndpoint,
  objectKey,
  oneOf,
  type Parser,
  relativePath,
  trimmed,
  verbatim,
} from './parsers.js';

/**
 * Every setting the function reads from its environment, in one table: the README's settings table,
 * the stack's environment and loadConfig all come from it. This module pulls in no AWS SDK, so the
 * stack can import it.
 */

/** When a variable counts as not set, so its default applies. */
export const UnsetWhen = {
  /** Absent or empty: templates often write ''. */
  Empty: 'empty',
  /** Absent, empty or only spaces. */
  Blank: 'blank',
  /** Only when absent: empty is a value of its own. */
  Absent: 'absent',
} as const;
export type UnsetWhen = (typeof UnsetWhen)[keyof typeof UnsetWhen];

export interface Setting<T> {
  /** The environment variable. */
  readonly name: string;
  /** The value an unset variable stands for, written as in the environment. */
  readonly default?: string;
  /** Set when the variable has no default and must be given: how it should look. */
  readonly required?: string;
  /** UnsetWhen.Empty unless said otherwise. */
  readonly unsetWhen?: UnsetWhen;
  readonly parse: Parser<T>;
  /** The README's words for it. */
  readonly description: string;
}

/** How the function is named in its logs and metrics; the stack's alarms watch these. */
export const LOADER_TELEMETRY = {
  serviceName: 'ucontact-loader',
  metricsNamespace: 'UcontactLoader',
  logLevel: 'INFO',
} as const;

/** Powertools' log levels. */
export const LOG_LEVELS = [
  'TRACE',
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'SILENT',
  'CRITICAL',
] as const;

const MAX_FUNCTION_TIMEOUT = 900;

export const SETTINGS = {
  ucontactBaseUrl: {
    name: 'UCONTACT_BASE_URL',
    required: 'https://<tenant>.ucontactcloud.com',
    parse: baseUrl,
    description: 'uContact address, `https://<tenant>.ucontactcloud.com/`; http only for loopback',
  },
  ucontactSecretId: {
    name: 'UCONTACT_SECRET_ID',
    required: 'the name or ARN of the uContact secret',
    unsetWhen: UnsetWhen.Blank,
    parse: trimmed,
    description:
      'Secrets Manager name or ARN of `{"user","password"}` (optionally `"baseUrl"`, which overrides UCONTACT_BASE_URL)',
  },
  ucontactLoginPath: {
    name: 'UCONTACT_LOGIN_PATH',
    default: DEFAULT_CLIENT_OPTIONS.loginPath,
    parse: relativePath,
    description: 'login path, relative to the base URL',
  },
  incomingPrefix: {
    name: 'INCOMING_PREFIX',
    default: 'incoming/',
    parse: keyPrefix,
    description: 'where files are dropped',
  },
  resultsPrefix: {
    name: 'RESULTS_PREFIX',
    default: 'results/',
    parse: keyPrefix,
    description: 'where manifests go; must not overlap INCOMING_PREFIX',
  },
  statePrefix: {
    name: 'STATE_PREFIX',
    default: 'state/',
    parse: keyPrefix,
    description:
      "the function's own records (what was loaded, campaign leases); must not overlap INCOMING_PREFIX or RESULTS_PREFIX",
  },
  reloadWindowDays: {
    name: 'RELOAD_WINDOW_DAYS',
    default: '0',
    parse: integer(0, 3650),
    description:
      'days in which a main number loaded into a campaign is refused as `RECENTLY_LOADED`; 0 is off',
  },
  campaignSuffix: {
    name: 'CAMPAIGN_SUFFIX',
    default: '',
    parse: campaignSuffix,
    description:
      '`<-`, `->` or empty: appended to a campaign folder name that ends in neither (a `Ventas->` folder stays `Ventas->`)',
  },
  profilesKey: {
    name: 'PROFILES_KEY',
    default: 'config/campaigns.json',
    parse: objectKey,
    description:
      'the campaign profiles file in the bucket (optional); outside INCOMING_PREFIX and RESULTS_PREFIX',
  },
  maxRequestBytes: {
    name: 'MAX_REQUEST_BYTES',
    default: String(DEFAULT_CHUNK_CEILINGS.maxRequestBytes),
    // The lower bound is the chunker's: loadConfig checks it with the other engine options.
    parse: integer(1, 64 * 1024 ** 2),
    description: 'size ceiling of one upload request (at least 16384)',
  },
  maxRecords: {
    name: 'MAX_CHUNK_RECORDS',
    default: String(DEFAULT_CHUNK_CEILINGS.maxRecords),
    parse: integer(1, 10_000_000),
    description: 'contacts per uploaded base at most',
  },
  rejectedCsvMaxBytes: {
    name: 'REJECTED_CSV_MAX_BYTES',
    default: String(REJECTED_CSV_MAX_BYTES),
    parse: integer(1024, 64 * 1024 ** 3),
    description:
      'size ceiling of `rejected.csv`: later refused rows are counted, not written, and the manifest says `rejectedFileTruncated`',
  },
  memoryMb: {
    name: 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
    default: String(DEFAULT_ENGINE_OPTIONS.memoryMb),
    // Set by Lambda from the function's memory; the lower bound is the engine's.
    parse: integer(1, 10_240),
    description:
      "the function's memory in MB (set by Lambda): past the contacts 75 % of it can check for duplicates, a file is refused as `TOO_MANY_CONTACTS`",
  },
  functionTimeoutSeconds: {
    name: 'FUNCTION_TIMEOUT_SECONDS',
    default: String(MAX_FUNCTION_TIMEOUT),
    parse: integer(1, MAX_FUNCTION_TIMEOUT),
    description: "the function's timeout; a claim older than this is taken over",
  },
  timeReserveSeconds: {
    name: 'TIME_RESERVE_SECONDS',
    default: '60',
    parse: integer(0, MAX_FUNCTION_TIMEOUT),
    description:
      'time kept before the deadline for EndSession and the final write; must leave at least 30 s of FUNCTION_TIMEOUT_SECONDS',
  },
  secretTtlSeconds: {
    name: 'SECRET_TTL_SECONDS',
    default: '300',
    parse: integer(0, 86_400),
    description: 'how long credentials are cached while the function is warm',
  },
  ephemeralStorageMb: {
    name: 'EPHEMERAL_STORAGE_MB',
    // The stack's (infra/loader-stack.ts sets it), so local runs refuse what the function would.
    default: '2048',
    // Lambda allows 512 to 10240; below is for tests of a full disk.
    parse: integer(1, 10_240),
    description:
      "the function's temporary storage in MB, as the stack sets it: a file whose chunks could not fit in it is refused as `TOO_LARGE_FOR_STORAGE`",
  },
  recordConcurrency: {
    name: 'RECORD_CONCURRENCY',
    default: '1',
    parse: integer(1, 100),
    description: 'records of one batch handled at once',
  },
  phonePrefix: {
    name: 'PHONE_PREFIX_POLICY',
    default: DEFAULT_ENGINE_OPTIONS.phonePrefix,
    parse: oneOf(Object.values(PhonePrefixPolicy)),
    description: 'international prefix: `keep`, `strip` or `to-00`',
  },
  defaultPriority: {
    name: 'DEFAULT_PRIORITY',
    default: DEFAULT_ENGINE_OPTIONS.defaultPriority,
    unsetWhen: UnsetWhen.Absent,
    // Checked with the engine's own rule by loadConfig, as is the replacement.
    parse: verbatim,
    description: 'priority written when a contact has none (1-9999; empty leaves it empty)',
  },
  replacement: {
    name: 'REPLACEMENT_CHAR',
    default: DEFAULT_ENGINE_OPTIONS.replacement,
    parse: verbatim,
    description: 'written in place of `;` `:` `=` and line breaks inside variables',
  },
  reportLanguage: {
    name: 'REPORT_LANGUAGE',
    default: ReportLanguage.Spanish,
    parse: oneOf(Object.values(ReportLanguage)),
    description: 'language of the `report.html` page written beside each manifest: `es` or `en`',
  },
  serviceName: {
    name: 'POWERTOOLS_SERVICE_NAME',
    default: LOADER_TELEMETRY.serviceName,
    parse: verbatim,
    description: 'the `service` of every log line and the `service` dimension of every metric',
  },
  metricsNamespace: {
    name: 'POWERTOOLS_METRICS_NAMESPACE',
    default: LOADER_TELEMETRY.metricsNamespace,
    parse: verbatim,
    description: 'CloudWatch namespace of the metrics',
  },
  logLevel: {
    name: 'POWERTOOLS_LOG_LEVEL',
    default: LOADER_TELEMETRY.logLevel,
    parse: oneOf(LOG_LEVELS, { ignoreCase: true }),
    description:
      'least level logged: `DEBUG`, `INFO`, `WARN`, `ERROR` (also `TRACE`, `SILENT`, `CRITICAL`)',
  },
  s3Endpoint: {
    name: 'S3_ENDPOINT',
    parse: localEndpoint,
    description: 'local runs only: S3-compatible endpoint',
  },
  secretsEndpoint: {
    name: 'SECRETS_ENDPOINT',
    parse: localEndpoint,
    description: 'local runs only: Secrets Manager-compatible endpoint',
  },
} as const satisfies Record<string, Setting<unknown>>;

export type SettingKey = keyof typeof SETTINGS;

/** Each setting's value once read: absent only for a setting with neither default nor requirement. */
export type SettingValues = {
  readonly [K in SettingKey]: (typeof SETTINGS)[K] extends { parse: Parser<infer T> }
    ? (typeof SETTINGS)[K] extends { default: string } | { required: string }
      ? T
      : T | undefined
    : never;
};

/** A setting's default as the README shows it: `(required)`, `(none)` or the value in backquotes. */
export function shownDefault(setting: Setting<unknown>): string {
  if (setting.required !== undefined) return '(required)';
  if (!setting.default) return '(none)';
  // Spaces would vanish from a table cell.
  return setting.default.trim() === setting.default
    ? `\`${setting.default}\``
    : `\`'${setting.default}'\``;
}
