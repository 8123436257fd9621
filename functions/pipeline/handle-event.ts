import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse } from 'aws-lambda';
import { limitFunction } from 'p-limit';
import { campaignFromKey } from './campaign-from-key.js';
import { RedeliveryRequestedError } from './errors.js';
import { FileMetricName, type MetricsSink, recordFileMetrics } from './file-metrics.js';
import { ManifestBuilder, ManifestStatus } from './manifest.js';
import {
  type ObjectResult,
  type PipelineLogger,
  type ProcessObjectDeps,
  processObject,
} from './process-object.js';
import {
  IgnoreReason,
  isSqsBatch,
  type MessageWork,
  readEvent,
  readSqsMessage,
  type S3ObjectRef,
  type WorkItem,
} from './read-event.js';
import { writeReportPage } from './report-page.js';
import { resultLocation } from './result-location.js';
import { httpStatus, putJson } from './storage.js';

export interface HandleEventDeps
  extends Omit<ProcessObjectDeps, 'logger' | 'requestId' | 'remainingTimeMs'> {
  readonly logger: PipelineLogger;
  readonly metrics: MetricsSink;
}

/** Records as Powertools types them: SQS records, or any object with a `messageId`. */
type BatchRecords = Parameters<typeof processPartialResponse>[0]['Records'];

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
 * or a plain S3 event (local runs). Powertools' BatchProcessor goes through the records,
 * RECORD_CONCURRENCY at a time, and returns each record whose handling threw in
 * `batchItemFailures`: a message that cannot be read, a file to be retried, a run that failed
 * before writing its result. A plain event's records are named `s3://bucket/key` there. Never
 * throws: a failure of one record never fails the batch.
 */
export async function handleEvent(
  event: unknown,
  context: InvocationContext,
  deps: HandleEventDeps,
): Promise<SQSBatchResponse> {
  if (isSqsBatch(event)) {
    return processRecords(event.Records, deps, (record) => handleMessage(record, context, deps));
  }
  let work: MessageWork[];
  try {
    work = readEvent(event, deps.config);
  } catch (error) {
    deps.logger.error('the event is neither an SQS batch nor an S3 notification', { error });
    return {
      batchItemFailures: sqsMessageIds(event).map((itemIdentifier) => ({ itemIdentifier })),
    };
  }
  // A plain event is one notification; readEvent throws rather than return it unreadable.
  const records = work
    .flatMap((message) => ('items' in message ? message.items : []))
    .map((item) => ({ messageId: itemName(item), item }));
  return processRecords(records, deps, ({ item }) => handleItem(item, deps.logger, context, deps));
}

/**
 * Runs `handle` on every record with Powertools, at most RECORD_CONCURRENCY at once, and
 * reports the `messageId` of each record it threw for.
 */
async function processRecords<R>(
  records: readonly R[],
  deps: HandleEventDeps,
  handle: (record: R) => Promise<void>,
): Promise<SQSBatchResponse> {
  const concurrency = deps.config.recordConcurrency;
  // Powertools runs records one by one or all at once; p-limit keeps the configured bound.
  const limited = concurrency > 1 ? limitFunction(handle, { concurrency }) : handle;
  // A processor holds one batch's state: one per call, as a handler may serve overlapping calls
  // (local runs deliver events concurrently in one process).
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse({ Records: [...records] as BatchRecords }, limited, processor, {
    processInParallel: concurrency > 1,
    // With one message a batch, every failure is a full-batch failure: throwing would count each
    // retry (uContact busy, out of time) as a function error and fire the FunctionErrors alarm,
    // which is for crashes and timeouts. The answer names the records either way.
    throwOnFullBatchFailure: false,
  });
}

/**
 * Handles one SQS message, every record of its notification. Throws (the message is delivered
 * again) when it is not an S3 notification, or when one of its records failed or must be retried.
 */
async function handleMessage(
  record: unknown,
  context: InvocationContext,
  deps: HandleEventDeps,
): Promise<void> {
  const message = readSqsMessage(record, deps.config);
  const logger = withLogKeys(deps.logger, { messageId: message.messageId });
  if ('error' in message) {
    // Retried, then moved to the dead-letter queue, whose alarm tells the operator.
    logger.error('message is not an S3 notification', { error: message.error });
    throw message.error;
  }
  // S3 sends one record per message; should one carry more, each is still handled.
  const errors: unknown[] = [];
  for (const item of message.items) {
    try {
      await handleItem(item, logger, context, deps);
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}

/**
 * Handles one record. Throws RedeliveryRequestedError when the file must be retried (its manifest
 * says why), and what processObject throws when the run failed before writing a result.
 */
async function handleItem(
  item: WorkItem,
  messageLogger: PipelineLogger,
  context: InvocationContext,
  deps: HandleEventDeps,
): Promise<void> {
  if (item.action === 'ignore') {
    const keys = item.object ? { bucket: item.object.bucket, key: item.object.key } : {};
    messageLogger.info('record ignored', { reason: item.reason, ...keys });
    if (item.reason === IgnoreReason.EmptyObject && item.object) {
      await recordEmptyObject(item.object, deps, withLogKeys(messageLogger, keys));
    }
    return;
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
  let result: ObjectResult;
  try {
    result = await processObject(object, {
      ...deps,
      logger,
      requestId: context.awsRequestId,
      remainingTimeMs: () => context.getRemainingTimeInMillis(),
    });
  } catch (error) {
    logger.error('file handling failed before a result could be written; it will be retried', {
      error,
    });
    throw error;
  }
  recordFileMetrics(deps.metrics, result);
  if (result.retry) {
    throw new RedeliveryRequestedError(`${itemName(item)}: ${result.status}, to be retried`);
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
    await writeReportPage(
      deps.s3,
      { bucket: object.bucket, key: location.reportKey, language: deps.config.reportLanguage },
      manifest,
      logger,
    );
    deps.metrics.addMetric(FileMetricName.FilesSkipped, 'Count', 1);
  } catch (error) {
    if (httpStatus(error) !== 412)
      logger.warn('cannot write the manifest of an empty object', { error });
  }
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
