import { CampaignSuffix, isCampaignSuffixSetting } from '../contacts/campaign-name.js';
import {
  type ChunkCeilings,
  checkEngineOptions,
  DEFAULT_CHUNK_CEILINGS,
  DEFAULT_ENGINE_OPTIONS,
  type EngineOptions,
  type PhonePrefixPolicy,
} from '../contacts/options.js';
import { parseBaseUrl } from '../ucontact/base-url.js';
import { InvalidBaseUrlError } from '../ucontact/errors.js';
import { InvalidConfigError } from './errors.js';

/** Everything the function reads from its environment, validated. */
export interface Config {
  /** Ends with `/`; https unless the host is loopback. */
  readonly ucontactBaseUrl: string;
  /** Name or ARN of the secret holding `{"user","password"}`; never the value. */
  readonly ucontactSecretId: string;
  readonly ucontactLoginPath: string;
  /** Ends with `/`. */
  readonly incomingPrefix: string;
  /** Ends with `/`; never inside the incoming prefix, nor the other way round. */
  readonly resultsPrefix: string;
  /** Appended to a campaign folder that ends in neither `<-` nor `->`; '' for none. */
  readonly campaignSuffix: CampaignSuffix | '';
  readonly chunkCeilings: ChunkCeilings;
  readonly functionTimeoutSeconds: number;
  readonly timeReserveSeconds: number;
  readonly secretTtlSeconds: number;
  readonly recordConcurrency: number;
  /** Local runs only: an S3-compatible endpoint (path style, checksums only when required). */
  readonly s3Endpoint?: string;
  /** Local runs only: a Secrets Manager-compatible endpoint. */
  readonly secretsEndpoint?: string;
  readonly engine: Pick<EngineOptions, 'phonePrefix' | 'defaultPriority' | 'replacement'>;
}

/** One environment variable, its default ('' when none) and what it does; the README lists these. */
export interface EnvironmentVariable {
  readonly name: string;
  readonly default: string;
  readonly description: string;
}

export const ENVIRONMENT_VARIABLES: readonly EnvironmentVariable[] = [
  {
    name: 'UCONTACT_BASE_URL',
    default: '(required)',
    description: 'uContact address, `https://<tenant>.ucontactcloud.com/`; http only for loopback',
  },
  {
    name: 'UCONTACT_SECRET_ID',
    default: '(required)',
    description:
      'Secrets Manager name or ARN of `{"user","password"}` (optionally `"baseUrl"`, which overrides UCONTACT_BASE_URL)',
  },
  {
    name: 'UCONTACT_LOGIN_PATH',
    default: 'Integra/resources/auth/UserLogin',
    description: 'login path, relative to the base URL',
  },
  { name: 'INCOMING_PREFIX', default: 'incoming/', description: 'where files are dropped' },
  {
    name: 'RESULTS_PREFIX',
    default: 'results/',
    description: 'where manifests go; must not overlap INCOMING_PREFIX',
  },
  {
    name: 'CAMPAIGN_SUFFIX',
    default: '',
    description:
      '`<-`, `->` or empty: appended to a campaign folder name that ends in neither (a `Ventas->` folder stays `Ventas->`)',
  },
  {
    name: 'MAX_REQUEST_BYTES',
    default: String(DEFAULT_CHUNK_CEILINGS.maxRequestBytes),
    description: 'size ceiling of one upload request (at least 16384)',
  },
  {
    name: 'MAX_CHUNK_RECORDS',
    default: String(DEFAULT_CHUNK_CEILINGS.maxRecords),
    description: 'contacts per uploaded base at most',
  },
  {
    name: 'FUNCTION_TIMEOUT_SECONDS',
    default: '900',
    description: "the function's timeout; a claim older than this is taken over",
  },
  {
    name: 'TIME_RESERVE_SECONDS',
    default: '60',
    description:
      'time kept before the deadline for EndSession and the final write; must leave at least 30 s of FUNCTION_TIMEOUT_SECONDS',
  },
  {
    name: 'SECRET_TTL_SECONDS',
    default: '300',
    description: 'how long credentials are cached while the function is warm',
  },
  {
    name: 'RECORD_CONCURRENCY',
    default: '1',
    description: 'records of one batch handled at once',
  },
  {
    name: 'PHONE_PREFIX_POLICY',
    default: DEFAULT_ENGINE_OPTIONS.phonePrefix,
    description: 'international prefix: `keep`, `strip` or `to-00`',
  },
  {
    name: 'DEFAULT_PRIORITY',
    default: DEFAULT_ENGINE_OPTIONS.defaultPriority,
    description: 'priority written when a contact has none (1-9999; empty leaves it empty)',
  },
  {
    name: 'REPLACEMENT_CHAR',
    default: `'${DEFAULT_ENGINE_OPTIONS.replacement}'`,
    description: 'written in place of `;` `:` `=` and line breaks inside variables',
  },
  { name: 'S3_ENDPOINT', default: '', description: 'local runs only: S3-compatible endpoint' },
  {
    name: 'SECRETS_ENDPOINT',
    default: '',
    description: 'local runs only: Secrets Manager-compatible endpoint',
  },
];

