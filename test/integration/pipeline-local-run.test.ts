import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localReport } from '../../cli/local.js';
import { runLocal } from '../../local-aws/local-run.js';
import { expectValidManifest } from '../manifest-schema.js';
import { nativeLines } from './pipeline-stack.js';

/** What `local --json` prints as `manifests` follows the published schema. */
function expectValidManifests(result: Awaited<ReturnType<typeof runLocal>>): void {
  expect(result.manifests.length).toBeGreaterThan(0);
  for (const { manifest } of result.manifests) expectValidManifest(manifest);
}

describe('runLocal', () => {
  it('loads the sample files end to end and reports each manifest', async () => {
    const result = await runLocal();
    expectValidManifests(result);

    expect(result.manifests.map((m) => [m.manifest.source.key, m.manifest.status])).toEqual([
      ['incoming/Ventas Norte/clientes-campaña.csv', 'succeeded'],
      ['incoming/Ventas Norte/lista-nativa.csv', 'succeeded'],
    ]);
    expect(result.dialer.openSessions).toBe(0);
    expect(result.dialer.bases).toHaveLength(2);
    const report = localReport(result);
    expect(report).toContain('incoming/Ventas Norte/lista-nativa.csv: succeeded');
    expect(report).toContain('manifest: s3://ucontact-loader-drop/results/Ventas Norte/');
  });

  it('delivers a drop several times at once and uploads it once', async () => {
    const file = join(tmpdir(), `local-run-${process.pid}.csv`);
    await writeFile(file, nativeLines(30, 'Ventas Norte'));
    const result = await runLocal({
      drops: [{ file, key: 'incoming/Ventas Norte/a b+c.csv' }],
      deliver: 4,
      concurrent: true,
      env: { MAX_CHUNK_RECORDS: '10' },
    });
    expectValidManifests(result);

    expect(result.responses).toHaveLength(4);
    expect(result.dialer.calls.uploadbase).toBe(3);
    expect(result.manifests).toHaveLength(1);
    expect(result.manifests[0]?.manifest.uploads.map((u) => u.filename)).toEqual([
      'a b+c.part-001-of-003.csv',
      'a b+c.part-002-of-003.csv',
      'a b+c.part-003-of-003.csv',
    ]);
  });

  it('drops several files in order and shows what each base held, to rehearse a reload window', async () => {
    const [monday, tuesday] = ['lunes', 'martes'].map((name) =>
      join(tmpdir(), `local-run-${name}-${process.pid}.csv`),
    );
    await writeFile(monday!, nativeLines(6, 'Ventas Norte'));
    await writeFile(tuesday!, nativeLines(6, 'Ventas Norte', 3));
    const result = await runLocal({
      drops: [
        { file: monday!, key: 'incoming/Ventas Norte/lunes.csv' },
        { file: tuesday!, key: 'incoming/Ventas Norte/martes.csv' },
      ],
      env: { RELOAD_WINDOW_DAYS: '7' },
      dialerContent: true,
    });

    const byKey = Object.fromEntries(
      result.manifests.map(({ manifest }) => [manifest.source.key, manifest.counts]),
    );
    expect(byKey['incoming/Ventas Norte/martes.csv']).toMatchObject({
      uploaded: 3,
      recentlyLoaded: 3,
    });
    const mains = result.dialer.bases.flatMap((b) => b.lines!.map((line) => line.split(';')[1]));
    expect(new Set(mains).size).toBe(9);
    expect(mains).toHaveLength(9);
  });

  it('runs the same with S3 and the simulator in a child process, and reports its memory', async () => {
    const file = join(tmpdir(), `local-run-child-${process.pid}.csv`);
    await writeFile(file, nativeLines(25, 'Ventas Norte'));
    const result = await runLocal({
      drops: [{ file, key: 'incoming/Ventas Norte/lista.csv' }],
      env: { MAX_CHUNK_RECORDS: '10' },
      standInsProcess: true,
    });
    expectValidManifests(result);

    expect(result.manifests.map((m) => m.manifest.status)).toEqual(['succeeded']);
    expect(result.dialer.bases.map((b) => b.records)).toEqual([10, 10, 5]);
    // The state crossed a process as JSON: no base ended with a line break.
    expect(result.dialer.bases.map((b) => [b.emptyLastRecord, b.cantMatches])).toEqual([
      [false, true],
      [false, true],
      [false, true],
    ]);
    expect(result.dialer.openSessions).toBe(0);
    expect(result.standInsMaxRssKiB).toBeGreaterThan(0);
    expect(result.timings.deliverMs).toBeGreaterThan(0);
  });
});
