import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../functions/pipeline/manifest.js';
import { headObject } from '../../functions/pipeline/storage.js';
import { nextSequencer } from '../../local-aws/s3-event.js';
import { BUCKET, nativeLines, type PipelineStack, startPipelineStack } from './pipeline-stack.js';
import { runCli } from './run-cli.js';

/** The CLI runs in a child process under load: seconds to start, more to wait for a result. */
const SLOW = 180_000;

let stack: PipelineStack;
let work: string;
let stopDelivering: (() => Promise<void>) | undefined;

beforeAll(async () => {
  stack = await startPipelineStack();
  work = await mkdtemp(join(tmpdir(), 'drop-results-'));
});

afterAll(async () => {
  await stack?.close();
  await rm(work, { recursive: true, force: true });
});

afterEach(async () => {
  await stopDelivering?.();
  stopDelivering = undefined;
});

/**
 * Does what the bucket's notification and Lambda's event source do for a deployed stack: each
 * new object under incoming/ is delivered to the function, as the event S3 would send.
 */
function deliverDrops(): void {
  const seen = new Set<string>();
  const handle = stack.handler();
  let running = true;
  const loop = (async () => {
    while (running) {
      const page = await stack.client.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'incoming/' }),
      );
      for (const item of page.Contents ?? []) {
        const id = `${item.Key} ${item.ETag}`;
        if (seen.has(id) || !item.Key) continue;
        seen.add(id);
        const head = await headObject(stack.client, BUCKET, item.Key);
        if (!head) continue;
        const object = {
          bucket: BUCKET,
          key: item.Key,
          size: head.size,
          eTag: (head.eTag ?? '').replace(/"/g, ''),
          ...(head.versionId && head.versionId !== 'null' ? { versionId: head.versionId } : {}),
          sequencer: nextSequencer(),
        };
        await handle(stack.eventFor(object));
      }
      await sleep(100);
    }
  })();
  stopDelivering = async () => {
    running = false;
    await loop;
  };
}

/** Runs the real CLI against the embedded S3, with credentials as the SDK finds them. */
const run = (args: string[]) =>
  runCli(args, {
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_PROFILE: undefined,
  });

const target = () => ['--bucket', BUCKET, '--endpoint-url', stack.s3.endpoint];

async function contactFile(name: string, text: string): Promise<string> {
  const path = join(work, name);
  await writeFile(path, text);
  return path;
}

async function incomingKeys(): Promise<string[]> {
  const page = await stack.client.send(
    new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'incoming/' }),
  );
  return (page.Contents ?? []).map((item) => item.Key ?? '');
}

async function objectText(key: string): Promise<string> {
  const response = await stack.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await response.Body?.transformToString('utf-8')) ?? '';
}

