import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import type { Invocation } from '../../local-aws/moto/invoke-bundle.js';
import { findMotoServer } from '../../local-aws/moto/moto-server.js';
import { startMotoTier } from '../../local-aws/moto/moto-tier.js';
import { startEmbeddedBackend } from './embedded-backend.js';
import type { InvokePlain, SoakOptions } from './soak-run.js';

/** Where the soak runs the deployed path: buckets, queues, the simulator, the event source. */
export interface SoakBackend {
  readonly kind: 'moto' | 'embedded';
  /** What the function's S3 client is pointed at (through the soak's proxy). */
  readonly s3Endpoint: string;
  readonly simulatorUrl: string;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly bucket: string;
  readonly resultsPrefix: string;
  readonly deadLetterQueueUrl: string;
  /** Drops a file as a partner would; the notification reaches the queue. */
  put(key: string, path: string): Promise<void>;
  /** Resolves when nothing is visible in the queue and nothing runs. */
  idle(timeoutMs: number): Promise<void>;
  /** Resolves when the queue is empty (retries included) and nothing runs. */
  settled(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export type SoakInvoke = (
  event: SQSEvent,
  signal: AbortSignal,
  plain: InvokePlain,
) => Promise<Invocation>;

/**
 * Starts the soak's backend: the stack on moto when moto_server is installed (or asked for),
 * else the embedded stand-ins with the same queues and event source. Both keep every base's
 * text in the simulator. Rejects as startMotoTier or startEmbeddedBackend do.
 */
export async function startSoakBackend(
  options: SoakOptions,
  dir: string,
  invoke: SoakInvoke,
): Promise<SoakBackend> {
  const useMoto =
    options.aws === 'moto' || (options.aws === 'auto' && findMotoServer() !== undefined);
  if (!useMoto) return startEmbeddedBackend(options, dir, invoke);
  const tier = await startMotoTier({
    bundle: { outDir: dir },
    keepText: true,
    deliveries: options.deliveries,
    concurrency: options.concurrency,
    visibilityTimeoutSeconds: options.visibilitySeconds,
    functionTimeoutSeconds: options.functionTimeoutSeconds,
    env: soakFunctionSettings(options),
    invoke,
  });
  return {
    kind: 'moto',
    s3Endpoint: tier.endpoint,
    simulatorUrl: tier.simulator.url,
    s3: tier.clients.s3,
    sqs: tier.clients.sqs,
    bucket: tier.resources.bucket,
    resultsPrefix: tier.functionEnv.RESULTS_PREFIX ?? 'results/',
    deadLetterQueueUrl: tier.resources.deadLetterQueueUrl,
    put: async (key, path) => void (await tier.put(key, path)),
    idle: async (timeoutMs) => void (await tier.eventSource.idle(timeoutMs)),
    settled: (timeoutMs) => tier.eventSource.settled(timeoutMs),
    close: tier.close,
  };
}

/**
 * The function's settings for the soak: small chunks, and a time reserve that fits the shortened
 * timeout (the function needs 30 s of it for the work).
 */
export function soakFunctionSettings(options: SoakOptions): Record<string, string> {
  const timeout = options.functionTimeoutSeconds;
  const reserve = Math.max(0, Math.min(Math.floor(timeout / 3), timeout - 30));
  return {
    MAX_CHUNK_RECORDS: String(options.maxRecords),
    TIME_RESERVE_SECONDS: String(reserve),
  };
}
