import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkbook, WORKBOOK_SPOOL_PREFIX } from '../../functions/contacts/read-workbook.js';
import { removeDeadSpools, SPOOL_PREFIX } from '../../functions/pipeline/chunk-spool.js';
import { workbook } from '../unit/contacts/workbooks.js';
import {
  nativeLines,
  type PipelineStack,
  SECRET_ID,
  startPipelineStack,
} from './pipeline-stack.js';

const CHUNKS_OF_10 = { MAX_CHUNK_RECORDS: '10' };
const CRASHING_RUN = join(import.meta.dirname, 'crashing-run.ts');
const READING_WORKBOOK = join(import.meta.dirname, 'reading-workbook.ts');
const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);

let stack: PipelineStack | undefined;
let spoolParent: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  spoolParent = await mkdtemp(join(tmpdir(), 'spool-parent-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await stack?.close();
  stack = undefined;
  await rm(spoolParent, { recursive: true, force: true });
});

const spools = async () => (await readdir(spoolParent)).filter((n) => n.startsWith(SPOOL_PREFIX));
const sheetSpools = async () =>
  (await readdir(spoolParent)).filter((n) => n.startsWith(WORKBOOK_SPOOL_PREFIX));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a run killed mid-upload', () => {
  it('leaves its session open and its spool behind; the takeover says so, counts it and removes the spool', async () => {
    // The first upload is loaded and never answered: the run is killed with it in flight.
    const running = await startPipelineStack({ faults: ['uploadbase:timeout'] });
    stack = running;
    const object = await running.put('incoming/Ventas/killed.csv', nativeLines(25));
    const child = spawn(process.execPath, ['--import', 'tsx', CRASHING_RUN], {
      env: {
        ...process.env,
        UCONTACT_BASE_URL: running.simulator.url,
        UCONTACT_SECRET_ID: SECRET_ID,
        S3_ENDPOINT: running.s3.endpoint,
        SECRETS_ENDPOINT: running.secrets.endpoint,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        TMPDIR: spoolParent,
        LOADER_EVENT: JSON.stringify(running.eventFor(object)),
        ...CHUNKS_OF_10,
      },
      stdio: 'ignore',
    });
    children.push(child);
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitFor('the first chunk to reach the dialer', () => {
      return running.simulator.state().bases.length === 1;
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(running.simulator.state().openSessions).toBe(1);
    const [left] = await spools();
    expect(left).toBeDefined();
    expect((await stat(join(spoolParent, left!, 'chunks.txt'))).size).toBeGreaterThan(0);

    const takeover = running.handler(CHUNKS_OF_10, { now: later(16), spoolDir: spoolParent });
    expect((await takeover(running.eventFor(object))).batchItemFailures).toEqual([]);

    const manifest = await running.manifestOf(object);
    expect(manifest?.session).toEqual({ endSession: 'ok', previousSessionMayBeOpen: true });
    expect(manifest?.uploads.map((u) => u.outcome)).toEqual(['unknown', 'accepted', 'accepted']);
    expect(running.metrics.SessionsLeftOpen).toBe(1);
    expect(running.metrics.ChunksUnknown).toBe(1);
    // Each chunk reached the dialer once; the killed run's session is the one still open.
    expect(running.simulator.state().bases).toHaveLength(3);
    expect(running.simulator.state().openSessions).toBe(1);
    expect(await spools()).toEqual([]);
  }, 120_000);

  it('a file a run finished is not reported with an open session when delivered again', async () => {
    const running = await startPipelineStack();
    stack = running;
    const object = await running.put('incoming/Ventas/clean.csv', nativeLines(5));
    await running.handler()(running.eventFor(object));
    await running.handler({}, { now: later(16) })(running.eventFor(object));
    expect((await running.manifestOf(object))?.session).toEqual({ endSession: 'ok' });
    expect(running.metrics.SessionsLeftOpen ?? 0).toBe(0);
  });
});

