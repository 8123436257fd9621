import type { SQSBatchResponse } from 'aws-lambda';
import { campaignFromKey } from './campaign-from-key.js';
import { FileMetricName, type MetricsSink, recordFileMetrics } from './file-metrics.js';
import { ManifestBuilder, ManifestStatus } from './manifest.js';
import { type PipelineLogger, type ProcessObjectDeps, processObject } from './process-object.js';
import {
  IgnoreReason,
  type MessageWork,
  readEvent,
  type S3ObjectRef,
  type WorkItem,
} from './read-event.js';
import { resultLocation } from './result-location.js';
import { httpStatus, putJson } from './storage.js';

export interface HandleEventDeps
  extends Omit<ProcessObjectDeps, 'logger' | 'requestId' | 'remainingTimeMs'> {
  readonly logger: PipelineLogger;
  readonly metrics: MetricsSink;
}

/** The part of Lambda's context the pipeline reads. */
export interface InvocationContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** A logger that adds `keys` to every line. */
export function withLogKeys(
  logger: PipelineLogger,
  keys: Readonly<Record<string, unknown>>,
): PipelineLogger {
  const merged = (extra?: Readonly<Record<string, unknown>>) => ({ ...keys, ...extra });
  return {
    info: (message, extra) => logger.info(message, merged(extra)),
    warn: (message, extra) => logger.warn(message, merged(extra)),
    error: (message, extra) => logger.error(message, merged(extra)),
  };
}

/**
 * Handles a Lambda event: SQS messages whose bodies are S3 notifications (one file per message)
 * or a plain S3 event. Every record of every message is handled, at most RECORD_CONCURRENCY at a
 * time; a message with a record that must be retried (or that cannot be read) is returned in
 * `batchItemFailures`. Never throws: a failure of one record never fails the batch.
 */
export async function handleEvent(
  event: unknown,
  context: InvocationContext,
  deps: HandleEventDeps,
): Promise<SQSBatchResponse> {
  const { logger } = deps;
  let work: MessageWork[];
  try {
    work = readEvent(event, deps.config);
  } catch (error) {
    logger.error('the event is neither an SQS batch nor an S3 notification', { error });
    return {
      batchItemFailures: sqsMessageIds(event).map((itemIdentifier) => ({ itemIdentifier })),
    };
  }

  const failed = new Set<string>();
  const tasks: (() => Promise<void>)[] = [];
  for (const message of work) {
    const messageLogger = withLogKeys(logger, { messageId: message.messageId });
    if ('error' in message) {
      // Retried, then moved to the dead-letter queue, whose alarm tells the operator.
      messageLogger.error('message is not an S3 notification', { error: message.error });
      failed.add(message.messageId ?? 'event');
      continue;
    }
    for (const item of message.items) {
      tasks.push(async () => {
        const ok = await handleItem(item, messageLogger, context, deps);
        if (!ok) failed.add(message.messageId ?? itemName(item));
      });
    }
  }
  await runLimited(tasks, deps.config.recordConcurrency);
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}

/** Handles one record; false when its message must be delivered again. Never throws. */
async function handleItem(
  item: WorkItem,
  messageLogger: PipelineLogger,
  context: InvocationContext,
  deps: HandleEventDeps,
): Promise<boolean> {
  if (item.action === 'ignore') {
    const keys = item.object ? { bucket: item.object.bucket, key: item.object.key } : {};
    messageLogger.info('record ignored', { reason: item.reason, ...keys });
    if (item.reason === IgnoreReason.EmptyObject && item.object) {
      await recordEmptyObject(item.object, deps, withLogKeys(messageLogger, keys));
    }
    return true;
  }
  const { object } = item;
  const verdict = campaignFromKey(object.key, deps.config);
  const logger = withLogKeys(messageLogger, {
    bucket: object.bucket,
    key: object.key,
    ...(verdict.ok ? { campaign: verdict.campaign } : {}),
  });
  logger.info('file received', {
    size: object.size,
    eTag: object.eTag,
    versionId: object.versionId,
    eventName: object.eventName,
  });
  try {
    const result = await processObject(object, {
      ...deps,
      logger,
      requestId: context.awsRequestId,
      remainingTimeMs: () => context.getRemainingTimeInMillis(),
    });
    recordFileMetrics(deps.metrics, result);
    return !result.retry;
  } catch (error) {
    logger.error('file handling failed before a result could be written; it will be retried', {
      error,
    });
    return false;
  }
}

/**
 * A zero-byte drop gets a `skipped` manifest, so whoever dropped it sees why nothing happened.
 * Written only if none exists; failures are logged, never retried (there is nothing to load).
 */
async function recordEmptyObject(
  object: S3ObjectRef,
  deps: HandleEventDeps,
  logger: PipelineLogger,
): Promise<void> {
  const verdict = campaignFromKey(object.key, deps.config);
  if (!verdict.ok || (!object.eTag && !object.versionId)) return;
  const location = resultLocation(object, verdict, deps.config.resultsPrefix);
  const manifest = new ManifestBuilder({
    source: { ...object, size: 0 },
    campaign: verdict.campaign,
    startedAt: deps.now(),
  }).build({
    status: ManifestStatus.Skipped,
    error: { code: IgnoreReason.EmptyObject, message: 'the object is empty: nothing to load' },
    finishedAt: deps.now(),
  });
  try {
    await putJson(deps.s3, object.bucket, location.manifestKey, manifest, { ifNoneMatch: '*' });
    deps.metrics.addMetric(FileMetricName.FilesSkipped, 'Count', 1);
  } catch (error) {
    if (httpStatus(error) !== 412)
      logger.warn('cannot write the manifest of an empty object', { error });
  }
}

/** Runs tasks with at most `limit` at a time. Tasks must not throw. */
async function runLimited(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

function itemName(item: WorkItem): string {
  return item.object ? `s3://${item.object.bucket}/${item.object.key}` : 'event';
}

/** The message ids of an event that looks like an SQS batch, so each can be retried. */
function sqsMessageIds(event: unknown): string[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return [];
  return records
    .map((record) => (record as { messageId?: unknown } | null)?.messageId)
    .filter((id): id is string => typeof id === 'string');
}