describe('ucontact-loader drop', () => {
  it(
    'uploads to incoming/<folder>/<name>, waits for the function and prints its result',
    async () => {
      deliverDrops();
      const file = await contactFile(
        'lista.csv',
        `${nativeLines(5, 'Ventas')}Ventas;12;nombre=corto;;9999;\n`,
      );
      const result = await run(['drop', file, '--folder', 'Ventas', '--wait', ...target()]);
      expect(result.stderr).toContain('5 can be loaded, 1 refused');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('incoming/Ventas/lista.csv: succeeded');
      expect(result.stdout).toContain('1 refused');
      expect(result.stdout).toMatch(
        /manifest: s3:\/\/drop\/results\/Ventas\/lista\.csv\/[ev]-[^/]+\/manifest\.json/,
      );
      const loaded = stack.simulator.state().bases.filter((b) => b.filename === 'lista.csv');
      expect(loaded.map((b) => b.records)).toEqual([5]);
    },
    SLOW,
  );

  it(
    'prints the manifest with --json and exits 1 when the file did not succeed',
    async () => {
      deliverDrops();
      stack.simulator.addFault('uploadbase:zero');
      const file = await contactFile('rechazo.csv', nativeLines(3, 'Norte', 100));
      const result = await run([
        'drop',
        file,
        '--folder',
        'Norte',
        '--wait',
        '--json',
        ...target(),
      ]);
      expect(result.code).toBe(1);
      const manifest = JSON.parse(result.stdout) as Manifest;
      expect(manifest.status).toBe('failed');
      expect(manifest.source.key).toBe('incoming/Norte/rechazo.csv');
      expect(manifest.uploads.map((u) => u.outcome)).toEqual(['failed']);
    },
    SLOW,
  );

  it(
    'uploads nothing when nothing in the file can be loaded, unless --force',
    async () => {
      deliverDrops();
      const file = await contactFile('vacia.csv', 'Norte;12;;;9999;\nNorte;abc;;;9999;\n');
      const refused = await run(['drop', file, '--folder', 'Norte', ...target()]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /nothing in .*vacia\.csv can be loaded, so nothing was uploaded/,
      );
      expect(await incomingKeys()).not.toContain('incoming/Norte/vacia.csv');

      const forced = await run([
        'drop',
        file,
        '--folder',
        'Norte',
        '--force',
        '--wait',
        ...target(),
      ]);
      expect(forced.code).toBe(1);
      expect(forced.stdout).toContain('incoming/Norte/vacia.csv: rejected');
      // The check before the upload reads the file as the function does: the same verdict.
      const code = /refused \(([A-Z_]+)\)/.exec(refused.stderr)?.[1];
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(forced.stdout).toContain(`error: ${code}: `);
    },
    SLOW,
  );

  it(
    'gives up after --timeout when no result comes, saying where it will be',
    async () => {
      const file = await contactFile('espera.csv', nativeLines(2, 'Sur'));
      const result = await run([
        'drop',
        file,
        '--folder',
        'Sur',
        '--wait',
        '--timeout',
        '2s',
        ...target(),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /no final result after the timeout \(no result yet\); it will be at s3:\/\/drop\/results\/Sur\/espera\.csv\//,
      );
      expect(await incomingKeys()).toContain('incoming/Sur/espera.csv');
    },
    SLOW,
  );

  it(
    'refuses a name the bucket does not load, and a folder the dialer cannot take',
    async () => {
      const file = await contactFile('lista.CSV', nativeLines(1));
      const name = await run(['drop', file, '--folder', 'Ventas', ...target()]);
      expect(name.code).toBe(2);
      expect(name.stderr).toMatch(/^error: only names ending in \.csv, \.txt, \.csv\.gz, \.xlsx/);
      const good = await contactFile('ok.csv', nativeLines(1));
      const folder = await run(['drop', good, '--folder', 'Ven;tas', ...target()]);
      expect(folder.code).toBe(2);
      expect(folder.stderr).toMatch(/^error: --folder: /);
    },
    SLOW,
  );
});

describe('ucontact-loader results', () => {
  it(
    'lists the results newest first, filtered by folder, status and age',
    async () => {
      const listed = await run(['results', ...target()]);
      expect(listed.code).toBe(0);
      const rows = listed.stdout.trim().split('\n');
      expect(rows[0]).toMatch(
        /^finished \(UTC\)\s+folder\s+file\s+status\s+accepted\/refused\/uploaded\s+unknown$/,
      );
      // Newest first: the forced drop came after the failed one, which came after the first.
      const files = rows.slice(1).map((row) => row.split(/\s{2,}/)[2]);
      expect(files).toEqual(['vacia.csv', 'rechazo.csv', 'lista.csv']);
      expect(rows[3]).toMatch(/\s5\/1\/5\s+0$/);

      const norte = await run([
        'results',
        '--folder',
        'Norte',
        '--status',
        'failed,partial',
        ...target(),
      ]);
      expect(
        norte.stdout
          .trim()
          .split('\n')
          .slice(1)
          .map((row) => row.split(/\s{2,}/)[2]),
      ).toEqual(['rechazo.csv']);
      const json = await run(['results', '--status', 'rejected', '--json', ...target()]);
      const { manifests } = JSON.parse(json.stdout) as { manifests: Manifest[] };
      expect(manifests.map((m) => [m.source.key, m.status])).toEqual([
        ['incoming/Norte/vacia.csv', 'rejected'],
      ]);
      await sleep(2_000);
      const none = await run(['results', '--since', '1s', ...target()]);
      expect(none.stdout).toBe('No result matches.\n');
      const bad = await run(['results', '--status', 'lost', ...target()]);
      expect(bad.code).toBe(2);
    },
    SLOW,
  );

  it(
    "shows one file's outcome from its dropped key or its manifest key, and downloads its refused rows",
    async () => {
      const byKey = await run(['results', 'show', 'incoming/Ventas/lista.csv', ...target()]);
      expect(byKey.code).toBe(0);
      expect(byKey.stdout).toContain('incoming/Ventas/lista.csv: succeeded');
      expect(byKey.stdout).toMatch(/line 6: INVALID_PHONE: /);
      const manifestKey = /manifest: s3:\/\/drop\/(\S+)/.exec(byKey.stdout)![1]!;

      const csv = join(work, 'rechazados.csv');
      const byManifest = await run([
        'results',
        'show',
        `s3://${BUCKET}/${manifestKey}`,
        '--rejected',
        csv,
        '--endpoint-url',
        stack.s3.endpoint,
        '--json',
      ]);
      expect(byManifest.code).toBe(0);
      const manifest = JSON.parse(byManifest.stdout) as Manifest;
      expect(await readFile(csv, 'utf8')).toBe(await objectText(manifest.rejectedFile!));
      expect(await readFile(csv, 'utf8')).toMatch(
        /^line,code,message,original\r?\n6,INVALID_PHONE,/,
      );
    },
    SLOW,
  );

  it(
    'downloads the page beside the manifest with --html, and says so when there is none',
    async () => {
      const page = join(work, 'report.html');
      const showPage = () =>
        run(['results', 'show', 'incoming/Ventas/lista.csv', '--html', page, ...target()]);
      const missing = await showPage();
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /^error: there is no report\.html beside s3:\/\/drop\/results\/Ventas\/lista\.csv\//,
      );

      const manifestKey = /manifest: s3:\/\/drop\/(\S+)/.exec(
        (await run(['results', 'show', 'incoming/Ventas/lista.csv', ...target()])).stdout,
      )![1]!;
      const html = '<!doctype html><title>lista.csv</title><p>succeeded</p>\n';
      await stack.client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: manifestKey.replace(/manifest\.json$/, 'report.html'),
          Body: html,
        }),
      );
      const found = await showPage();
      expect(found.code).toBe(0);
      expect(await readFile(page, 'utf8')).toBe(html);
    },
    SLOW,
  );

  it(
    'says in one line when the bucket does not exist',
    async () => {
      const result = await run([
        'results',
        '--bucket',
        'no-such-bucket',
        '--endpoint-url',
        stack.s3.endpoint,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^error: listing s3:\/\/no-such-bucket\/results\/: the bucket does not exist\n$/,
      );
    },
    SLOW,
  );
});
