import { afterEach, describe, expect, it } from 'vitest';
import { decodeLoadRecord } from '../../functions/pipeline/load-record.js';
import { getBytes, listObjects } from '../../functions/pipeline/storage.js';
import {
  BUCKET,
  crashingClient,
  nativeLines,
  type PipelineStack,
  startPipelineStack,
} from './pipeline-stack.js';

let stack: PipelineStack;
afterEach(async () => {
  await stack?.close();
});

const WINDOW = { RELOAD_WINDOW_DAYS: '7', MAX_CHUNK_RECORDS: '10' };
const DAY_MS = 86_400_000;
const later = (ms: number) => () => new Date(Date.now() + ms);

/** The main number of nativeLines' row `i`. */
const number = (i: number) => `09${String(1_000_000 + i).slice(1)}1`;
const numbers = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => number(from + i));

/** Every main number the simulator received for `campaign`, in upload order, repeats kept. */
function loadedInto(campaign: string): string[] {
  return stack.simulator
    .state()
    .bases.filter((b) => b.campaign === campaign)
    .flatMap((b) => b.text.split('\n').map((line) => line.split(';')[1]!));
}

/** Every number in the load record, one entry per time it is recorded. */
async function recordedNumbers(): Promise<string[]> {
  const recorded: string[] = [];
  for (const { key } of await listObjects(stack.client, BUCKET, 'state/loaded/')) {
    const record = decodeLoadRecord((await getBytes(stack.client, BUCKET, key))!, key);
    // Packed as 10 ** length + value: the digits after the leading 1.
    for (const packed of record.keys) recorded.push(String(packed).slice(1));
  }
  return recorded.sort();
}

async function drop(key: string, text: string, env = WINDOW, overrides = {}) {
  const object = await stack.put(key, text);
  const response = await stack.handler(env, overrides)(stack.eventFor(object));
  return { object, response, manifest: await stack.manifestOf(object) };
}

