import type { CampaignSuffix } from '../contacts/campaign-name.js';
import { type ChunkCeilings, checkEngineOptions, type EngineOptions } from '../contacts/options.js';
import type { ReportLanguage } from '../report/next-steps.js';
import { InvalidConfigError } from './errors.js';
import {
  SETTINGS,
  type Setting,
  type SettingKey,
  type SettingValues,
  UnsetWhen,
} from './settings.js';

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
  /** Ends with `/`; overlaps neither prefix above. */
  readonly statePrefix: string;
  /** Days of the reload window when no campaign profile says otherwise; 0 is off. */
  readonly reloadWindowDays: number;
  /** Appended to a campaign folder that ends in neither `<-` nor `->`; '' for none. */
  readonly campaignSuffix: CampaignSuffix | '';
  /** The campaign profiles file's key; outside both prefixes. */
  readonly profilesKey: string;
  readonly chunkCeilings: ChunkCeilings;
  /** Most bytes of a rejected.csv; the rows after it are only counted. */
  readonly rejectedCsvMaxBytes: number;
  readonly functionTimeoutSeconds: number;
  readonly timeReserveSeconds: number;
  readonly secretTtlSeconds: number;
  readonly recordConcurrency: number;
  /** The language of each file's report page. */
  readonly reportLanguage: ReportLanguage;
  /** The temporary storage (`/tmp`) in MB, which the runs' spools share. */
  readonly ephemeralStorageMb: number;
  /** Local runs only: an S3-compatible endpoint (path style, checksums only when required). */
  readonly s3Endpoint?: string;
  /** Local runs only: a Secrets Manager-compatible endpoint. */
  readonly secretsEndpoint?: string;
  readonly engine: Pick<
    EngineOptions,
    'phonePrefix' | 'defaultPriority' | 'replacement' | 'memoryMb'
  >;
  /** What the Powertools Logger and Metrics are given. */
  readonly powertools: {
    readonly serviceName: string;
    readonly metricsNamespace: string;
    readonly logLevel: string;
  };
}

type Env = Readonly<Record<string, string | undefined>>;
type ReadValues = { -readonly [K in SettingKey]?: SettingValues[K] };

/** Below this, a run cannot log in and send one chunk before its reserve: every file would fail. */
const MIN_WORK_SECONDS = 30;
/** Settings the engine checks with its own rules. */
const ENGINE_SETTINGS = [
  'phonePrefix',
  'defaultPriority',
  'replacement',
  'memoryMb',
  'maxRequestBytes',
  'maxRecords',
] as const satisfies readonly SettingKey[];

const problemOf = (key: SettingKey, text: string) =>
  `Environment variable ${SETTINGS[key].name} ${text}`;

/** The variable's text, or undefined when it counts as not set. */
function rawValue(setting: Setting<unknown>, env: Env): string | undefined {
  const raw = env[setting.name];
  if (raw === undefined) return undefined;
  const unsetWhen = setting.unsetWhen ?? UnsetWhen.Empty;
  if (unsetWhen === UnsetWhen.Empty && raw === '') return undefined;
  if (unsetWhen === UnsetWhen.Blank && raw.trim() === '') return undefined;
  return raw;
}

/** Reads every setting of the table; a wrong or missing one adds a line to `problems`. */
function readSettings(env: Env, problems: string[]): ReadValues {
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [SettingKey, Setting<unknown>][]) {
    const text = rawValue(setting, env) ?? setting.default;
    if (text === undefined) {
      if (setting.required !== undefined) {
        problems.push(problemOf(key, `is required (${setting.required})`));
      }
      continue;
    }
    const parsed = setting.parse(text, setting.default);
    if ('problem' in parsed) problems.push(problemOf(key, parsed.problem));
    else values[key] = parsed.value;
  }
  return values as ReadValues;
}

/** The rules that tie settings together, checked only on the settings that were read. */
function crossProblems(values: ReadValues): string[] {
  const problems: string[] = [];
  const { incomingPrefix, resultsPrefix, functionTimeoutSeconds, timeReserveSeconds } = values;
  if (
    incomingPrefix !== undefined &&
    resultsPrefix !== undefined &&
    (incomingPrefix.startsWith(resultsPrefix) || resultsPrefix.startsWith(incomingPrefix))
  ) {
    problems.push(
      problemOf(
        'resultsPrefix',
        `('${resultsPrefix}') must not overlap ${SETTINGS.incomingPrefix.name} ('${incomingPrefix}'): results would trigger the function`,
      ),
    );
  }
  const { statePrefix } = values;
  for (const other of ['incomingPrefix', 'resultsPrefix'] as const) {
    const prefix = values[other];
    if (statePrefix === undefined || prefix === undefined) continue;
    if (statePrefix.startsWith(prefix) || prefix.startsWith(statePrefix)) {
      problems.push(
        problemOf(
          'statePrefix',
          `('${statePrefix}') must not overlap ${SETTINGS[other].name} ('${prefix}')`,
        ),
      );
    }
  }
  const { profilesKey } = values;
  for (const prefix of [incomingPrefix, resultsPrefix]) {
    if (profilesKey !== undefined && prefix !== undefined && profilesKey.startsWith(prefix)) {
      problems.push(
        problemOf(
          'profilesKey',
          `('${profilesKey}') must not be under '${prefix}': the profiles would be read as a drop or a result`,
        ),
      );
    }
  }
  if (
    functionTimeoutSeconds !== undefined &&
    timeReserveSeconds !== undefined &&
    functionTimeoutSeconds - timeReserveSeconds < MIN_WORK_SECONDS
  ) {
    problems.push(
      problemOf(
        'timeReserveSeconds',
        `(${timeReserveSeconds}) must leave at least ${MIN_WORK_SECONDS} seconds of ${SETTINGS.functionTimeoutSeconds.name} (${functionTimeoutSeconds}) for the work`,
      ),
    );
  }
  // The engine's own rules, so a value it cannot use stops the cold start, not every file.
  const engine = Object.fromEntries(ENGINE_SETTINGS.map((key) => [key, values[key]]));
  const names = Object.fromEntries(
    ENGINE_SETTINGS.map((key) => [key, `Environment variable ${SETTINGS[key].name}`]),
  );
  problems.push(...checkEngineOptions(engine, names));
  return problems;
}

/**
 * Reads and validates the function's environment once; call it at cold start.
 * Throws InvalidConfigError listing one line per problem.
 */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const values = readSettings(env, problems);
  problems.push(...crossProblems(values));
  if (problems.length > 0) throw new InvalidConfigError(problems);
  const {
    maxRequestBytes,
    maxRecords,
    phonePrefix,
    defaultPriority,
    replacement,
    memoryMb,
    serviceName,
    metricsNamespace,
    logLevel,
    s3Endpoint,
    secretsEndpoint,
    ...plain
  } = values as SettingValues;
  return {
    ...plain,
    chunkCeilings: { maxRequestBytes, maxRecords },
    ...(s3Endpoint && { s3Endpoint }),
    ...(secretsEndpoint && { secretsEndpoint }),
    engine: { phonePrefix, defaultPriority, replacement, memoryMb },
    powertools: { serviceName, metricsNamespace, logLevel },
  };
}
