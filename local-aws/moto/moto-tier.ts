import type { Message } from '@aws-sdk/client-sqs';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import type { Manifest } from '../../functions/pipeline/manifest.js';
import { loaderTemplateJson } from '../../infra/loader-app.js';
import {
  DEFAULT_SIMULATOR_OPTIONS,
  type RunningSimulator,
  startSimulator,
} from '../../simulator/simulator.js';
import { LOCAL_BUCKET, readManifests } from '../local-run.js';
import { putFile, type StoredFile } from '../put-file.js';
import { type DeployedStack, readDeployedStack } from './deployed-stack.js';
import { type EventSource, type InvocationRecord, startEventSource } from './event-source.js';
import { buildFunctionBundle, type FunctionBundle } from './function-bundle.js';
import { type Invocation, invokeBundle } from './invoke-bundle.js';
import {
  createDeployedResources,
  MOTO_REGION,
  type MotoClients,
  type MotoResources,
  motoClients,
  resolveEnvironment,
} from './moto-resources.js';
import { startMotoServer } from './moto-server.js';

/** The tenant the template is synthesized for; the function is pointed at the simulator instead. */
export const TEMPLATE_BASE_URL = 'https://demo.ucontactcloud.com';
const FUNCTION_NAME = 'contact-loader';

export interface MotoTierOptions {
  /** Where the bundle is built, or a bundle built earlier (tests build once per file). */
  readonly bundle: { readonly outDir: string } | FunctionBundle;
  /** The bucket's name in moto; default the local runs' bucket. */
  readonly bucket?: string;
  /** Campaigns the simulator takes; none: any. */
  readonly campaigns?: readonly string[];
  /** Simulator faults, `<call>:<kind>[:<times>]`. */
  readonly faults?: readonly string[];
  /** Replaces the template's visibility timeout (seconds); see createDeployedResources. */
  readonly visibilityTimeoutSeconds?: number;
  /** Function settings over the stack's (MAX_CHUNK_RECORDS...). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The function's timeout (seconds) over the template's: FUNCTION_TIMEOUT_SECONDS says it and
   * each invocation is killed at it, so a crashed run's claim goes stale within a short soak.
   */
  readonly functionTimeoutSeconds?: number;
  /** Invocations at once; default the event source mapping's MaximumConcurrency. */
  readonly concurrency?: number;
  /** Each message S3 writes is delivered this many times in all; default 1. */
  readonly deliveries?: number;
  /** Receives every line the function writes (JSON logs and metrics). */
  readonly logLine?: (line: string) => void;
  /** Keep each base's text in the simulator (tests compare contacts). */
  readonly keepText?: boolean;
  /**
   * Runs instead of a plain invocation (a harness that kills the function midway, say); given
   * the default invocation to call, with variables to set over the function's environment for
   * that invocation only (an endpoint of its own, say).
   */
  readonly invoke?: (
    event: SQSEvent,
    signal: AbortSignal,
    invoke: (
      event: SQSEvent,
      signal: AbortSignal,
      env?: Readonly<Record<string, string>>,
    ) => Promise<Invocation>,
  ) => Promise<Invocation>;
}

/** The deployed path on moto, running: S3 -> SQS -> event source -> the bundle -> simulator. */
export interface MotoTier {
  readonly endpoint: string;
  readonly clients: MotoClients;
  readonly resources: MotoResources;
  /** What the template declares, which the resources were created from. */
  readonly stack: DeployedStack;
  readonly simulator: RunningSimulator;
  readonly bundle: FunctionBundle;
  readonly eventSource: EventSource;
  /** The environment each invocation gets. */
  readonly functionEnv: Readonly<Record<string, string>>;
  /** Drops a local file at `key` as a partner would (one PutObject, multipart above 8 MiB). */
  put(key: string, path: string): Promise<StoredFile>;
  /** Every manifest under the results prefix, with its key. */
  manifests(): Promise<{ key: string; manifest: Manifest }[]>;
  /** The messages now in the dead-letter queue (received, left there). */
  deadLetters(): Promise<Message[]>;
  /** Stops the event source, the simulator and moto_server. */
  close(): Promise<void>;
}

/**
 * Starts the moto tier: synthesizes the stack's template, starts moto_server and the uContact
 * simulator, creates in moto what the template declares, builds the bundle (unless given) and
 * starts the event source. Rejects with MotoTierError (MOTO_MISSING when moto is not installed)
 * or esbuild's or the SDK's error; whatever started is stopped first.
 */