describe('the reload window', () => {
  it('refuses numbers an earlier drop loaded into the same campaign, and not into another', async () => {
    stack = await startPipelineStack({ keepText: true });
    const first = await drop('incoming/Ventas/lunes.csv', nativeLines(25));
    expect(first.manifest).toMatchObject({
      status: 'succeeded',
      counts: { uploaded: 25, recentlyLoaded: 0 },
      reloadWindow: { days: 7, numbersKnown: 0 },
    });

    const second = await drop('incoming/Ventas/martes.csv', nativeLines(20, 'Ventas', 15));
    expect(second.manifest).toMatchObject({
      status: 'succeeded',
      counts: { accepted: 10, rejected: 10, uploaded: 10, recentlyLoaded: 10 },
      reloadWindow: { days: 7, numbersKnown: 25 },
    });
    const rejection = second.manifest!.rejections[0]!;
    expect(rejection.code).toBe('RECENTLY_LOADED');
    expect(rejection.message).toMatch(
      /^The number 09\*{5}51 was loaded into this campaign at \d{4}-\d\d-\d\dT[\d:.]+Z, from incoming\/Ventas\/lunes\.csv, within its 7-day reload window\.$/,
    );
    expect(loadedInto('Ventas').sort()).toEqual(numbers(0, 35));
    expect(stack.metrics.RowsRecentlyLoaded).toBe(10);

    const other = await drop('incoming/Otra/martes.csv', nativeLines(20, 'Otra', 15));
    expect(other.manifest).toMatchObject({
      counts: { uploaded: 20, recentlyLoaded: 0 },
      reloadWindow: { days: 7, numbersKnown: 0 },
    });
    expect(loadedInto('Otra').sort()).toEqual(numbers(15, 20));
  });

  it('does not record the numbers of a failed chunk, and does record those of an unknown one', async () => {
    stack = await startPipelineStack({ keepText: true, faults: ['uploadbase:zero'] });
    const failed = await drop('incoming/Ventas/a.csv', nativeLines(30));
    expect(failed.manifest?.uploads.map((u) => u.outcome)).toEqual([
      'failed',
      'accepted',
      'accepted',
    ]);
    expect(await recordedNumbers()).toEqual(numbers(10, 20));

    stack.simulator.addFault('uploadbase:500-after-load');
    const unknown = await drop('incoming/Ventas/b.csv', nativeLines(30, 'Ventas', 0));
    // Rows 10-29 are refused; rows 0-9, which failed before, are sent, and the answer is lost.
    expect(unknown.manifest).toMatchObject({
      counts: { recentlyLoaded: 20, uploaded: 0 },
      uploads: [{ outcome: 'unknown', records: 10 }],
    });
    expect(await recordedNumbers()).toEqual(numbers(0, 30));

    const again = await drop('incoming/Ventas/c.csv', nativeLines(30));
    expect(again.manifest).toMatchObject({
      status: 'rejected',
      error: { code: 'NO_VALID_CONTACTS' },
      counts: { recentlyLoaded: 30 },
    });
    expect(loadedInto('Ventas').sort()).toEqual(numbers(0, 30));
  });

  it('records each number once when a run crashes after accepted chunks and is taken over', async () => {
    stack = await startPipelineStack({ keepText: true });
    const object = await stack.put('incoming/Ventas/crash.csv', nativeLines(45));
    // The claim, the mark of a session about to open, then a record and a claim write per chunk:
    // chunk 3 is recorded, never sent.
    const crashed = stack.handler(WINDOW, { s3: crashingClient(stack.s3.client(), 4) });
    expect((await crashed(stack.eventFor(object))).batchItemFailures).toHaveLength(1);
    expect(loadedInto('Ventas')).toHaveLength(20);

    const retry = stack.handler(WINDOW, { now: later(16 * 60_000) });
    expect((await retry(stack.eventFor(object))).batchItemFailures).toEqual([]);
    expect((await stack.manifestOf(object))?.uploads.map((u) => u.outcome)).toEqual([
      'accepted',
      'unknown',
      'accepted',
      'accepted',
      'accepted',
    ]);
    expect(loadedInto('Ventas').sort()).toEqual(numbers(0, 45));
    expect(await recordedNumbers()).toEqual(numbers(0, 45));

    const next = await drop('incoming/Ventas/otra.csv', nativeLines(50), WINDOW, {
      now: later(20 * 60_000),
    });
    expect(next.manifest).toMatchObject({ counts: { recentlyLoaded: 45, uploaded: 5 } });
  });

  it('loads each shared number once when two overlapping files of a campaign arrive together', async () => {
    stack = await startPipelineStack({ keepText: true });
    const a = await stack.put('incoming/Ventas/a.csv', nativeLines(30));
    const b = await stack.put('incoming/Ventas/b.csv', nativeLines(30, 'Ventas', 15));
    const [first, second] = await Promise.all(
      [a, b].map((object) => stack.handler(WINDOW)(stack.eventFor(object))),
    );
    const waiting = first!.batchItemFailures.length > 0 ? a : b;
    expect([first, second].flatMap((r) => r!.batchItemFailures)).toHaveLength(1);
    expect(await stack.manifestOf(waiting)).toMatchObject({
      status: 'failed',
      error: { code: 'CAMPAIGN_BUSY' },
    });

    // SQS delivers the waiting file again.
    expect((await stack.handler(WINDOW)(stack.eventFor(waiting))).batchItemFailures).toEqual([]);
    expect(await stack.manifestOf(waiting)).toMatchObject({
      status: 'succeeded',
      counts: { recentlyLoaded: 15, uploaded: 15 },
    });
    expect(loadedInto('Ventas').sort()).toEqual(numbers(0, 45));
  });

  it('resends a failed part without the numbers another file loaded before the retry', async () => {
    stack = await startPipelineStack({
      keepText: true,
      faults: ['uploadbase:503:4'],
      retryAfterSeconds: 0,
    });
    const a = await drop('incoming/Ventas/a.csv', nativeLines(8));
    expect(a.response.batchItemFailures).toHaveLength(1);
    expect(a.manifest?.uploads.map((u) => [u.outcome, u.records])).toEqual([['failed', 8]]);

    await drop('incoming/Ventas/b.csv', nativeLines(3));
    expect((await stack.handler(WINDOW)(stack.eventFor(a.object))).batchItemFailures).toEqual([]);
    expect(await stack.manifestOf(a.object)).toMatchObject({
      status: 'succeeded',
      counts: { recentlyLoaded: 3, uploaded: 5 },
      uploads: [{ part: 1, outcome: 'accepted', records: 5 }],
    });
    expect(loadedInto('Ventas').sort()).toEqual(numbers(0, 8));
  });

  it('ignores what was loaded before the window', async () => {
    stack = await startPipelineStack({ keepText: true });
    await drop('incoming/Ventas/lunes.csv', nativeLines(10));
    const eightDaysOn = { now: later(8 * DAY_MS) };
    const outside = await drop('incoming/Ventas/martes.csv', nativeLines(10), WINDOW, eightDaysOn);
    expect(outside.manifest).toMatchObject({
      counts: { recentlyLoaded: 0, uploaded: 10 },
      reloadWindow: { days: 7, numbersKnown: 0 },
    });

    const nineDays = { ...WINDOW, RELOAD_WINDOW_DAYS: '9' };
    const inside = await drop('incoming/Ventas/miercoles.csv', nativeLines(10), nineDays, {
      now: later(8 * DAY_MS + 60_000),
    });
    expect(inside.manifest).toMatchObject({
      counts: { recentlyLoaded: 10, uploaded: 0 },
      reloadWindow: { days: 9, numbersKnown: 10 },
    });
  });

  it('reads and writes no record when the window is off', async () => {
    stack = await startPipelineStack();
    const { manifest } = await drop('incoming/Ventas/a.csv', nativeLines(5), {
      RELOAD_WINDOW_DAYS: '0',
      MAX_CHUNK_RECORDS: '10',
    });
    expect(manifest).toMatchObject({ reloadWindow: null, counts: { recentlyLoaded: 0 } });
    expect(await listObjects(stack.client, BUCKET, 'state/')).toEqual([]);
  });
  it("takes a folder's window from its profile, over RELOAD_WINDOW_DAYS", async () => {
    stack = await startPipelineStack({ keepText: true });
    await stack.put(
      'config/campaigns.json',
      JSON.stringify({ campaigns: { Ventas: { reloadWindowDays: 3 } } }),
    );
    // The function's window is off; the profile turns it on for Ventas alone.
    const off = { RELOAD_WINDOW_DAYS: '0', MAX_CHUNK_RECORDS: '10' };
    await drop('incoming/Ventas/lunes.csv', nativeLines(25), off);
    await drop('incoming/Cobranzas/lunes.csv', nativeLines(25, 'Cobranzas'), off);

    const martes = await drop('incoming/Ventas/martes.csv', nativeLines(30), off, {
      now: later(2 * DAY_MS),
    });
    expect(martes.manifest).toMatchObject({
      status: 'succeeded',
      counts: { recentlyLoaded: 25, uploaded: 5 },
      reloadWindow: { days: 3, numbersKnown: 25 },
    });
    expect(martes.manifest?.rejections[0]?.message).toContain('within its 3-day reload window');
    expect(loadedInto('Ventas').sort()).toEqual(numbers(0, 30));
    const cobranzas = await drop(
      'incoming/Cobranzas/martes.csv',
      nativeLines(30, 'Cobranzas'),
      off,
    );
    expect(cobranzas.manifest).toMatchObject({
      counts: { recentlyLoaded: 0, uploaded: 30 },
      reloadWindow: null,
    });
  });
});
