import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import type { Invocation } from '../../local-aws/moto/invoke-bundle.js';

/** What a soak run is asked for (see soak.ts for the command line and the defaults). */
export interface SoakOptions {
  readonly files: number;
  readonly deliveries: number;
  readonly seed: number;
  /** Invocations at once. */
  readonly concurrency: number;
  readonly campaigns: readonly string[];
  /** The function's MAX_CHUNK_RECORDS, low so that small files make several chunks. */
  readonly maxRecords: number;
  readonly maxChunks: number;
  readonly crashRate: number;
  readonly faultRate: number;
  /** The function's timeout: a crashed run's claim is taken over after it. */
  readonly functionTimeoutSeconds: number;
  /** Longer than the function's timeout, as the stack's, so a crashed run's message comes back to a stale claim. */
  readonly visibilitySeconds: number;
  /** How long the queue may take to empty. */
  readonly settleMinutes: number;
  /** `moto`, `embedded`, or `auto`: moto when moto_server is installed. */
  readonly aws: 'auto' | 'moto' | 'embedded';
}

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

/** One invocation of the bundle, with variables over the function's environment. */
export type InvokePlain = (
  event: SQSEvent,
  signal: AbortSignal,
  env?: Readonly<Record<string, string>>,
) => Promise<Invocation>;

/** Runs one invocation, given the plain one to call (the soak wraps it in its proxy). */
export type SoakInvoke = (
  event: SQSEvent,
  signal: AbortSignal,
  plain: InvokePlain,
) => Promise<Invocation>;

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
