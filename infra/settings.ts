import { CampaignSuffix, isCampaignSuffixSetting } from '../functions/contacts/campaign-name.js';
import { ContextValueError } from './errors.js';

/** The stack's parameters, read from CDK context (`-c key=value` or cdk.json). */
export interface LoaderSettings {
  /** uContact tenant, e.g. `https://demo.ucontactcloud.com` (no trailing slash). */
  readonly ucontactBaseUrl: string;
  /** Import this secret by name. */
  readonly secretName?: string;
  /** Import this secret by its complete ARN. Neither given: a placeholder secret is created. */
  readonly secretArn?: string;
  /** `<-`, `->` or '': appended to a campaign folder name that ends in neither. */
  readonly campaignSuffix: CampaignSuffix | '';
  /** Parallel uContact sessions at most (event source mapping's maximum concurrency). */
  readonly maxConcurrency: number;
  /** Days before dropped files and results expire. */
  readonly retentionDays: number;
  /** The function's reload window in days (RELOAD_WINDOW_DAYS); 0 is off. */
  readonly reloadWindowDays: number;
  /** Days the record of what was loaded is kept: at least the longest reload window in use. */
  readonly reloadRecordDays: number;
  /** Alarm and result notifications go to this address through the notification topic. */
  readonly alarmEmail?: string;
  /** Create the notification topic even without an email address, for other subscribers. */
  readonly notificationTopic: boolean;
  /** Use this bucket instead of creating one. */
  readonly existingBucketName?: string;
  /** Create an SFTP server whose users land in `incoming/`. */
  readonly sftp: boolean;
  /**
   * A customer-managed KMS key: encrypts the bucket and the secret the stack creates, and is the key
   * of an existing bucket or imported secret; the function and the SFTP role may use it.
   */
  readonly kmsKeyArn?: string;
}

/** Every optional parameter's default, documented in the README. */
export const SETTING_DEFAULTS = {
  campaignSuffix: '',
  maxConcurrency: 2,
  retentionDays: 30,
  reloadWindowDays: 0,
  reloadRecordDays: 30,
  notificationTopic: false,
  sftp: false,
} as const;

/** The event source mapping accepts 2 to 1000. */
const MAX_CONCURRENCY_RANGE = { min: 2, max: 1000 } as const;
const MAX_RETENTION_DAYS = 3650;

type ContextReader = (key: string) => unknown;

/**
 * Reads and validates every parameter from CDK context.
 * Throws ContextValueError with one line naming the parameter and an example of a valid value.
 */
export function readSettings(context: ContextReader): LoaderSettings {
  const secretName = optionalString(context, 'secretName');
  const secretArn = optionalString(context, 'secretArn');
  if (secretName !== undefined && secretArn !== undefined) {
    throw new ContextValueError(
      'Give either secretName or secretArn, not both (-c secretName=ucontact/loader)',
    );
  }
  return {
    ucontactBaseUrl: readBaseUrl(context),
    ...(secretName === undefined ? {} : { secretName: checkSecretName(secretName) }),
    ...(secretArn === undefined ? {} : { secretArn: checkSecretArn(secretArn) }),
    campaignSuffix: readCampaignSuffix(context),
    maxConcurrency: readInteger(
      context,
      'maxConcurrency',
      SETTING_DEFAULTS.maxConcurrency,
      MAX_CONCURRENCY_RANGE.min,
      MAX_CONCURRENCY_RANGE.max,
    ),
    retentionDays: readInteger(
      context,
      'retentionDays',
      SETTING_DEFAULTS.retentionDays,
      1,
      MAX_RETENTION_DAYS,
    ),
    ...readReloadDays(context),
    ...optionalEntry('alarmEmail', readAlarmEmail(context)),
    notificationTopic: readBoolean(
      context,
      'notificationTopic',
      SETTING_DEFAULTS.notificationTopic,
    ),
    ...optionalEntry('existingBucketName', readBucketName(context)),
    sftp: readBoolean(context, 'sftp', SETTING_DEFAULTS.sftp),
    ...optionalEntry('kmsKeyArn', readKmsKeyArn(context)),
  };
}

/** The reload window and how long its record is kept, which must cover the window. */
function readReloadDays(
  context: ContextReader,
): Pick<LoaderSettings, 'reloadWindowDays' | 'reloadRecordDays'> {
  const reloadWindowDays = readInteger(
    context,
    'reloadWindowDays',
    SETTING_DEFAULTS.reloadWindowDays,
    0,
    MAX_RETENTION_DAYS,
  );
  const reloadRecordDays = readInteger(
    context,
    'reloadRecordDays',
    Math.max(SETTING_DEFAULTS.reloadRecordDays, reloadWindowDays),
    1,
    MAX_RETENTION_DAYS,
  );
  if (reloadRecordDays < reloadWindowDays) {
    throw new ContextValueError(
      `Context value reloadRecordDays (${reloadRecordDays}) must be at least reloadWindowDays (${reloadWindowDays}): a window cannot see loads whose record has expired`,
    );
  }
  return { reloadWindowDays, reloadRecordDays };
}

