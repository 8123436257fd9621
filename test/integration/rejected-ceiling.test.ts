import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUCKET, nativeLines, type PipelineStack, startPipelineStack } from './pipeline-stack.js';

let stack: PipelineStack;
beforeEach(async () => {
  stack = await startPipelineStack();
});
afterEach(async () => {
  await stack.close();
});

const CEILING = 20_000;
const REFUSED = 2_000;

/** Three good lines, then REFUSED lines whose number is not a phone (about 150 bytes each in rejected.csv). */
function fileWithManyRefusedRows(): string {
  let bad = '';
  for (let i = 0; i < REFUSED; i++)
    bad += `Ventas;sin numero ${i};nombre=Refused row ${i};;9999;\n`;
  return nativeLines(3) + bad;
}

describe('the rejected.csv ceiling', () => {
  it('writes the first refused rows up to REJECTED_CSV_MAX_BYTES and says in the manifest it was cut', async () => {
    const object = await stack.put('incoming/Ventas/muchos-errores.csv', fileWithManyRefusedRows());
    const handler = stack.handler({ REJECTED_CSV_MAX_BYTES: String(CEILING) });

    expect((await handler(stack.eventFor(object))).batchItemFailures).toEqual([]);

    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({
      status: 'succeeded',
      counts: { accepted: 3, rejected: REFUSED },
    });
    const got = await stack.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: manifest!.rejectedFile! }),
    );
    const bytes = await got.Body!.transformToByteArray();
    expect(bytes.length).toBeLessThanOrEqual(CEILING);
    const rows = parse(Buffer.from(bytes).toString('utf8')) as string[][];
    const written = rows.length - 1;
    // Cut between whole rows, near the ceiling: the first refused rows, in file order.
    expect(written).toBeGreaterThan(CEILING / 200);
    expect(written).toBeLessThan(REFUSED);
    expect(manifest?.rejectedFileTruncated).toEqual({ rowsWritten: written });
    expect(rows.slice(1).map((cells) => cells[0])).toEqual(
      Array.from({ length: written }, (_, i) => String(4 + i)),
    );
    expect(stack.simulator.state().bases.map((base) => base.records)).toEqual([3]);
  });

  it('keeps every refused row under the default ceiling', async () => {
    const object = await stack.put('incoming/Ventas/muchos-errores.csv', fileWithManyRefusedRows());

    await stack.handler()(stack.eventFor(object));

    const manifest = await stack.manifestOf(object);
    expect(manifest?.rejectedFileTruncated).toBeNull();
    const got = await stack.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: manifest!.rejectedFile! }),
    );
    const rows = parse(await got.Body!.transformToString('utf-8')) as string[][];
    expect(rows.length - 1).toBe(REFUSED);
  });
});
