import { text } from 'node:stream/consumers';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RejectionCode } from '../../functions/contacts/reason-codes.js';
import { ObjectChangedError, StorageError } from '../../functions/pipeline/errors.js';
import { openRejectedCsv } from '../../functions/pipeline/rejected-csv.js';
import { withObjectStream } from '../../functions/pipeline/storage.js';
import { type EmbeddedS3, startEmbeddedS3 } from '../../local-aws/embedded-s3.js';
import { withS3Faults } from './s3-faults.js';

const bucket = 'drop';
let s3: EmbeddedS3;
beforeEach(async () => {
  s3 = await startEmbeddedS3({ buckets: [bucket] });
});
afterEach(async () => {
  await s3.close();
});

const read = async (key: string) => {
  const got = await s3.client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await got.Body?.transformToString('utf-8')) ?? '';
};

const listed = async () =>
  (await s3.client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'results/' })))
    .KeyCount ?? 0;

/** Writes `rows` refused rows of about 100 bytes each; rejects as the writer does. */
async function writeRows(writer: ReturnType<typeof openRejectedCsv>, rows: number) {
  for (let line = 1; line <= rows; line++) {
    await writer.write({
      line,
      code: RejectionCode.InvalidPhone,
      message: 'the number has letters',
      original: `Ventas;09ABC${line};nombre=Ana ${line}:ciudad=Salto;;9999;`.padEnd(80, '.'),
    });
  }
}

describe('rejected.csv', () => {
  it('streams many rows in multipart parts and reads back whole', async () => {
    const writer = openRejectedCsv(s3.client(), bucket, 'results/V/a.csv/e-1/rejected.csv', {
      partBytes: 5 * 1024 * 1024,
    });
    const rows = 120_000;
    // Every 10,000th row is long (a whole line kept as refused), so rows cross part boundaries.
    const original = (line: number) =>
      `Ventas;09ABC${line};nombre=Ñandú, Ana${line % 10_000 === 0 ? 'x'.repeat(100_000) : ''};;9999;`;
    for (let line = 1; line <= rows; line++) {
      await writer.write({
        line,
        code: RejectionCode.InvalidPhone,
        message: 'the number has letters, "as typed"',
        original: original(line),
      });
    }
    const written = await writer.close();
    expect(written?.rows).toBe(rows);
    expect(written!.bytes).toBeGreaterThan(2 * 5 * 1024 * 1024);
    const csv = await read('results/V/a.csv/e-1/rejected.csv');
    expect(Buffer.byteLength(csv)).toBe(written!.bytes);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('line,code,message,original');
    expect(lines).toHaveLength(rows + 2);
    lines.slice(1, -1).forEach((text, i) => {
      const line = i + 1;
      expect(text).toBe(
        `${line},INVALID_PHONE,"the number has letters, ""as typed""","${original(line)}"`,
      );
    });
  });

  it('stops writing at its ceiling and says how many rows it holds, still counting the rest', async () => {
    const key = 'results/V/c.csv/e-1/rejected.csv';
    const writer = openRejectedCsv(s3.client(), bucket, key, { maxBytes: 20_000 });
    await writeRows(writer, 1000);
    const written = await writer.close();
    expect(written?.truncated).toBe(true);
    const csv = await read(key);
    expect(Buffer.byteLength(csv)).toBe(written!.bytes);
    expect(written!.bytes).toBeLessThanOrEqual(20_000);
    const lines = csv.split('\r\n');
    // Whole rows only, the first ones, in order.
    expect(lines).toHaveLength(written!.rows + 2);
    expect(written!.rows).toBeGreaterThan(100);
    expect(written!.rows).toBeLessThan(1000);
    expect(lines[written!.rows]).toMatch(new RegExp(`^${written!.rows},INVALID_PHONE,`));
  });

  it('writes nothing when no row was refused', async () => {
    const writer = openRejectedCsv(s3.client(), bucket, 'results/V/b.csv/e-1/rejected.csv');
    expect(await writer.close()).toBeUndefined();
    const listed = await s3
      .client()
      .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'results/' }));
    expect(listed.KeyCount ?? 0).toBe(0);
  });
});

describe('rejected.csv when the run fails', () => {
  it('leaves no object and aborts the multipart upload when abandoned after parts were sent', async () => {
    const client = withS3Faults(s3.client());
    const writer = openRejectedCsv(client, bucket, 'results/V/c.csv/e-1/rejected.csv', {
      partBytes: 5 * 1024 * 1024,
    });
    await writeRows(writer, 120_000);
    expect(client.sent.filter((name) => name === 'UploadPartCommand').length).toBeGreaterThan(0);

    await writer.abort();

    expect(await listed()).toBe(0);
    expect(client.sent).toContain('AbortMultipartUploadCommand');
    expect(client.sent).not.toContain('CompleteMultipartUploadCommand');
  });

  it('throws StorageError when S3 refuses a part, and leaves no object', async () => {
    let parts = 0;
    const client = withS3Faults(
      s3.client(),
      (name) => name === 'UploadPartCommand' && ++parts === 2,
    );
    const writer = openRejectedCsv(client, bucket, 'results/V/d.csv/e-1/rejected.csv', {
      partBytes: 5 * 1024 * 1024,
    });

    const writing = (async () => {
      await writeRows(writer, 150_000);
      return writer.close();
    })();

    await expect(writing).rejects.toThrow(StorageError);
    await writer.abort();
    expect(await listed()).toBe(0);
    expect(client.sent).toContain('AbortMultipartUploadCommand');
  });
});

describe('withObjectStream', () => {
  it('reads the version the event named', async () => {
    const put = await s3
      .client()
      .send(
        new PutObjectCommand({ Bucket: bucket, Key: 'incoming/V/a.csv', Body: 'Ventas;099123456' }),
      );
    const content = await withObjectStream(
      s3.client(),
      { bucket, key: 'incoming/V/a.csv', eTag: put.ETag?.replace(/"/g, '') },
      (body) => text(body),
    );
    expect(content).toBe('Ventas;099123456');
  });

  it('reports an object replaced after its event as changed', async () => {
    const client = s3.client();
    const first = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/V/a.csv', Body: 'one' }),
    );
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/V/a.csv', Body: 'two' }),
    );
    await expect(
      withObjectStream(client, { bucket, key: 'incoming/V/a.csv', eTag: first.ETag }, (body) =>
        text(body),
      ),
    ).rejects.toThrow(ObjectChangedError);
  });

  it('destroys the body when the consumer fails', async () => {
    const client = s3.client();
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/V/c.csv', Body: 'x'.repeat(100_000) }),
    );
    let seen: NodeJS.ReadableStream | undefined;
    await expect(
      withObjectStream(client, { bucket, key: 'incoming/V/c.csv' }, async (body) => {
        seen = body;
        throw new Error('parser broke');
      }),
    ).rejects.toThrow('parser broke');
    expect((seen as unknown as { destroyed: boolean }).destroyed).toBe(true);
  });

  it('hands the object over in pieces as they arrive, never as one buffer', async () => {
    const client = s3.client();
    const size = 4 * 1024 * 1024;
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/V/d.csv', Body: 'y'.repeat(size) }),
    );
    const pieces = await withObjectStream(
      client,
      { bucket, key: 'incoming/V/d.csv' },
      async (body) => {
        const lengths: number[] = [];
        for await (const piece of body) lengths.push((piece as Buffer).length);
        return lengths;
      },
    );
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(size);
    expect(Math.max(...pieces)).toBeLessThanOrEqual(1024 * 1024);
  });
});
