import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimObject,
  finishClaim,
  resumePlan,
  saveCheckpoint,
} from '../../functions/pipeline/claim.js';
import { ClaimLostError } from '../../functions/pipeline/errors.js';
import { type EmbeddedS3, startEmbeddedS3 } from '../../local-aws/embedded-s3.js';

const bucket = 'drop';
const stateKey = 'results/Ventas/a.csv/e-abc/state.json';
const t0 = new Date('2025-03-14T13:00:00Z');
const at = (seconds: number) => () => new Date(t0.getTime() + seconds * 1000);
const claimAs = (s3: EmbeddedS3, owner: string, now = at(0)) =>
  claimObject(s3.client(), {
    bucket,
    stateKey,
    owner,
    source: { bucket, key: 'incoming/Ventas/a.csv', eTag: 'abc' },
    functionTimeoutSeconds: 900,
    now,
  });

let s3: EmbeddedS3;
beforeEach(async () => {
  s3 = await startEmbeddedS3({ buckets: [bucket] });
});
afterEach(async () => {
  await s3.close();
});

describe('claims over the embedded S3 and its conditional-write layer', () => {
  it('lets exactly one of many concurrent deliveries win', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => claimAs(s3, `req-${i}`)));
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'busy')).toHaveLength(7);
  });

  it('skips an object whose claim is finished', async () => {
    const first = await claimAs(s3, 'req-1');
    if (first.kind !== 'claimed') throw new Error('first claim should win');
    await finishClaim(s3.client(), first.claim, 'succeeded');
    expect(await claimAs(s3, 'req-2', at(5000))).toMatchObject({
      kind: 'done',
      state: { status: 'succeeded' },
    });
  });

  it('refuses a checkpoint written with a stale ETag', async () => {
    const first = await claimAs(s3, 'req-1');
    if (first.kind !== 'claimed') throw new Error('first claim should win');
    const saved = await saveCheckpoint(s3.client(), first.claim, { uploads: [] });
    expect(saved.eTag).not.toBe(first.claim.eTag);
    await expect(saveCheckpoint(s3.client(), first.claim, { uploads: [] })).rejects.toThrow(
      ClaimLostError,
    );
  });

  it('takes a stale claim over only after the function timeout, and resumes its checkpoint', async () => {
    const first = await claimAs(s3, 'req-1');
    if (first.kind !== 'claimed') throw new Error('first claim should win');
    const crashed = await saveCheckpoint(s3.client(), first.claim, {
      uploads: [
        {
          part: 1,
          filename: 'a-1.txt',
          records: 5,
          bytes: 50,
          outcome: 'accepted',
          attempts: 1,
          durationMs: 3,
        },
      ],
      inFlight: { part: 2, filename: 'a-2.txt', records: 5, bytes: 50 },
    });

    expect(await claimAs(s3, 'req-2', at(899))).toMatchObject({ kind: 'busy' });
    const second = await claimAs(s3, 'req-3', at(901));
    expect(second).toMatchObject({
      kind: 'claimed',
      resumed: true,
      claim: { state: { owner: 'req-3' } },
    });
    if (second.kind !== 'claimed') return;
    const plan = resumePlan(second.claim.state.checkpoint);
    expect([...plan.accepted]).toEqual([1]);
    expect([...plan.unknown]).toEqual([2]);
    // The crashed run, had it survived, can no longer write.
    await expect(saveCheckpoint(s3.client(), crashed, { uploads: [] })).rejects.toThrow(
      ClaimLostError,
    );
  });

  it('passes writes without conditions through, even over an existing key', async () => {
    const client = s3.client();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.txt', Body: 'one' }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.txt', Body: 'two' }));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'plain.txt' }));
    expect(await got.Body?.transformToString()).toBe('two');
  });

  it('round-trips a streamed upload byte for byte', async () => {
    const client = s3.client();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const chunks = [data.subarray(0, 1_000_000), data.subarray(1_000_000)];
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'incoming/Ventas/big.bin',
        Body: Readable.from(chunks),
        ContentLength: data.length,
      }),
    );
    const got = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'incoming/Ventas/big.bin' }),
    );
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
  });
});
