import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EmbeddedS3, startEmbeddedS3 } from '../../local-aws/embedded-s3.js';
import { putFile } from '../../local-aws/put-file.js';

const bucket = 'drop';
let s3: EmbeddedS3;
let dir: string;
beforeEach(async () => {
  s3 = await startEmbeddedS3({ buckets: [bucket] });
  dir = await mkdtemp(join(tmpdir(), 'put-file-'));
});
afterEach(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

async function stored(key: string): Promise<Uint8Array> {
  const got = await s3.client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await got.Body?.transformToByteArray()) ?? new Uint8Array();
}

describe('putFile', () => {
  it('puts a file of up to 8 MiB in one PutObject', async () => {
    const bytes = Buffer.alloc(8 * 1024 * 1024, 'a');
    const path = join(dir, 'small.txt');
    await writeFile(path, bytes);

    const put = await putFile(s3.client(), bucket, 'incoming/V/small.txt', path);

    expect(put).toMatchObject({ size: bytes.length, eventName: 'ObjectCreated:Put' });
    expect(put.eTag).toBe(`"${md5(bytes)}"`);
    expect(md5(await stored('incoming/V/small.txt'))).toBe(md5(bytes));
  });

  it('puts a larger file as a multipart upload of 8 MiB parts, read back whole', async () => {
    const bytes = Buffer.alloc(8 * 1024 * 1024 + 1, 'b');
    bytes.write('the end', bytes.length - 7);
    const path = join(dir, 'large.txt');
    await writeFile(path, bytes);

    const put = await putFile(s3.client(), bucket, 'incoming/V/large.txt', path);

    expect(put).toMatchObject({
      size: bytes.length,
      eventName: 'ObjectCreated:CompleteMultipartUpload',
    });
    expect(put.eTag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect(md5(await stored('incoming/V/large.txt'))).toBe(md5(bytes));
  });
});
