import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { Invocation } from './invoke-bundle.js';
import { MOTO_REGION } from './moto-resources.js';

/** Marks a copy made for a duplicate delivery, so it is not copied again. */
const DUPLICATE_ATTRIBUTE = 'duplicateOf';

export interface EventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  /** Messages per invocation (the mapping's BatchSize). */
  readonly batchSize: number;
  /** Invocations at once (the mapping's MaximumConcurrency). */
  readonly concurrency: number;
  /** The function reports failed items (ReportBatchItemFailures) instead of failing the batch. */
  readonly reportBatchItemFailures: boolean;
  /** Runs the function once; aborting the signal kills it. */
  readonly invoke: (event: SQSEvent, signal: AbortSignal) => Promise<Invocation>;
  /**
   * Deliver each message S3 wrote this many times in all: the copies are sent to the queue as
   * new messages, as SQS's at-least-once delivery may do. Default 1.
   */
  readonly deliveries?: number;
  readonly onInvocation?: (record: InvocationRecord) => void;
  /**
   * The queue's visibility timeout, when it is shorter than the function's timeout (tests shorten
   * it so that failed messages come back within seconds): the messages of a running invocation
   * are then kept in flight, their visibility renewed every half of it, as the deployed queue's
   * (six function timeouts) guarantees that no message comes back while its invocation runs.
   */
  readonly renewVisibilitySeconds?: number;
}

/** One invocation as the event source saw it. */
export interface InvocationRecord {
  readonly messages: readonly {
    readonly messageId: string;
    readonly receiveCount: number;
    /** The S3 notification (or whatever was sent), as the queue holds it. */
    readonly body: string;
  }[];
  readonly invocation: Invocation;
  /** The messages deleted afterwards: the batch less the failed items, or none. */
  readonly deleted: readonly string[];
}

export interface EventSource {
  readonly invocations: readonly InvocationRecord[];
  /**
   * Resolves once the queue holds no message (visible or in flight) and nothing runs: failed
   * messages have come back after their visibility timeout and ended deleted or dead-lettered.
   * Rejects after `timeoutMs`.
   */
  settled(timeoutMs: number): Promise<void>;
  /**
   * Resolves once no message is visible and nothing runs; failed messages may still wait for
   * their visibility timeout (`waitingForRetry`). Rejects after `timeoutMs`.
   */
  idle(timeoutMs: number): Promise<{ readonly waitingForRetry: number }>;
  /** Stops polling, kills running invocations and waits for the workers to end. */
  stop(): Promise<void>;
}

/**
 * Stands in for Lambda's SQS event source mapping: workers receive up to `batchSize` messages,
 * invoke the function, delete the messages it did not report as failed (none when it errored,
 * crashed or timed out), and leave the rest to come back after the queue's visibility timeout,
 * until SQS moves them to the dead-letter queue after its maxReceiveCount.
 */
export function startEventSource(options: EventSourceOptions): EventSource {
  const invocations: InvocationRecord[] = [];
  const stopping = new AbortController();
  let busy = 0;
  const worker = async () => {
    while (!stopping.signal.aborted) {
      const messages = await receive(options, stopping.signal);
      if (messages.length === 0) continue;
      busy++;
      try {
        await sendDuplicates(options, messages);
        const record = await invokeOnce(options, messages, stopping.signal);
        invocations.push(record);
        options.onInvocation?.(record);
      } finally {
        busy--;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, options.concurrency) }, worker);
  const counts = async () => {
    const { Attributes } = await options.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: options.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  };
  const waitFor = async <T>(
    what: string,
    timeoutMs: number,
    check: () => Promise<T | undefined>,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = await check();
      if (done !== undefined) return done;
      if (Date.now() > deadline)
        throw new Error(`the queue did not become ${what} in ${timeoutMs} ms`);
      await sleep(100);
    }
  };
  return {
    invocations,
    settled: async (timeoutMs) => {
      await waitFor('empty', timeoutMs, async () => {
        const { visible, inFlight } = await counts();
        return visible === 0 && inFlight === 0 && busy === 0 ? true : undefined;
      });
    },
    idle: (timeoutMs) => {
      // Twice in a row: a message just received is neither visible nor yet counted as busy.
      let seen = 0;
      return waitFor('idle', timeoutMs, async () => {
        const { visible, inFlight } = await counts();
        seen = visible === 0 && busy === 0 ? seen + 1 : 0;
        return seen >= 2 ? { waitingForRetry: inFlight } : undefined;
      });
    },
    stop: async () => {
      stopping.abort();
      await Promise.all(workers);
    },
  };
}

