import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';

/** An object as S3 describes it in an ObjectCreated notification. */
export interface CreatedObject {
  readonly bucket: string;
  /** The key as stored (not encoded). */
  readonly key: string;
  readonly size: number;
  /** With or without quotes; the notification carries it bare. */
  readonly eTag: string;
  readonly versionId?: string;
  readonly sequencer: string;
}

/**
 * Encodes a key as S3 notifications do (HTML form encoding per path segment): a space is `+`,
 * a real `+` is `%2B`, non-ASCII is UTF-8 percent-escaped, `/` stays.
 */
export function encodeS3Key(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/%20/g, '+')
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

/** An `ObjectCreated` S3 notification (the body S3 sends to SQS) for one object. */
export function s3PutNotification(
  object: CreatedObject,
  eventName = 'ObjectCreated:Put',
  eventTime = new Date(),
) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: eventTime.toISOString(),
        eventName,
        userIdentity: { principalId: 'AWS:LOCAL' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'contact-drop',
          bucket: {
            name: object.bucket,
            ownerIdentity: { principalId: 'LOCAL' },
            arn: `arn:aws:s3:::${object.bucket}`,
          },
          object: {
            key: encodeS3Key(object.key),
            size: object.size,
            eTag: object.eTag.replace(/"/g, ''),
            ...(object.versionId ? { versionId: object.versionId } : {}),
            sequencer: object.sequencer,
          },
        },
      },
    ],
  };
}

/** An SQS batch whose messages carry `bodies` (JSON-encoded), as the event source mapping delivers it. */
export function sqsEvent(bodies: readonly unknown[], receiveCount = 1): SQSEvent {
  const now = Date.now();
  return {
    Records: bodies.map((value) => {
      const body = JSON.stringify(value);
      return {
        messageId: randomUUID(),
        receiptHandle: `local-${randomUUID()}`,
        body,
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: String(now),
          SenderId: 'S3',
          ApproximateFirstReceiveTimestamp: String(now),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:contact-drop-queue',
        awsRegion: 'us-east-1',
      };
    }),
  };
}

let sequence = 0;

/** A sequencer that grows with every call, as S3's does for one key. */
export function nextSequencer(): string {
  sequence++;
  return (Date.now() * 1000 + sequence).toString(16).toUpperCase().padStart(18, '0');
}
