import { MalformedMessageError, UnsupportedEventError } from './errors.js';

/** An uploaded object named by an S3 notification record; `key` is already URL-decoded. */
export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
  /** Undefined when the record carries no size (never for ObjectCreated from S3 itself). */
  readonly size: number | undefined;
  readonly eTag: string | undefined;
  readonly versionId: string | undefined;
  readonly sequencer: string | undefined;
  readonly eventName: string;
}

/** Why a record needs no work. */
export const IgnoreReason = {
  TestEvent: 'TEST_EVENT',
  NotObjectCreated: 'NOT_OBJECT_CREATED',
  OutsideIncoming: 'OUTSIDE_INCOMING',
  FolderMarker: 'FOLDER_MARKER',
  TemporaryName: 'TEMPORARY_NAME',
  EmptyObject: 'EMPTY_OBJECT',
} as const;
export type IgnoreReason = (typeof IgnoreReason)[keyof typeof IgnoreReason];

export type WorkItem =
  | { readonly action: 'process'; readonly object: S3ObjectRef }
  /** `object` is there for every reason but TEST_EVENT, so a caller may still write a result. */
  | { readonly action: 'ignore'; readonly reason: IgnoreReason; readonly object?: S3ObjectRef };

/** The work in one SQS message (or in a whole plain S3 event, which has no message id). */
export type MessageWork =
  | { readonly messageId: string | undefined; readonly items: readonly WorkItem[] }
  | { readonly messageId: string | undefined; readonly error: MalformedMessageError };

export interface ReadEventOptions {
  /** Ends with `/`, as Config.incomingPrefix does. */
  readonly incomingPrefix: string;
}

const TEMPORARY_SUFFIXES = ['.filepart', '.part', '.tmp', '.crdownload'];
/** Office writes `~$name.xlsx` lock files beside open documents. */
const TEMPORARY_PREFIXES = ['~$'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** S3 notifications encode keys as HTML forms do: `+` is a space, `%2B` a real plus. */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

function isTemporaryName(key: string): boolean {
  const name = (key.split('/').pop() ?? '').toLowerCase();
  return (
    TEMPORARY_SUFFIXES.some((suffix) => name.endsWith(suffix)) ||
    TEMPORARY_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readRecord(record: unknown, index: number, options: ReadEventOptions): WorkItem {
  const where = `record ${index}`;
  if (!isObject(record) || !isObject(record.s3)) {
    throw new MalformedMessageError(`${where} is not an S3 notification record`);
  }
  const { bucket, object } = record.s3;
  const eventName = record.eventName;
  if (typeof eventName !== 'string' || !isObject(bucket) || !isObject(object)) {
    throw new MalformedMessageError(`${where} lacks eventName, s3.bucket or s3.object`);
  }
  if (typeof bucket.name !== 'string' || typeof object.key !== 'string') {
    throw new MalformedMessageError(`${where} lacks s3.bucket.name or s3.object.key`);
  }
  let key: string;
  try {
    key = decodeS3Key(object.key);
  } catch (error) {
    throw new MalformedMessageError(`${where} has a key that is not URL-encoded UTF-8`, {
      cause: error,
    });
  }
  const ref: S3ObjectRef = {
    bucket: bucket.name,
    key,
    size: typeof object.size === 'number' ? object.size : undefined,
    eTag: optionalString(object.eTag),
    // S3 writes the version id "null" for objects stored while versioning was off.
    versionId: object.versionId === 'null' ? undefined : optionalString(object.versionId),
    sequencer: optionalString(object.sequencer),
    eventName,
  };
  const ignore = (reason: IgnoreReason): WorkItem => ({ action: 'ignore', reason, object: ref });
  // Records built by hand or by older tooling sometimes keep the `s3:` of the notification filter.
  if (!eventName.replace(/^s3:/, '').startsWith('ObjectCreated:')) {
    return ignore(IgnoreReason.NotObjectCreated);
  }
  if (!key.startsWith(options.incomingPrefix)) return ignore(IgnoreReason.OutsideIncoming);
  if (key.endsWith('/')) return ignore(IgnoreReason.FolderMarker);
  if (isTemporaryName(key)) return ignore(IgnoreReason.TemporaryName);
  if (ref.size === 0) return ignore(IgnoreReason.EmptyObject);
  return { action: 'process', object: ref };
}

/** Reads an S3 notification (the body of one SQS message, or a plain S3 event). */
function readNotification(notification: unknown, options: ReadEventOptions): WorkItem[] {
  if (!isObject(notification)) throw new MalformedMessageError('body is not a JSON object');
  if (notification.Event === 's3:TestEvent') {
    return [{ action: 'ignore', reason: IgnoreReason.TestEvent }];
  }
  if (!Array.isArray(notification.Records) || notification.Records.length === 0) {
    throw new MalformedMessageError('body is not an S3 event notification (no Records)');
  }
  return notification.Records.map((record, index) => readRecord(record, index, options));
}

/**
 * Reads one SQS message whose body is an S3 notification. A message that cannot be read becomes
 * an `error` entry (never a throw), so the caller fails that message alone.
 */
export function readSqsMessage(message: unknown, options: ReadEventOptions): MessageWork {
  const messageId = isObject(message) ? optionalString(message.messageId) : undefined;
  try {
    if (!isObject(message) || typeof message.body !== 'string') {
      throw new MalformedMessageError('SQS record has no body');
    }
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch (error) {
      throw new MalformedMessageError('body is not JSON', { cause: error });
    }
    return { messageId, items: readNotification(body, options) };
  } catch (error) {
    if (!(error instanceof MalformedMessageError)) throw error;
    const prefixed = new MalformedMessageError(
      `SQS message ${messageId ?? '(no id)'}: ${error.message}`,
      { cause: error.cause },
    );
    return { messageId, error: prefixed };
  }
}

/** Whether the event is an SQS batch: every record (one at least) comes from `aws:sqs`. */
export function isSqsBatch(event: unknown): event is { readonly Records: readonly unknown[] } {
  if (!isObject(event) || !Array.isArray(event.Records) || event.Records.length === 0) return false;
  return event.Records.every((record) => isObject(record) && record.eventSource === 'aws:sqs');
}

/**
 * Turns a Lambda event into work: one entry per SQS message (bodies are S3 notifications), or a
 * single entry for a plain S3 event. A message that cannot be read becomes an `error` entry so the
 * rest of the batch goes on. Throws UnsupportedEventError when the event is neither shape.
 */
export function readEvent(event: unknown, options: ReadEventOptions): MessageWork[] {
  if (!isObject(event) || !Array.isArray(event.Records)) {
    if (isObject(event) && event.Event === 's3:TestEvent') {
      return [{ messageId: undefined, items: readNotification(event, options) }];
    }
    throw new UnsupportedEventError('event is neither an SQS batch nor an S3 notification');
  }
  if (isSqsBatch(event)) return event.Records.map((message) => readSqsMessage(message, options));
  const records: unknown[] = event.Records;
  if (records.every((record) => isObject(record) && record.eventSource === 'aws:s3')) {
    try {
      return [{ messageId: undefined, items: readNotification(event, options) }];
    } catch (error) {
      if (error instanceof MalformedMessageError) {
        throw new UnsupportedEventError(`S3 event: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
  throw new UnsupportedEventError(
    'event records must all come from aws:sqs (S3 notifications) or all from aws:s3',
  );
}
