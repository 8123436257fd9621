import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3PutNotification, sqsEvent } from '../../local-aws/s3-event.js';
import { nativeLines, type PipelineStack, startPipelineStack } from './pipeline-stack.js';

let stack: PipelineStack;
beforeEach(async () => {
  stack = await startPipelineStack();
});
afterEach(async () => {
  await stack.close();
});

describe('batches of several records', () => {
  it('names only the message whose file could not be handled, and loads the others', async () => {
    const first = await stack.put('incoming/Ventas/first.csv', nativeLines(3));
    const nameless = await stack.put('incoming/Ventas/nameless.csv', nativeLines(3, 'Ventas', 10));
    const last = await stack.put('incoming/Ventas/last.csv', nativeLines(3, 'Ventas', 20));
    // Without an ETag or a version the object cannot be claimed: its handling throws.
    const event = sqsEvent([
      s3PutNotification(first),
      s3PutNotification({ ...nameless, eTag: '' }),
      s3PutNotification(last),
    ]);

    const response = await stack.handler({ RECORD_CONCURRENCY: '2' })(event);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]!.messageId }]);
    expect((await stack.manifestOf(first))?.status).toBe('succeeded');
    expect((await stack.manifestOf(last))?.status).toBe('succeeded');
    expect(await stack.manifestOf(nameless)).toBeUndefined();
    expect(
      stack.simulator
        .state()
        .bases.map((base) => base.filename)
        .sort(),
    ).toEqual(['first.csv', 'last.csv']);
  });

  it('answers with every message of a batch that failed whole, instead of failing the call', async () => {
    const event = sqsEvent(['not an S3 event', { Records: [] }]);

    const response = await stack.handler()(event);

    expect(response.batchItemFailures).toEqual(
      event.Records.map((record) => ({ itemIdentifier: record.messageId })),
    );
  });

  it('names a failed record of a plain S3 event by its object', async () => {
    const loaded = await stack.put('incoming/Ventas/plain.csv', nativeLines(3));
    const nameless = await stack.put('incoming/Ventas/plain-nameless.csv', nativeLines(2));
    const records = [loaded, { ...nameless, eTag: '' }].flatMap(
      (object) => s3PutNotification(object).Records,
    );

    const response = await stack.handler()({ Records: records });

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 's3://drop/incoming/Ventas/plain-nameless.csv' },
    ]);
    expect((await stack.manifestOf(loaded))?.status).toBe('succeeded');
  });
});
