import { afterEach, describe, expect, it } from 'vitest';
import { UcontactClient } from '../../functions/ucontact/client.js';
import {
  type AnswerAfterLoadProxy,
  type SpoiledAnswer,
  startAnswerAfterLoadProxy,
} from './answer-after-load-proxy.js';
import { nativeLines, type PipelineStack, startPipelineStack } from './pipeline-stack.js';

let stack: PipelineStack | undefined;
let proxy: AnswerAfterLoadProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await stack?.close();
  proxy = undefined;
  stack = undefined;
});

const CHUNKS_OF_10 = { MAX_CHUNK_RECORDS: '10' };

/** Every line the simulator holds, across bases: a line present twice was loaded twice. */
function loadedLines(current: PipelineStack): string[] {
  return current.simulator.state().bases.flatMap((b) => b.text.split('\n').filter(Boolean));
}

// uContact loads part 2 and then the client gets one of these instead of `1`.
const ANSWERS: [string, SpoiledAnswer][] = [
  ['500', { status: 500 }],
  ['502', { status: 502 }],
  ['504', { status: 504 }],
  ['an HTML page with status 200', { status: 200, body: '<html><body>Error</body></html>' }],
  ['a reset connection', { reset: true }],
];

describe('a part uContact loaded before the answer failed', () => {
  it.each(ANSWERS)(
    'is unknown after %s, never sent again, in the run or on redelivery',
    async (_, answer) => {
      stack = await startPipelineStack({ keepText: true });
      proxy = await startAnswerAfterLoadProxy(stack.simulator.url, new Set([2]), answer);
      const viaProxy = proxy.url;
      const createClient = () =>
        new UcontactClient({
          baseUrl: viaProxy,
          callTimeoutMs: 2_000,
          uploadTimeoutMs: 1_000,
          retry: { baseDelayMs: 10, maxDelayMs: 50 },
        });
      const object = await stack.put('incoming/Ventas/spoiled.csv', nativeLines(25));
      const event = stack.eventFor(object);

      const first = await stack.handler(CHUNKS_OF_10, { createClient })(event);
      const second = await stack.handler(CHUNKS_OF_10, { createClient })(event);

      expect(first.batchItemFailures).toEqual([]);
      expect(second.batchItemFailures).toEqual([]);
      expect(proxy.uploads()).toBe(2);
      expect(await stack.manifestOf(object)).toMatchObject({
        status: 'partial',
        error: { code: 'UNKNOWN_OUTCOME', message: expect.stringMatching(/part 2/) },
        uploads: [
          { part: 1, outcome: 'accepted', attempts: 1 },
          { part: 2, outcome: 'unknown', attempts: 1 },
          { part: 3, outcome: 'failed', attempts: 0 },
        ],
      });
      const loaded = loadedLines(stack);
      expect(loaded).toHaveLength(20);
      expect(new Set(loaded).size).toBe(loaded.length);
      expect(stack.simulator.state().openSessions).toBe(0);
      expect(stack.metrics).toMatchObject({ ChunksUnknown: 1 });
    },
  );
});