const MAX_FUNCTION_TIMEOUT = 900;
/** Below this, a run cannot log in and send one chunk before its reserve: every file would fail. */
const MIN_WORK_SECONDS = 30;

/**
 * Checks a uContact base URL with the client's own rule (https, plain http only on loopback; no
 * credentials, query or fragment). Returns the URL ending in `/`, or a sentence that never
 * repeats the value.
 */
export function checkBaseUrl(value: string): { url: string } | { problem: string } {
  try {
    return { url: parseBaseUrl(value).href };
  } catch (error) {
    if (error instanceof InvalidBaseUrlError) return { problem: error.message };
    throw error;
  }
}

/**
 * Reads and validates the function's environment once; call it at cold start.
 * Throws InvalidConfigError listing one line per problem.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const problem = (name: string, text: string) =>
    problems.push(`Environment variable ${name} ${text}`);
  /** Unset and empty are the same for most variables: templates often write ''. */
  const get = (name: string) =>
    env[name] === undefined || env[name] === '' ? undefined : env[name];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problem(name, `must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  const prefix = (name: string, fallback: string): string => {
    const raw = get(name) ?? fallback;
    if (raw.startsWith('/') || raw.trim() !== raw || raw.trim() === '/') {
      problem(name, `must be a key prefix like '${fallback}' (no leading '/' or spaces)`);
      return fallback;
    }
    return raw.endsWith('/') ? raw : `${raw}/`;
  };

  let ucontactBaseUrl = '';
  const baseUrl = get('UCONTACT_BASE_URL');
  if (baseUrl === undefined) {
    problem('UCONTACT_BASE_URL', 'is required (https://<tenant>.ucontactcloud.com)');
  } else {
    const parsed = checkBaseUrl(baseUrl);
    if ('problem' in parsed) problem('UCONTACT_BASE_URL', `is unusable: ${parsed.problem}`);
    else ucontactBaseUrl = parsed.url;
  }

  const ucontactSecretId = get('UCONTACT_SECRET_ID')?.trim() ?? '';
  if (!ucontactSecretId) {
    problem('UCONTACT_SECRET_ID', 'is required (the name or ARN of the uContact secret)');
  }

  const ucontactLoginPath = (get('UCONTACT_LOGIN_PATH') ?? 'Integra/resources/auth/UserLogin')
    .trim()
    .replace(/^\/+/, '');
  if (
    !ucontactLoginPath ||
    ucontactLoginPath.includes('..') ||
    /[?#\s]|:\/\//.test(ucontactLoginPath)
  ) {
    problem('UCONTACT_LOGIN_PATH', "must be a path like 'Integra/resources/auth/UserLogin'");
  }

  const incomingPrefix = prefix('INCOMING_PREFIX', 'incoming/');
  const resultsPrefix = prefix('RESULTS_PREFIX', 'results/');
  if (incomingPrefix.startsWith(resultsPrefix) || resultsPrefix.startsWith(incomingPrefix)) {
    problem(
      'RESULTS_PREFIX',
      `('${resultsPrefix}') must not overlap INCOMING_PREFIX ('${incomingPrefix}'): results would trigger the function`,
    );
  }

  const suffixSetting = env.CAMPAIGN_SUFFIX ?? '';
  const campaignSuffix = isCampaignSuffixSetting(suffixSetting) ? suffixSetting : '';
  if (campaignSuffix !== suffixSetting) {
    problem(
      'CAMPAIGN_SUFFIX',
      `must be '${CampaignSuffix.PowerOrPredictive}' (Power and Predictive campaigns), '${CampaignSuffix.ProgressiveOrPreview}' (Progressive and Preview) or empty`,
    );
  }

  const chunkCeilings: ChunkCeilings = {
    // The lower bound is the chunker's, checked below with the other engine options.
    maxRequestBytes: integer(
      'MAX_REQUEST_BYTES',
      DEFAULT_CHUNK_CEILINGS.maxRequestBytes,
      1,
      64 * 1024 ** 2,
    ),
    maxRecords: integer('MAX_CHUNK_RECORDS', DEFAULT_CHUNK_CEILINGS.maxRecords, 1, 10_000_000),
  };
  const functionTimeoutSeconds = integer('FUNCTION_TIMEOUT_SECONDS', 900, 1, MAX_FUNCTION_TIMEOUT);
  const timeReserveSeconds = integer('TIME_RESERVE_SECONDS', 60, 0, MAX_FUNCTION_TIMEOUT);
  if (functionTimeoutSeconds - timeReserveSeconds < MIN_WORK_SECONDS) {
    problem(
      'TIME_RESERVE_SECONDS',
      `(${timeReserveSeconds}) must leave at least ${MIN_WORK_SECONDS} seconds of FUNCTION_TIMEOUT_SECONDS (${functionTimeoutSeconds}) for the work`,
    );
  }
  const secretTtlSeconds = integer('SECRET_TTL_SECONDS', 300, 0, 86_400);
  const recordConcurrency = integer('RECORD_CONCURRENCY', 1, 1, 100);

  const endpoint = (name: string): string | undefined => {
    const raw = get(name)?.trim();
    if (raw === undefined) return undefined;
    if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
      problem(name, 'must be an http(s) URL such as http://127.0.0.1:4566 (local runs only)');
      return undefined;
    }
    return raw;
  };
  const s3Endpoint = endpoint('S3_ENDPOINT');
  const secretsEndpoint = endpoint('SECRETS_ENDPOINT');

  const engine = {
    phonePrefix: (get('PHONE_PREFIX_POLICY') ??
      DEFAULT_ENGINE_OPTIONS.phonePrefix) as PhonePrefixPolicy,
    defaultPriority: env.DEFAULT_PRIORITY ?? DEFAULT_ENGINE_OPTIONS.defaultPriority,
    replacement: get('REPLACEMENT_CHAR') ?? DEFAULT_ENGINE_OPTIONS.replacement,
  };
  // The engine's own rules, so a value it cannot use stops the cold start, not every file.
  problems.push(
    ...checkEngineOptions(
      { ...engine, ...chunkCeilings },
      {
        phonePrefix: 'Environment variable PHONE_PREFIX_POLICY',
        defaultPriority: 'Environment variable DEFAULT_PRIORITY',
        replacement: 'Environment variable REPLACEMENT_CHAR',
        maxRequestBytes: 'Environment variable MAX_REQUEST_BYTES',
        maxRecords: 'Environment variable MAX_CHUNK_RECORDS',
      },
    ),
  );

  if (problems.length > 0) throw new InvalidConfigError(problems);
  return {
    ucontactBaseUrl,
    ucontactSecretId,
    ucontactLoginPath,
    incomingPrefix,
    resultsPrefix,
    campaignSuffix,
    chunkCeilings,
    functionTimeoutSeconds,
    timeReserveSeconds,
    secretTtlSeconds,
    recordConcurrency,
    ...(s3Endpoint && { s3Endpoint }),
    ...(secretsEndpoint && { secretsEndpoint }),
    engine,
  };
}