export async function startMotoTier(options: MotoTierOptions): Promise<MotoTier> {
  const stack = readDeployedStack(loaderTemplateJson({ ucontactBaseUrl: TEMPLATE_BASE_URL }));
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const bundlePromise =
      'outDir' in options.bundle ? buildFunctionBundle(options.bundle.outDir) : options.bundle;
    const moto = await startMotoServer();
    closers.push(moto.close);
    const simulator = await startSimulator({
      campaigns: options.campaigns ?? [],
      anyCampaign: (options.campaigns ?? []).length === 0,
      faults: [...(options.faults ?? [])],
      keepText: options.keepText === true,
      log: () => undefined,
    });
    closers.push(simulator.close);
    const clients = motoClients(moto.endpoint);
    const user = DEFAULT_SIMULATOR_OPTIONS.users[0];
    const resources = await createDeployedResources(clients, stack, {
      bucket: options.bucket ?? LOCAL_BUCKET,
      credentials: { user: user.user, password: user.password },
      ...(options.visibilityTimeoutSeconds === undefined
        ? {}
        : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }),
    });
    const bundle = await bundlePromise;
    const functionEnv = functionEnvironment(
      stack,
      resources,
      { s3: moto.endpoint, secrets: moto.endpoint, ucontact: simulator.url },
      options,
    );
    const timeoutSeconds = options.functionTimeoutSeconds ?? stack.fn.timeoutSeconds;
    const plain = (event: SQSEvent, signal: AbortSignal, env?: Readonly<Record<string, string>>) =>
      invokeBundle(bundle, event, {
        env: { ...functionEnv, ...env },
        timeoutMs: timeoutSeconds * 1000,
        signal,
        ...(options.logLine ? { logLine: options.logLine } : {}),
      });
    const custom = options.invoke;
    const eventSource = startEventSource({
      sqs: clients.sqs,
      queueUrl: resources.queueUrl,
      queueArn: resources.queueArn,
      batchSize: stack.eventSource.batchSize,
      concurrency: options.concurrency ?? stack.eventSource.maxConcurrency ?? 1,
      reportBatchItemFailures: stack.eventSource.reportBatchItemFailures,
      deliveries: options.deliveries ?? 1,
      ...(resources.visibilityTimeoutSeconds < timeoutSeconds
        ? { renewVisibilitySeconds: resources.visibilityTimeoutSeconds }
        : {}),
      invoke: custom ? (event, signal) => custom(event, signal, plain) : plain,
    });
    closers.push(eventSource.stop);
    return {
      endpoint: moto.endpoint,
      clients,
      resources,
      stack,
      simulator,
      bundle,
      eventSource,
      functionEnv,
      put: (key, path) => putFile(clients.s3, resources.bucket, key, path),
      manifests: () =>
        readManifests(clients.s3, resources.bucket, functionEnv.RESULTS_PREFIX ?? ''),
      deadLetters: () => peekQueue(clients, resources.deadLetterQueueUrl),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * The stack's environment for the function, its references resolved, pointed at the given S3,
 * Secrets Manager and uContact, plus what Lambda itself sets (region, credentials, name,
 * memory). Nothing of this process's environment leaks in but PATH and the temporary directory.
 * Throws as resolveEnvironment does.
 */
export function functionEnvironment(
  stack: DeployedStack,
  resources: Pick<MotoResources, 'secretArn'>,
  endpoints: { readonly s3: string; readonly secrets: string; readonly ucontact: string },
  options: Pick<MotoTierOptions, 'env' | 'functionTimeoutSeconds'>,
): Record<string, string> {
  const inherited = (name: string) =>
    process.env[name] === undefined ? {} : { [name]: process.env[name] as string };
  return {
    ...inherited('PATH'),
    ...inherited('TMPDIR'),
    AWS_REGION: MOTO_REGION,
    AWS_DEFAULT_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: 'moto',
    AWS_SECRET_ACCESS_KEY: 'moto',
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(stack.fn.memoryMb),
    ...resolveEnvironment(stack, resources),
    UCONTACT_BASE_URL: endpoints.ucontact,
    S3_ENDPOINT: endpoints.s3,
    SECRETS_ENDPOINT: endpoints.secrets,
    ...(options.functionTimeoutSeconds === undefined
      ? {}
      : { FUNCTION_TIMEOUT_SECONDS: String(options.functionTimeoutSeconds) }),
    ...options.env,
  };
}

/** The messages of a queue, received with a zero visibility timeout so they stay there. */
async function peekQueue(clients: MotoClients, queueUrl: string): Promise<Message[]> {
  const { Messages } = await clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages ?? [];
}

export type { InvocationRecord };
