import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { BUCKET, type PipelineStack, startPipelineStack } from './pipeline-stack.js';
import { runCli } from './run-cli.js';

let stack: PipelineStack;
const tempDirs: string[] = [];
afterEach(async () => {
  await stack?.close();
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A handler as a cold start builds it, with a temporary directory of its own. */
async function coldStart() {
  const dir = await mkdtemp(join(tmpdir(), 'suppression-test-'));
  tempDirs.push(dir);
  return stack.handler({}, { spoolDir: dir });
}

/** Every number the simulator received as a main number, over every base. */
function loadedMains(): string[] {
  return stack.simulator
    .state()
    .bases.flatMap((base) => base.text.split('\n'))
    .filter((line) => line !== '')
    .map((line) => line.split(';')[1]!);
}

/** Every line the simulator received, over every base. */
function loadedLines(): string[] {
  return stack.simulator
    .state()
    .bases.flatMap((base) => base.text.split('\n'))
    .filter((line) => line !== '');
}

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await stack.client.send(
    new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }),
  );
  return (listed.Contents ?? []).map((o) => o.Key!);
}

const PARTNER_FILE = [
  'Ventas;5491155551234;nombre=Ana;;9999;',
  'Ventas;5491155550001;nombre=Luis;5491144449999;9999;',
  'Ventas;5491155550002;nombre=Eva;;9999;',
  'Ventas;5491166667777;nombre=Juan;;9999;',
].join('\n');

