import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { BUCKET, type PipelineStack, startPipelineStack } from './pipeline-stack.js';

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
});
