import type { Duration, Size } from 'aws-cdk-lib';
import { LOADER_TELEMETRY, SETTINGS } from '../functions/config/settings.js';
import { INCOMING_PREFIX, PROFILES_KEY, RESULTS_PREFIX, STATE_PREFIX } from './bucket-layout.js';
import { LOADER_METRICS } from './metrics.js';

/** The environment variables the stack sets on the contact-loader function. */
export const FunctionEnvironmentName = {
  UcontactBaseUrl: SETTINGS.ucontactBaseUrl.name,
  /** The secret's ARN; the function never receives the credentials themselves. */
  UcontactSecretId: SETTINGS.ucontactSecretId.name,
  IncomingPrefix: SETTINGS.incomingPrefix.name,
  ResultsPrefix: SETTINGS.resultsPrefix.name,
  CampaignSuffix: SETTINGS.campaignSuffix.name,
  StatePrefix: SETTINGS.statePrefix.name,
  ReloadWindowDays: SETTINGS.reloadWindowDays.name,
  /** The one key the stack lets the function read profiles from. */
  ProfilesKey: SETTINGS.profilesKey.name,
  /** A claim older than this is taken over as left by a crashed run. */
  FunctionTimeoutSeconds: SETTINGS.functionTimeoutSeconds.name,
  /** The spools of chunks must fit in it. */
  EphemeralStorageMb: SETTINGS.ephemeralStorageMb.name,
  PowertoolsServiceName: SETTINGS.serviceName.name,
  PowertoolsMetricsNamespace: SETTINGS.metricsNamespace.name,
  PowertoolsLogLevel: SETTINGS.logLevel.name,
  /** Set by DefaultNodejsFunction, which ships the source maps it enables; not read by our code. */
  NodeOptions: 'NODE_OPTIONS',
} as const;
export type FunctionEnvironmentName =
  (typeof FunctionEnvironmentName)[keyof typeof FunctionEnvironmentName];

export interface FunctionEnvironmentInput {
  readonly ucontactBaseUrl: string;
  readonly secretArn: string;
  readonly campaignSuffix: string;
  readonly timeout: Duration;
  readonly reloadWindowDays: number;
  readonly ephemeralStorage: Size;
}

/** Builds the contact-loader's environment; it cannot fail (the values are validated earlier). */
export function functionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
  return {
    [FunctionEnvironmentName.UcontactBaseUrl]: input.ucontactBaseUrl,
    [FunctionEnvironmentName.UcontactSecretId]: input.secretArn,
    [FunctionEnvironmentName.IncomingPrefix]: INCOMING_PREFIX,
    [FunctionEnvironmentName.ResultsPrefix]: RESULTS_PREFIX,
    [FunctionEnvironmentName.CampaignSuffix]: input.campaignSuffix,
    [FunctionEnvironmentName.StatePrefix]: STATE_PREFIX,
    [FunctionEnvironmentName.ReloadWindowDays]: String(input.reloadWindowDays),
    [FunctionEnvironmentName.ProfilesKey]: PROFILES_KEY,
    [FunctionEnvironmentName.FunctionTimeoutSeconds]: String(input.timeout.toSeconds()),
    [FunctionEnvironmentName.EphemeralStorageMb]: String(input.ephemeralStorage.toMebibytes()),
    [FunctionEnvironmentName.PowertoolsServiceName]: LOADER_METRICS.serviceName,
    [FunctionEnvironmentName.PowertoolsMetricsNamespace]: LOADER_METRICS.namespace,
    [FunctionEnvironmentName.PowertoolsLogLevel]: LOADER_TELEMETRY.logLevel,
  };
}