describe('suppression lists in the deployed path', () => {
  it('refuses listed mains and drops listed alternates; nothing listed reaches the dialer', async () => {
    stack = await startPipelineStack({ keepText: true });
    // A national registry in two objects, formatted as registries are, one gzipped and headered.
    await stack.put(
      'suppression/no-llame-ar/part-1.txt',
      '+54 9 11 5555-1234\n+54 9 11 4444 9999\n',
    );
    await stack.put(
      'suppression/no-llame-ar/part-2.csv.gz',
      gzipSync('nombre;telefono\n"Gómez; Juan";54 9 11 6666-7777\nsin número;\n'),
    );
    await stack.put('suppression/bajas/bajas.txt', '5491155550002\n');
    const object = await stack.put('incoming/Ventas/lista.csv', PARTNER_FILE);

    const response = await (await coldStart())(stack.eventFor(object));

    expect(response.batchItemFailures).toEqual([]);
    const mains = loadedMains();
    expect(mains).toEqual(['5491155550001']);
    expect(loadedLines()).toEqual(['Ventas;5491155550001;nombre=Luis;;9999;']);
    const manifest = await stack.manifestOf(object);
    expect(manifest?.status).toBe('succeeded');
    expect(manifest?.counts).toMatchObject({ accepted: 1, rejected: 3, suppressed: 3 });
    expect(manifest?.rejections.map((r) => [r.line, r.code])).toEqual([
      [1, 'SUPPRESSED'],
      [3, 'SUPPRESSED'],
      [4, 'SUPPRESSED'],
    ]);
    expect(manifest?.rejections[1]?.message).toContain('"bajas"');
    expect(JSON.stringify(manifest)).not.toContain('5491155551234');
    expect(manifest?.suppression).toEqual([
      { list: 'bajas', version: expect.any(String), numbers: 1, badLines: 0, hits: 1 },
      { list: 'no-llame-ar', version: expect.any(String), numbers: 3, badLines: 1, hits: 3 },
    ]);
    expect(stack.metrics.RowsSuppressed).toBe(3);
    // Compiled once, under the prefix the function owns.
    expect(await keysUnder('state/suppression/')).toHaveLength(2);
  });

  it('picks up a new version of a list at the next drop', async () => {
    stack = await startPipelineStack({ keepText: true });
    await stack.put('suppression/bajas/bajas.txt', '5491155551234\n');
    const handler = await coldStart();
    const first = await stack.put('incoming/Ventas/uno.csv', PARTNER_FILE);
    await handler(stack.eventFor(first));
    expect(loadedMains()).not.toContain('5491155551234');
    expect(loadedMains()).toContain('5491166667777');

    await stack.put('suppression/bajas/bajas.txt', '5491155551234\n5491166667777\n');
    const second = await stack.put('incoming/Ventas/dos.csv', PARTNER_FILE);
    await handler(stack.eventFor(second));

    const manifests = [await stack.manifestOf(first), await stack.manifestOf(second)];
    expect(manifests.map((m) => m?.counts.suppressed)).toEqual([1, 2]);
    expect(manifests[0]?.suppression?.[0]?.version).not.toBe(
      manifests[1]?.suppression?.[0]?.version,
    );
    const secondBases = stack.simulator.state().bases.filter((b) => b.filename.startsWith('dos'));
    const secondMains = secondBases.flatMap((b) =>
      b.text
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(';')[1]),
    );
    expect(secondMains).not.toContain('5491166667777');
    expect(secondMains).not.toContain('5491155551234');
  });

  it('uses the compiled list a cold start finds in the bucket', async () => {
    stack = await startPipelineStack({ keepText: true });
    await stack.put('suppression/bajas/bajas.txt', '5491155551234\n');
    const first = await stack.put('incoming/Ventas/uno.csv', PARTNER_FILE);
    await (await coldStart())(stack.eventFor(first));
    const [compiled] = await keysUnder('state/suppression/bajas/');
    const second = await stack.put('incoming/Ventas/dos.csv', PARTNER_FILE);
    // Another cold start, with empty temporary storage: the bucket's compiled list serves it.
    await (await coldStart())(stack.eventFor(second));
    expect(stack.logLines.filter((l) => l.includes('suppression list compiled'))).toHaveLength(1);
    expect(await keysUnder('state/suppression/bajas/')).toEqual([compiled]);
    expect((await stack.manifestOf(second))?.counts.suppressed).toBe(1);
  });

  it('loads as before, with no suppression fields, when the bucket holds no list', async () => {
    stack = await startPipelineStack({ keepText: true });
    const object = await stack.put('incoming/Ventas/lista.csv', PARTNER_FILE);
    await (await coldStart())(stack.eventFor(object));
    const manifest = await stack.manifestOf(object);
    expect(manifest?.counts.accepted).toBe(4);
    expect(manifest?.counts.suppressed).toBeUndefined();
    expect(manifest?.suppression).toBeUndefined();
  });

  it('fails the file, loading nothing, when a list object cannot be read as a list', async () => {
    stack = await startPipelineStack({ keepText: true });
    await stack.put('suppression/bajas/bajas.txt', Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2]));
    const object = await stack.put('incoming/Ventas/lista.csv', PARTNER_FILE);
    const response = await (await coldStart())(stack.eventFor(object));
    expect(response.batchItemFailures).toEqual([]);
    const manifest = await stack.manifestOf(object);
    expect(manifest?.status).toBe('failed');
    expect(manifest?.error?.code).toBe('SUPPRESSION_LIST_UNUSABLE');
    expect(manifest?.error?.message).toContain('suppression/bajas/bajas.txt');
    expect(stack.simulator.state().calls.login ?? 0).toBe(0);
  });
  it("applies only the lists a folder's profile names, when the bucket has profiles", async () => {
    stack = await startPipelineStack({ keepText: true });
    await stack.put('suppression/no-llame-ar/part-1.txt', '+54 9 11 5555-1234\n');
    await stack.put('suppression/bajas/bajas.txt', '5491155550002\n');
    await stack.put(
      'config/campaigns.json',
      JSON.stringify({ campaigns: { Ventas: { suppress: ['bajas'] } } }),
    );
    const object = await stack.put('incoming/Ventas/lista.csv', PARTNER_FILE);

    const response = await (await coldStart())(stack.eventFor(object));

    expect(response.batchItemFailures).toEqual([]);
    // The registry is in the bucket but not named: its number is loaded.
    expect(loadedMains()).toEqual(['5491155551234', '5491155550001', '5491166667777']);
    const manifest = await stack.manifestOf(object);
    expect(manifest?.counts).toMatchObject({ accepted: 3, rejected: 1, suppressed: 1 });
    expect(manifest?.suppression).toEqual([
      { list: 'bajas', version: expect.any(String), numbers: 1, badLines: 0, hits: 1 },
    ]);
  });

  it('warns in the logs, the manifest and the page about a named list with no object', async () => {
    stack = await startPipelineStack({ keepText: true });
    await stack.put('suppression/bajas/bajas.txt', '5491155550002\n');
    // "no-llame-ar" mistyped: nothing is under suppression/no-llame/.
    await stack.put(
      'config/campaigns.json',
      JSON.stringify({ campaigns: { Ventas: { suppress: ['no-llame', 'bajas'] } } }),
    );
    const object = await stack.put('incoming/Ventas/lista.csv', PARTNER_FILE);

    const response = await (await coldStart())(stack.eventFor(object));

    expect(response.batchItemFailures).toEqual([]);
    // The run goes on with the lists it has.
    expect(loadedMains()).toEqual(['5491155551234', '5491155550001', '5491166667777']);
    const manifest = await stack.manifestOf(object);
    expect(manifest?.status).toBe('succeeded');
    expect(manifest?.suppression).toEqual([
      { list: 'no-llame', version: expect.any(String), numbers: 0, badLines: 0, hits: 0 },
      { list: 'bajas', version: expect.any(String), numbers: 1, badLines: 0, hits: 1 },
    ]);
    expect(manifest?.warnings).toEqual([
      {
        code: 'SUPPRESSION_LIST_NOT_FOUND',
        message: expect.stringContaining('suppression/no-llame/'),
      },
    ]);
    const logged = stack.logLines.filter((line) => line.includes('has no object'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ level: 'WARN', list: 'no-llame' });
    // Masked: the line names the list, and holds no number of the file or of a list.
    expect(logged[0]).not.toMatch(/549\d{10}/);
    const [pageKey] = (await keysUnder('results/')).filter((key) => key.endsWith('report.html'));
    const page = await stack.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: pageKey }));
    const html = (await page.Body?.transformToString('utf-8')) ?? '';
    expect(html).toContain('<code>SUPPRESSION_LIST_NOT_FOUND</code>');
    expect(html).toContain('suppression/no-llame/');
  });

  it('validate --suppression-dir counts exactly what the function scrubs', async () => {
    stack = await startPipelineStack({ keepText: true });
    const work = await mkdtemp(join(tmpdir(), 'suppression-dir-'));
    tempDirs.push(work);
    const lists: Record<string, string | Uint8Array> = {
      'no-llame-ar/part-1.txt': '+54 9 11 5555-1234\n+54 9 11 4444 9999\nnot a number\n',
      'no-llame-ar/part-2.csv.gz': gzipSync('nombre;telefono\nJuan;54 9 11 6666-7777\n'),
      'no-llame-ar/LEEME.md': '5491155550001\n',
      'bajas/bajas.txt': '5491155550002\n',
      'otra/otra.txt': '5491155550001\n',
    };
    for (const [path, body] of Object.entries(lists)) {
      await mkdir(join(work, 'lists', path, '..'), { recursive: true });
      await writeFile(join(work, 'lists', path), body);
      await stack.put(`suppression/${path}`, body);
    }
    const profiles = JSON.stringify({
      defaults: { suppress: ['bajas'] },
      campaigns: { Ventas: { suppress: ['no-llame-ar', 'bajas', 'sin-lista'] } },
    });
    await writeFile(join(work, 'campaigns.json'), profiles);
    await writeFile(join(work, 'lista.csv'), PARTNER_FILE);
    await stack.put('config/campaigns.json', profiles);
    const object = await stack.put('incoming/Ventas/lista.csv', PARTNER_FILE);
    await (await coldStart())(stack.eventFor(object));
    const manifest = await stack.manifestOf(object);

    const args = ['validate', join(work, 'lista.csv'), '--profiles', join(work, 'campaigns.json')];
    const dir = ['--folder', 'Ventas', '--suppression-dir', join(work, 'lists')];
    const result = await runCli([...args, ...dir, '--json']);

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const withoutVersion = (entries: { version: string }[] | undefined) =>
      entries?.map(({ version: _, ...entry }) => entry);
    expect(withoutVersion(report.suppression)).toEqual(withoutVersion(manifest?.suppression as []));
    expect(withoutVersion(report.suppression)).toEqual([
      { list: 'no-llame-ar', numbers: 3, badLines: 1, hits: 3 },
      { list: 'bajas', numbers: 1, badLines: 0, hits: 1 },
      { list: 'sin-lista', numbers: 0, badLines: 0, hits: 0 },
    ]);
    const { uploaded: _u, recentlyLoaded: _r, ...engineCounts } = manifest!.counts;
    expect(report.counts).toEqual(engineCounts);
    expect(report.rejectionCodes).toEqual(manifest?.rejectionCodes);
    expect(report.warnings.map((w: { code: string }) => w.code)).toEqual(
      manifest?.warnings?.map((w) => w.code),
    );
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^warning: The suppression list "sin-lista" has no .* in .*lists\/sin-lista\/:/,
      ),
    ]);
    expect(await readFile(join(work, 'lista.csv'), 'utf8')).toBe(PARTNER_FILE);
  });
});
