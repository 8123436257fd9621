import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { loadConfig } from '../config/config.js';
import { type CredentialsSource, createCredentialsSource } from '../pipeline/credentials.js';
import type { MetricsSink } from '../pipeline/file-metrics.js';
import { handleEvent } from '../pipeline/handle-event.js';
import { ProfilesSource } from '../pipeline/profiles-source.js';
import { SuppressionStore } from '../pipeline/suppression-store.js';
import { UcontactClient, type UcontactLogger } from '../ucontact/client.js';
import { LoaderLogger } from './logger.js';

/** Replacements for what the handler builds itself; tests and local runs use them. */
export interface LoaderOverrides {
  readonly s3?: S3Client;
  readonly credentials?: CredentialsSource;
  readonly logger?: LoaderLogger;
  readonly metrics?: MetricsSink & { publishStoredMetrics?(): unknown };
  readonly createClient?: (baseUrl: string, logger: UcontactLogger) => UcontactClient;
  readonly now?: () => Date;
  readonly spoolDir?: string;
  readonly profiles?: ProfilesSource;
}

export type LoaderHandler = (event: unknown, context: Context) => Promise<SQSBatchResponse>;

/** Local endpoints need a region and credentials even when the machine has no AWS setup. */
function localClientConfig(endpoint: string, env: Readonly<Record<string, string | undefined>>) {
  return {
    endpoint,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(env.AWS_ACCESS_KEY_ID
      ? {}
      : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
}

/**
 * Builds the contact-loader handler once per cold start: validated configuration, the S3 and
 * Secrets Manager clients (pointed at S3_ENDPOINT / SECRETS_ENDPOINT when set), the credentials
 * cache, the Logger and the Metrics. Throws InvalidConfigError, one line per wrong variable.
 */
export function createLoaderHandler(
  env: Readonly<Record<string, string | undefined>>,
  overrides: LoaderOverrides = {},
): LoaderHandler {
  const config = loadConfig(env);
  const s3 =
    overrides.s3 ??
    new S3Client(
      config.s3Endpoint
        ? {
            ...localClientConfig(config.s3Endpoint, env),
            forcePathStyle: true,
            // S3-compatible servers reject the SDK's default checksums; real S3 keeps them.
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          }
        : {},
    );
  const credentials =
    overrides.credentials ??
    createCredentialsSource(
      new SecretsManagerClient(
        config.secretsEndpoint ? localClientConfig(config.secretsEndpoint, env) : {},
      ),
      { secretId: config.ucontactSecretId, ttlSeconds: config.secretTtlSeconds },
    );
  const { serviceName, metricsNamespace, logLevel } = config.powertools;
  const logger = overrides.logger ?? new LoaderLogger({ serviceName, logLevel });
  const metrics = overrides.metrics ?? new Metrics({ namespace: metricsNamespace, serviceName });
  const createClient =
    overrides.createClient ??
    ((baseUrl: string, clientLogger: UcontactLogger) =>
      new UcontactClient({ baseUrl, loginPath: config.ucontactLoginPath, logger: clientLogger }));

  const pipelineLogger = {
    info: (message: string, extra?: Readonly<Record<string, unknown>>) =>
      logger.info(message, { ...extra }),
    warn: (message: string, extra?: Readonly<Record<string, unknown>>) =>
      logger.warn(message, { ...extra }),
    error: (message: string, extra?: Readonly<Record<string, unknown>>) =>
      logger.error(message, { ...extra }),
  };
  // Compiled lists stay in memory and in temporary storage while the function is warm.
  const suppression = new SuppressionStore(s3, {
    tempDir: overrides.spoolDir,
    logger: pipelineLogger,
  });
  // Built once: it keeps the profiles file while the function is warm.
  const profiles = overrides.profiles ?? new ProfilesSource(s3, config.profilesKey);

  return async (event, context) => {
    logger.addContext(context);
    try {
      return await handleEvent(event, context, {
        config,
        s3,
        credentials,
        createClient,
        logger: pipelineLogger,
        metrics,
        suppression,
        profiles,
        now: overrides.now ?? (() => new Date()),
        ...(overrides.spoolDir ? { spoolDir: overrides.spoolDir } : {}),
      });
    } finally {
      if (!(metrics instanceof Metrics) || metrics.hasStoredMetrics()) {
        metrics.publishStoredMetrics?.();
      }
    }
  };
}
