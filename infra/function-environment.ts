import type { Duration } from 'aws-cdk-lib';
import { INCOMING_PREFIX, RESULTS_PREFIX } from './bucket-layout.js';
import { LOADER_METRICS } from './metrics.js';

/** The environment variables the contact-loader function reads at cold start. */
export const FunctionEnvironmentName = {
  UcontactBaseUrl: 'UCONTACT_BASE_URL',
  /** The secret's ARN; the function never receives the credentials themselves. */
  UcontactSecretId: 'UCONTACT_SECRET_ID',
  IncomingPrefix: 'INCOMING_PREFIX',
  ResultsPrefix: 'RESULTS_PREFIX',
  CampaignSuffix: 'CAMPAIGN_SUFFIX',
  /** A claim older than this is taken over as left by a crashed run. */
  FunctionTimeoutSeconds: 'FUNCTION_TIMEOUT_SECONDS',
  PowertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  PowertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  PowertoolsLogLevel: 'POWERTOOLS_LOG_LEVEL',
  /** Set by DefaultNodejsFunction, which ships the source maps it enables. */
  NodeOptions: 'NODE_OPTIONS',
} as const;
export type FunctionEnvironmentName =
  (typeof FunctionEnvironmentName)[keyof typeof FunctionEnvironmentName];

export interface FunctionEnvironmentInput {
  readonly ucontactBaseUrl: string;
  readonly secretArn: string;
  readonly campaignSuffix: string;
  readonly timeout: Duration;
}

/** Builds the contact-loader's environment; it cannot fail (the values are validated earlier). */
export function functionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
  return {
    [FunctionEnvironmentName.UcontactBaseUrl]: input.ucontactBaseUrl,
    [FunctionEnvironmentName.UcontactSecretId]: input.secretArn,
    [FunctionEnvironmentName.IncomingPrefix]: INCOMING_PREFIX,
    [FunctionEnvironmentName.ResultsPrefix]: RESULTS_PREFIX,
    [FunctionEnvironmentName.CampaignSuffix]: input.campaignSuffix,
    [FunctionEnvironmentName.FunctionTimeoutSeconds]: String(input.timeout.toSeconds()),
    [FunctionEnvironmentName.PowertoolsServiceName]: LOADER_METRICS.serviceName,
    [FunctionEnvironmentName.PowertoolsMetricsNamespace]: LOADER_METRICS.namespace,
    [FunctionEnvironmentName.PowertoolsLogLevel]: 'INFO',
  };
}
