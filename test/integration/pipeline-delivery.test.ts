import { afterEach, describe, expect, it } from 'vitest';
import {
  crashingClient,
  nativeLines,
  type PipelineStack,
  startPipelineStack,
} from './pipeline-stack.js';

let stack: PipelineStack;
afterEach(async () => {
  await stack?.close();
});

const CHUNKS_OF_10 = { MAX_CHUNK_RECORDS: '10' };
const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);
const uploadedParts = () =>
  stack.simulator
    .state()
    .bases.map((b) => b.filename)
    .sort();

/** A client of the stack's S3 that crashes after `statePuts` claim writes (see crashingClient). */
const crashingAfter = (statePuts: number) => crashingClient(stack.s3.client(), statePuts);

describe('exactly-once delivery of a dropped file', () => {
  it('uploads once when the same event is delivered twice, and skips the second', async () => {
    stack = await startPipelineStack();
    const object = await stack.put('incoming/Ventas/dup.csv', nativeLines(25));
    const handler = stack.handler(CHUNKS_OF_10);
    const first = await handler(stack.eventFor(object));
    const manifestBefore = await stack.manifestOf(object);
    const second = await handler(stack.eventFor(object));

    expect([first.batchItemFailures, second.batchItemFailures]).toEqual([[], []]);
    expect(uploadedParts()).toEqual([
      'dup.part-001-of-003.csv',
      'dup.part-002-of-003.csv',
      'dup.part-003-of-003.csv',
    ]);
    expect(await stack.manifestOf(object)).toEqual(manifestBefore);
    expect(stack.metrics.FilesSkipped).toBe(1);
  });

  it('uploads once when eight deliveries arrive at the same moment', async () => {
    stack = await startPipelineStack();
    const object = await stack.put('incoming/Ventas/concurrent.csv', nativeLines(25));
    const handlers = Array.from({ length: 8 }, () => stack.handler(CHUNKS_OF_10));
    const responses = await Promise.all(handlers.map((h) => h(stack.eventFor(object))));

    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    expect(stack.simulator.state().calls.login).toBe(1);
    expect(uploadedParts()).toHaveLength(3);
    expect((await stack.manifestOf(object))?.status).toBe('succeeded');
  });

  it('resumes after a crash from the last saved chunk, sending each chunk at most once', async () => {
    stack = await startPipelineStack();
    const object = await stack.put('incoming/Ventas/crash.csv', nativeLines(45));
    // The claim, the mark of a session about to open, then one write per chunk (the previous
    // outcome with this chunk in flight): 2 + 3 writes get through, so chunk 3 is sent and its
    // outcome is never saved.
    const crashed = stack.handler(CHUNKS_OF_10, { s3: crashingAfter(5) });
    expect((await crashed(stack.eventFor(object))).batchItemFailures).toHaveLength(1);
    expect(uploadedParts()).toEqual([1, 2, 3].map((n) => `crash.part-00${n}-of-005.csv`));
    expect(await stack.manifestOf(object)).toBeUndefined();

    const tooSoon = await stack.handler(CHUNKS_OF_10)(stack.eventFor(object));
    expect(tooSoon.batchItemFailures).toEqual([]);
    expect(uploadedParts()).toHaveLength(3);

    const retry = stack.handler(CHUNKS_OF_10, { now: later(16) });
    expect((await retry(stack.eventFor(object))).batchItemFailures).toEqual([]);

    expect(uploadedParts()).toEqual([1, 2, 3, 4, 5].map((n) => `crash.part-00${n}-of-005.csv`));
    const manifest = await stack.manifestOf(object);
    expect(manifest?.status).toBe('partial');
    expect(manifest?.uploads.map((u) => [u.part, u.outcome])).toEqual([
      [1, 'accepted'],
      [2, 'accepted'],
      [3, 'unknown'],
      [4, 'accepted'],
      [5, 'accepted'],
    ]);
    expect(manifest?.counts.uploaded).toBe(35);
    expect((await stack.stateOf(object))?.attempt).toBe(2);
  });

  it('never resends a chunk that was in flight when the run crashed, and reports it unknown', async () => {
    stack = await startPipelineStack();
    const object = await stack.put('incoming/Ventas/inflight.csv', nativeLines(30));
    // Chunk 2 is saved as in flight (with chunk 1's outcome) and sent; nothing more is saved.
    const crashed = stack.handler(CHUNKS_OF_10, { s3: crashingAfter(4) });
    await crashed(stack.eventFor(object));
    expect(uploadedParts()).toHaveLength(2);

    await stack.handler(CHUNKS_OF_10, { now: later(16) })(stack.eventFor(object));

    const names = uploadedParts();
    expect(names.filter((n) => n.includes('part-002'))).toHaveLength(1);
    expect(names).toHaveLength(3);
    const manifest = await stack.manifestOf(object);
    expect(manifest?.status).toBe('partial');
    expect(manifest?.uploads.map((u) => u.outcome)).toEqual(['accepted', 'unknown', 'accepted']);
    expect(manifest?.error?.code).toBe('UNKNOWN_OUTCOME');
    expect(stack.metrics.ChunksUnknown).toBe(1);
  });

  it('reports an unanswered upload as unknown, stops, and never resends it on redelivery', async () => {
    stack = await startPipelineStack({ faults: ['uploadbase:timeout'] });
    const object = await stack.put('incoming/Ventas/unknown.csv', nativeLines(25));
    const handler = stack.handler(CHUNKS_OF_10);
    expect((await handler(stack.eventFor(object))).batchItemFailures).toEqual([]);
    await handler(stack.eventFor(object));

    expect(stack.simulator.state().calls.uploadbase).toBe(1);
    expect(stack.simulator.state().openSessions).toBe(0);
    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({ status: 'partial', error: { code: 'UNKNOWN_OUTCOME' } });
    expect(manifest?.uploads.map((u) => [u.outcome, u.attempts])).toEqual([
      ['unknown', 1],
      ['failed', 0],
      ['failed', 0],
    ]);
    expect(stack.metrics.ChunksUnknown).toBe(1);
  });

  it('gives the claim back when time runs out, and the redelivery loads the file', async () => {
    stack = await startPipelineStack();
    const object = await stack.put('incoming/Ventas/late.csv', nativeLines(5));
    const handler = stack.handler();
    const nearlyOut = { getRemainingTimeInMillis: () => 8_000, awsRequestId: 'late-1' };
    const first = await handler(stack.eventFor(object), nearlyOut as never);
    expect(first.batchItemFailures).toHaveLength(1);
    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'failed',
      error: { code: 'OUT_OF_TIME' },
    });
    expect(stack.simulator.state().openSessions).toBe(0);

    const second = await handler(stack.eventFor(object));
    expect(second.batchItemFailures).toEqual([]);
    expect((await stack.manifestOf(object))?.status).toBe('succeeded');
    expect(stack.simulator.state().bases).toHaveLength(1);
  });
});
