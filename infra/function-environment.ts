import type { Duration } from 'aws-cdk-lib';
import { LOADER_TELEMETRY, SETTINGS } from '../functions/config/settings.js';
import { INCOMING_PREFIX, RESULTS_PREFIX, STATE_PREFIX } from './bucket-layout.js';
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
  /** A claim older than this is taken over as left by a crashed run. */
  FunctionTimeoutSeconds: SETTINGS.functionTimeoutSeconds.name,
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
    [FunctionEnvironmentName.FunctionTimeoutSeconds]: String(input.timeout.toSeconds()),
    [FunctionEnvironmentName.PowertoolsServiceName]: LOADER_METRICS.serviceName,
    [FunctionEnvironmentName.PowertoolsMetricsNamespace]: LOADER_METRICS.namespace,
    [FunctionEnvironmentName.PowertoolsLogLevel]: LOADER_TELEMETRY.logLevel,
  };
}
