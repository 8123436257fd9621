import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rejection } from '../../../functions/contacts/contact.js';
import { UnusableFileError } from '../../../functions/contacts/errors.js';
import { DEFAULT_ENGINE_OPTIONS } from '../../../functions/contacts/options.js';
import { planUpload } from '../../../functions/pipeline/plan-upload.js';

const engine = { ...DEFAULT_ENGINE_OPTIONS, campaign: 'Ventas', sourceName: 'lista.csv' };
const ceilings = { maxRequestBytes: 1024 * 1024, maxRecords: 4 };

async function* source(text: string) {
  yield Buffer.from(text);
}

function lines(count: number): string {
  return Array.from({ length: count }, (_, i) => `Ventas;09${100000 + i}1;n=${i};;9999;\n`).join(
    '',
  );
}

describe('planUpload', () => {
  it('cuts accepted lines into named chunks whose text reads back from the spool', async () => {
    const plan = await planUpload(source(lines(10)), { engine, ceilings });
    try {
      expect(plan.chunks.map((c) => [c.part, c.filename, c.records])).toEqual([
        [1, 'lista.part-001-of-003.csv', 4],
        [2, 'lista.part-002-of-003.csv', 4],
        [3, 'lista.part-003-of-003.csv', 2],
      ]);
      const texts = await Promise.all(plan.chunks.map((c) => plan.readChunk(c)));
      // Each chunk's lines, with no line break after the last.
      const all = lines(10).split('\n');
      const expected = [all.slice(0, 4), all.slice(4, 8), all.slice(8, 10)].map((group) =>
        group.join('\n'),
      );
      expect(texts.map((text) => text.toString('utf8'))).toEqual(expected);
      expect(plan.chunks.map((c) => c.bytes)).toEqual(expected.map((t) => Buffer.byteLength(t)));
      const bases = [];
      for await (const base of plan.bases('Ventas', { chunks: plan.chunks.slice(2) }))
        bases.push(base);
      expect(bases).toMatchObject([{ part: 3, records: 2, campaign: 'Ventas', content: texts[2] }]);
    } finally {
      await plan.remove();
    }
  });

  it('names a single chunk after the source file', async () => {
    const plan = await planUpload(source(lines(3)), { engine, ceilings });
    await plan.remove();
    expect(plan.chunks.map((c) => c.filename)).toEqual(['lista.csv']);
  });

  it('streams every rejection but keeps only the first ones in memory', async () => {
    const seen: Rejection[] = [];
    const text = `${lines(2)}Ventas;;;;9999;\nVentas;;;;9999;\nVentas;;;;9999;\n`;
    const plan = await planUpload(source(text), {
      engine,
      ceilings,
      maxRejections: 2,
      onRejection: (r) => {
        seen.push(r);
      },
    });
    await plan.remove();
    expect(seen.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(plan.rejections.map((r) => r.line)).toEqual([3, 4]);
    expect(plan.summary.counts).toMatchObject({ accepted: 2, rejected: 3 });
  });

  it('leaves no spool behind when the file is unusable, nor after remove()', async () => {
    const spoolDir = await mkdtemp(join(tmpdir(), 'plan-test-'));
    await expect(
      planUpload(source('\0\0\0\0binary\0\0\0'.repeat(100)), { engine, ceilings, spoolDir }),
    ).rejects.toThrow(UnusableFileError);
    expect(await readdir(spoolDir)).toEqual([]);

    const plan = await planUpload(source(lines(3)), { engine, ceilings, spoolDir });
    expect(await readdir(spoolDir)).toHaveLength(1);
    await plan.remove();
    expect(await readdir(spoolDir)).toEqual([]);
    expect(existsSync(spoolDir)).toBe(true);
  });
});
