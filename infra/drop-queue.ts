import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DropQueueProps {
  /** The consuming function's timeout; the visibility timeout is six times it. */
  readonly functionTimeout: Duration;
}

/** Receives at least five times before a message is set aside; transient failures deserve retries. */
export const MAX_RECEIVE_COUNT = 5;

/** Lambda's advice for SQS event sources: room for retries of a batch within one visibility. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** The queue between S3 notifications and the function, with its dead-letter queue. */
export class DropQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: DropQueueProps) {
    super(scope, id);
    // SSE-SQS: S3 cannot send to a queue encrypted with the AWS-managed aws/sqs key.
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time for an operator to look before a file's event is lost.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(
        props.functionTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR,
      ),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }
}