function optionalEntry<K extends string>(key: K, value: string | undefined) {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function optionalString(context: ContextReader, key: string): string | undefined {
  const value = context(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new ContextValueError(`Context value ${key} must be a string (got ${show(value)})`);
  }
  return value.trim() === '' ? undefined : value.trim();
}

function readBaseUrl(context: ContextReader): string {
  const value = optionalString(context, 'ucontactBaseUrl');
  const hint = '-c ucontactBaseUrl=https://<tenant>.ucontactcloud.com';
  if (value === undefined) {
    throw new ContextValueError(`Context value ucontactBaseUrl is required: ${hint}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ContextValueError(`Context value ucontactBaseUrl is not a URL (${hint})`, {
      cause: error,
    });
  }
  if (url.protocol !== 'https:') {
    throw new ContextValueError(
      `Context value ucontactBaseUrl must use https, the credentials travel in it (${hint})`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ContextValueError(
      `Context value ucontactBaseUrl must hold no credentials, query or fragment (${hint})`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function checkSecretName(value: string): string {
  if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(value)) {
    throw new ContextValueError(
      `Context value secretName ${show(value)} is not a Secrets Manager name (letters, digits and /_+=.@-)`,
    );
  }
  return value;
}

function checkSecretArn(value: string): string {
  if (
    !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/.test(
      value,
    )
  ) {
    throw new ContextValueError(
      `Context value secretArn ${show(value)} is not a complete secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf, as the console shows it)`,
    );
  }
  return value;
}

/** The function's CAMPAIGN_SUFFIX rule, so a stack never deploys a setting its cold start refuses. */
function readCampaignSuffix(context: ContextReader): CampaignSuffix | '' {
  const value = context('campaignSuffix');
  if (value === undefined || value === null) return SETTING_DEFAULTS.campaignSuffix;
  if (typeof value !== 'string' || !isCampaignSuffixSetting(value)) {
    throw new ContextValueError(
      `Context value campaignSuffix must be '${CampaignSuffix.PowerOrPredictive}' (Power and Predictive campaigns), '${CampaignSuffix.ProgressiveOrPreview}' (Progressive and Preview) or empty (got ${show(value)})`,
    );
  }
  return value;
}

function readInteger(
  context: ContextReader,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = context(key);
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new ContextValueError(
      `Context value ${key} must be a whole number from ${min} to ${max} (got ${show(value)}; default ${fallback})`,
    );
  }
  return number;
}

function readBoolean(context: ContextReader, key: string, fallback: boolean): boolean {
  const value = context(key);
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ContextValueError(`Context value ${key} must be true or false (got ${show(value)})`);
}

function readAlarmEmail(context: ContextReader): string | undefined {
  const value = optionalString(context, 'alarmEmail');
  if (value !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
    throw new ContextValueError(
      `Context value alarmEmail ${show(value)} is not an email address (-c alarmEmail=ops@example.com)`,
    );
  }
  return value;
}

function readBucketName(context: ContextReader): string | undefined {
  const value = optionalString(context, 'existingBucketName');
  if (
    value !== undefined &&
    (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) || value.includes('..'))
  ) {
    throw new ContextValueError(
      `Context value existingBucketName ${show(value)} is not an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)`,
    );
  }
  return value;
}

/** A key ARN, not an alias: IAM grants on an alias ARN do not cover the key it points to. */
function readKmsKeyArn(context: ContextReader): string | undefined {
  const value = optionalString(context, 'kmsKeyArn');
  if (
    value !== undefined &&
    !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:mrk-)?[A-Za-z0-9-]{1,64}$/.test(value)
  ) {
    throw new ContextValueError(
      `Context value kmsKeyArn ${show(value)} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>; not an alias)`,
    );
  }
  return value;
}

export const DEFAULT_STACK_NAME = 'UcontactLoader';

/**
 * Reads the stack name (`-c stackName=...`), so two copies can live in one account.
 * Throws ContextValueError when CloudFormation would refuse the name.
 */
export function readStackName(context: ContextReader): string {
  const value = optionalString(context, 'stackName') ?? DEFAULT_STACK_NAME;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value)) {
    throw new ContextValueError(
      `Context value stackName ${show(value)} is not a CloudFormation stack name (a letter, then letters, digits and hyphens)`,
    );
  }
  return value;
}