describe('spools', () => {
  it('are gone after a run ends, whatever the ending', async () => {
    const running = await startPipelineStack({
      faults: ['uploadbase:503:4', 'uploadbase:timeout'],
    });
    stack = running;
    const handler = running.handler(CHUNKS_OF_10, { spoolDir: spoolParent });
    const files = {
      // uContact answers 503 to each of the 4 attempts: failed, retried.
      retried: nativeLines(15),
      // Then never answers: unknown.
      unknown: nativeLines(15, 'Ventas', 100),
      // Nothing loadable: rejected.
      rejected: 'Ventas;0991234X;nombre=A;;9999;\n',
      succeeded: nativeLines(15, 'Ventas', 200),
    };
    const statuses: string[] = [];
    for (const [name, body] of Object.entries(files)) {
      const object = await running.put(`incoming/Ventas/${name}.csv`, body);
      await handler(running.eventFor(object));
      statuses.push(`${name}: ${(await running.manifestOf(object))?.status}`);
      expect(await spools()).toEqual([]);
    }
    expect(statuses).toEqual([
      'retried: failed',
      'unknown: partial',
      'rejected: rejected',
      'succeeded: succeeded',
    ]);
  }, 60_000);

  it("of dead runs are removed before a run starts, never a live process's", async () => {
    const spool = async (prefix: string, name: string, owner?: object, ageMs = 0) => {
      const directory = join(spoolParent, `${prefix}${name}`);
      await mkdir(directory);
      await writeFile(join(directory, 'chunks.txt'), 'Ventas;099123456;;;9999');
      if (owner) await writeFile(join(directory, 'owner.json'), JSON.stringify(owner));
      const when = new Date(Date.now() - ageMs);
      await utimes(directory, when, when);
    };
    const exited = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => exited.on('exit', resolve));
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    children.push(alive);

    // A run's chunks, and a workbook's spooled sheets: the same rules for both.
    for (const prefix of [SPOOL_PREFIX, WORKBOOK_SPOOL_PREFIX]) {
      await spool(prefix, 'dead-pid', { pid: exited.pid, token: 'a' });
      await spool(prefix, 'reused-pid', { pid: process.pid, token: 'an earlier process' });
      await spool(prefix, 'live-process', { pid: alive.pid, token: 'b' });
      await spool(prefix, 'ownerless-old', undefined, 5 * 60_000);
      await spool(prefix, 'ownerless-new');
    }

    await removeDeadSpools(spoolParent);
    expect((await spools()).sort()).toEqual(
      [`${SPOOL_PREFIX}live-process`, `${SPOOL_PREFIX}ownerless-new`].sort(),
    );
    expect((await sheetSpools()).sort()).toEqual(
      [`${WORKBOOK_SPOOL_PREFIX}live-process`, `${WORKBOOK_SPOOL_PREFIX}ownerless-new`].sort(),
    );
  });

  it('of a workbook whose reader was killed are removed by the next run, whatever its file', async () => {
    const running = await startPipelineStack();
    stack = running;
    const child = spawn(process.execPath, ['--import', 'tsx', READING_WORKBOOK], {
      env: { ...process.env, TMPDIR: spoolParent },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(child);
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let said = '';
    child.stdout?.on('data', (data: Buffer) => {
      said += data.toString();
    });
    await waitFor('the workbook to be open', () => said.includes('open'));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const [left] = await sheetSpools();
    expect((await readdir(join(spoolParent, left!))).length).toBeGreaterThan(1);

    const object = await running.put('incoming/Ventas/next.csv', nativeLines(5));
    await running.handler({}, { spoolDir: spoolParent })(running.eventFor(object));
    expect((await running.manifestOf(object))?.status).toBe('succeeded');
    expect(await sheetSpools()).toEqual([]);
  }, 60_000);

  it('of a workbook being read stay while the next run starts', async () => {
    const reading = await openWorkbook(
      (async function* () {
        yield await workbook({ name: 'Hoja1', rows: [['telefono'], ['099123456']] });
      })(),
      { sourceName: 'lista.xlsx', maxFileBytes: 1024 ** 2, spoolDir: spoolParent },
    );
    const live = await sheetSpools();
    expect(live).toHaveLength(1);
    await removeDeadSpools(spoolParent);
    expect(await sheetSpools()).toEqual(live);
    await reading.close();
    expect(await sheetSpools()).toEqual([]);
  });

  it('of this process stay while its runs are live, as with several records at once', async () => {
    const running = await startPipelineStack({ faults: ['uploadbase:timeout'] });
    stack = running;
    const object = await running.put('incoming/Ventas/slow.csv', nativeLines(15));
    const handler = running.handler(CHUNKS_OF_10, { spoolDir: spoolParent });
    const first = handler(running.eventFor(object));
    await waitFor('the upload to start', () => running.simulator.state().bases.length === 1);
    const [live] = await spools();
    await removeDeadSpools(spoolParent);
    expect(await spools()).toEqual([live]);
    await first;
    expect(await spools()).toEqual([]);
  });
});

describe('the spool', () => {
  // 1 MB of temporary storage: a spool may take 90 % of it, 943,718 bytes.
  const TINY_STORAGE = { EPHEMERAL_STORAGE_MB: '1' };

  it('refuses up front a plain file larger than the storage could hold, before any uContact call', async () => {
    const running = await startPipelineStack();
    stack = running;
    const object = await running.put('incoming/Ventas/huge.csv', nativeLines(36_000));
    expect(object.size).toBeGreaterThan(943_718);
    await running.handler(TINY_STORAGE, { spoolDir: spoolParent })(running.eventFor(object));

    const manifest = await running.manifestOf(object);
    expect(manifest?.status).toBe('rejected');
    expect(manifest?.error?.code).toBe('TOO_LARGE_FOR_STORAGE');
    const mib = (object.size / 1024 ** 2).toFixed(1);
    expect(manifest?.error?.message).toBe(
      `the file is ${mib} MiB: more than the 0.9 MiB of temporary storage a file's chunks may take; split it into smaller files.`,
    );
    expect(manifest?.input).toBeNull();
    expect(running.simulator.state().calls.login).toBe(0);
    expect(await spools()).toEqual([]);
  });

  it('stops a gzip file whose contacts outgrow the storage while it is read', async () => {
    const running = await startPipelineStack();
    stack = running;
    const object = await running.put(
      'incoming/Ventas/huge.csv.gz',
      gzipSync(Buffer.from(nativeLines(36_000))),
    );
    expect(object.size).toBeLessThan(943_718);
    await running.handler(TINY_STORAGE, { spoolDir: spoolParent })(running.eventFor(object));

    const manifest = await running.manifestOf(object);
    expect(manifest?.status).toBe('rejected');
    expect(manifest?.error?.code).toBe('TOO_LARGE_FOR_STORAGE');
    expect(running.simulator.state().calls.login).toBe(0);
    expect(await spools()).toEqual([]);
  });

  it('loads a file that fits', async () => {
    const running = await startPipelineStack();
    stack = running;
    const object = await running.put('incoming/Ventas/fits.csv.gz', gzipSync(nativeLines(2_000)));
    await running.handler(TINY_STORAGE, { spoolDir: spoolParent })(running.eventFor(object));
    expect((await running.manifestOf(object))?.status).toBe('succeeded');
  });
});
