import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  createLoaderHandler,
  type LoaderOverrides,
} from '../../functions/contact-loader/create-handler.js';
import { LoaderLogger } from '../../functions/contact-loader/logger.js';
import { campaignFromKey } from '../../functions/pipeline/campaign-from-key.js';
import type { ClaimState } from '../../functions/pipeline/claim.js';
import type { Manifest } from '../../functions/pipeline/manifest.js';
import { resultLocation } from '../../functions/pipeline/result-location.js';
import { getJson } from '../../functions/pipeline/storage.js';
import { UcontactClient } from '../../functions/ucontact/client.js';
import { type EmbeddedS3, startEmbeddedS3 } from '../../local-aws/embedded-s3.js';
import { localLambdaContext, metricTotals } from '../../local-aws/local-run.js';
import {
  type CreatedObject,
  nextSequencer,
  s3PutNotification,
  sqsEvent,
} from '../../local-aws/s3-event.js';
import { type SecretsEndpoint, startSecretsEndpoint } from '../../local-aws/secrets-endpoint.js';
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../simulator/simulator.js';
import { expectResultFiles } from './result-checks.js';

export const BUCKET = 'drop';
export const SECRET_ID = 'ucontact/loader';
export const USER = { user: 'ApiUser', password: 'simulator' } as const;

/** `count` native lines for campaign `campaign`, with distinct phone numbers. */
export function nativeLines(count: number, campaign = 'Ventas', first = 0): string {
  let text = '';
  for (let i = first; i < first + count; i++) {
    text += `${campaign};09${String(1_000_000 + i).slice(1)}1;nombre=N${i};;9999;\n`;
  }
  return text;
}

/**
 * Makes `client` die like a crashed runtime: once `statePuts` writes of a claim have passed,
 * every write and delete fails, so the run can neither checkpoint, nor write a manifest, nor give
 * the claim back, nor tidy anything.
 */
export function crashingClient(client: S3Client, statePuts: number): S3Client {
  let seen = 0;
  let crashed = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const key = (args.input as { Key?: string }).Key ?? '';
      const isWrite = ['PutObjectCommand', 'DeleteObjectCommand'].includes(
        context.commandName ?? '',
      );
      if (isWrite && key.endsWith('/state.json') && ++seen > statePuts) crashed = true;
      if (crashed && isWrite) throw new Error('simulated crash');
      return next(args);
    },
    { step: 'initialize', name: 'simulatedCrash' },
  );
  return client;
}

export interface PipelineStack {
  readonly s3: EmbeddedS3;
  readonly client: S3Client;
  readonly simulator: RunningSimulator;
  readonly secrets: SecretsEndpoint;
  /** Every line the function logged. */
  readonly logLines: string[];
  readonly metrics: Record<string, number>;
  /** A handler as a cold start builds it, with these settings and replacements. */
  handler(
    env?: Readonly<Record<string, string>>,
    overrides?: LoaderOverrides,
  ): (event: unknown, context?: Context) => Promise<SQSBatchResponse>;
  put(key: string, body: string | Uint8Array): Promise<CreatedObject>;
  /** The SQS event S3 would send for the object (one message). */
  eventFor(object: CreatedObject): SQSEvent;
  manifestOf(object: CreatedObject): Promise<Manifest | undefined>;
  stateOf(object: CreatedObject): Promise<ClaimState | undefined>;
  close(): Promise<void>;
}

/** Embedded S3, simulator and local Secrets Manager on free ports, plus a handler factory. */
export async function startPipelineStack(
  simulatorOptions: SimulatorOptions = {},
): Promise<PipelineStack> {
  const s3 = await startEmbeddedS3({ buckets: [BUCKET] });
  const simulator = await startSimulator({ anyCampaign: true, log: () => {}, ...simulatorOptions });
  const secrets = await startSecretsEndpoint({ [SECRET_ID]: USER });
  const client = s3.client();
  const logLines: string[] = [];
  const recorder = metricTotals();
  const locate = (object: CreatedObject) =>
    resultLocation(
      object,
      campaignFromKey(object.key, { incomingPrefix: 'incoming/', campaignSuffix: '' }),
      'results/',
    );

  return {
    s3,
    client,
    simulator,
    secrets,
    logLines,
    metrics: recorder.totals,
    handler(env = {}, overrides = {}) {
      const handle = createLoaderHandler(
        {
          UCONTACT_BASE_URL: simulator.url,
          UCONTACT_SECRET_ID: SECRET_ID,
          S3_ENDPOINT: s3.endpoint,
          SECRETS_ENDPOINT: secrets.endpoint,
          TIME_RESERVE_SECONDS: '5',
          ...env,
        },
        {
          logger: new LoaderLogger({ write: (line) => logLines.push(line) }),
          metrics: recorder,
          // Short timeouts: an unanswered upload is known to be unknown within a second.
          createClient: (baseUrl, logger) =>
            new UcontactClient({
              baseUrl,
              logger,
              callTimeoutMs: 2_000,
              uploadTimeoutMs: 1_000,
              retry: { baseDelayMs: 10, maxDelayMs: 50 },
            }),
          ...overrides,
        },
      );
      return (event, context = localLambdaContext()) => handle(event, context);
    },
    async put(key, body) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      const put = await client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: bytes,
          ContentLength: bytes.length,
        }),
      );
      return {
        bucket: BUCKET,
        key,
        size: bytes.length,
        eTag: (put.ETag ?? '').replace(/"/g, ''),
        sequencer: nextSequencer(),
      };
    },
    eventFor: (object) => sqsEvent([s3PutNotification(object)]),
    async manifestOf(object) {
      const { manifestKey } = locate(object);
      const manifest = (await getJson<Manifest>(client, BUCKET, manifestKey))?.value;
      if (manifest) await expectResultFiles(client, BUCKET, manifestKey, manifest);
      return manifest;
    },
    async stateOf(object) {
      return (await getJson<ClaimState>(client, BUCKET, locate(object).stateKey))?.value;
    },
    async close() {
      await simulator.close();
      await secrets.close();
      await s3.close();
    },
  };
}