async function receive(options: EventSourceOptions, signal: AbortSignal): Promise<Message[]> {
  try {
    const { Messages } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: options.batchSize,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    return Messages ?? [];
  } catch {
    // Stopping, or the queue is briefly unreachable: Lambda's poller too just polls again.
    if (!signal.aborted) await sleep(500);
    return [];
  }
}

async function sendDuplicates(options: EventSourceOptions, messages: readonly Message[]) {
  const copies = (options.deliveries ?? 1) - 1;
  for (const message of messages) {
    if (copies <= 0 || message.MessageAttributes?.[DUPLICATE_ATTRIBUTE]) continue;
    if (Number(message.Attributes?.ApproximateReceiveCount ?? '1') > 1) continue;
    for (let i = 0; i < copies; i++) {
      await options.sqs.send(
        new SendMessageCommand({
          QueueUrl: options.queueUrl,
          MessageBody: message.Body ?? '',
          MessageAttributes: {
            [DUPLICATE_ATTRIBUTE]: { DataType: 'String', StringValue: message.MessageId ?? '' },
          },
        }),
      );
    }
  }
}

async function invokeOnce(
  options: EventSourceOptions,
  messages: readonly Message[],
  signal: AbortSignal,
): Promise<InvocationRecord> {
  const event: SQSEvent = { Records: messages.map((m) => sqsRecord(m, options.queueArn)) };
  const renewal = keepInFlight(options, messages);
  const invocation = await options.invoke(event, signal).finally(() => clearInterval(renewal));
  const ids = event.Records.map((record) => record.messageId);
  const failed = failedItems(options, invocation, ids);
  const deleted: string[] = [];
  for (const message of messages) {
    if (failed.has(message.MessageId ?? '')) continue;
    await options.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: options.queueUrl,
        ReceiptHandle: message.ReceiptHandle,
      }),
    );
    deleted.push(message.MessageId ?? '');
  }
  return {
    messages: event.Records.map((record) => ({
      messageId: record.messageId,
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
      body: record.body,
    })),
    invocation,
    deleted,
  };
}

/** Renews the messages' visibility while they are handled; undefined when not asked to. */
function keepInFlight(
  options: EventSourceOptions,
  messages: readonly Message[],
): NodeJS.Timeout | undefined {
  const seconds = options.renewVisibilitySeconds;
  if (seconds === undefined) return undefined;
  return setInterval(
    () => {
      for (const message of messages) {
        options.sqs
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: options.queueUrl,
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: seconds,
            }),
          )
          // A renewal that fails lets the message come back early, as a slow poller would.
          .catch(() => undefined);
      }
    },
    (seconds * 1000) / 2,
  );
}

/**
 * The messages left to come back, as Lambda judges a response: all of them when the function
 * did not return, or named an item that is not in the batch; else the items it reported.
 */
function failedItems(
  options: EventSourceOptions,
  invocation: Invocation,
  ids: readonly string[],
): Set<string> {
  const all = new Set(ids);
  if (invocation.response === undefined) return all;
  if (!options.reportBatchItemFailures) return new Set();
  const reported = (invocation.response.batchItemFailures ?? []).map((f) => f.itemIdentifier);
  return reported.every((id) => all.has(id)) ? new Set(reported) : all;
}

/** An SQS message as Lambda hands it to the function. */
function sqsRecord(message: Message, queueArn: string): SQSRecord {
  const body = message.Body ?? '';
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body,
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: MOTO_REGION,
  };
}
