import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Claim,
  type ClaimState,
  claimObject,
  resumePlan,
  saveCheckpoint,
} from '../../../functions/pipeline/claim.js';
import { ClaimConflictError, ClaimLostError } from '../../../functions/pipeline/errors.js';
import type { RetryClock } from '../../../functions/shared/backoff.js';

const s3Mock = mockClient(S3Client);
afterEach(() => s3Mock.reset());

const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });

/** A clock that records the waits asked of it instead of waiting, drawing `draw` each time. */
function recordingClock(draw = 0.5): RetryClock & { readonly sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => 0, sleep: async (ms) => void sleeps.push(ms), random: () => draw };
}

const request = {
  bucket: 'drop',
  stateKey: 'results/Ventas/a.csv/e-abc/state.json',
  owner: 'req-2',
  source: { bucket: 'drop', key: 'incoming/Ventas/a.csv', eTag: 'abc' },
  functionTimeoutSeconds: 900,
  clock: recordingClock(),
  now: () => new Date('2025-03-14T13:30:00Z'),
};

const stored = (state: Partial<ClaimState>): ClaimState => ({
  schemaVersion: 1,
  status: 'running',
  owner: 'req-1',
  startedAt: '2025-03-14T13:20:00Z',
  updatedAt: '2025-03-14T13:20:00Z',
  attempt: 1,
  source: request.source,
  checkpoint: { uploads: [] },
  ...state,
});

/** The part of a GetObject body that reading JSON uses. */
const body = (value: unknown) =>
  ({
    transformToString: async () => JSON.stringify(value),
  }) as unknown as GetObjectCommandOutput['Body'];

describe('claimObject', () => {
  it('creates the state object only if it does not exist', async () => {
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"e1"' });
    const result = await claimObject(new S3Client({}), request);
    expect(result).toMatchObject({ kind: 'claimed', resumed: false, claim: { eTag: '"e1"' } });
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.IfNoneMatch).toBe('*');
  });

  it('skips an object another run already finished', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body(stored({ status: 'succeeded' })), ETag: '"e0"' });
    expect(await claimObject(new S3Client({}), request)).toMatchObject({ kind: 'done' });
  });

  it('leaves a running claim alone within the function timeout', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    s3Mock.on(GetObjectCommand).resolves({ Body: body(stored({})), ETag: '"e0"' });
    expect(await claimObject(new S3Client({}), request)).toMatchObject({ kind: 'busy' });
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it('takes over a stale claim with If-Match, keeping its checkpoint', async () => {
    const old = stored({
      startedAt: '2025-03-14T13:00:00Z',
      checkpoint: {
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
      },
    });
    s3Mock
      .on(PutObjectCommand)
      .rejectsOnce(s3Error('PreconditionFailed', 412))
      .resolves({ ETag: '"e2"' });
    s3Mock.on(GetObjectCommand).resolves({ Body: body(old), ETag: '"e0"' });
    const result = await claimObject(new S3Client({}), request);
    expect(result).toMatchObject({ kind: 'claimed', resumed: true });
    expect(s3Mock.commandCalls(PutObjectCommand)[1]?.args[0].input.IfMatch).toBe('"e0"');
    const claim = (result as { claim: Claim }).claim;
    expect(claim.state).toMatchObject({ owner: 'req-2', attempt: 2 });
    const plan = resumePlan(claim.state.checkpoint);
    expect([...plan.accepted]).toEqual([1]);
    expect([...plan.unknown]).toEqual([2]);
  });
});

describe('claimObject when S3 reports conflicting writes (409)', () => {
  it('retries a 409 ConditionalRequestConflict and then wins', async () => {
    s3Mock
      .on(PutObjectCommand)
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .resolves({ ETag: '"e1"' });
    const result = await claimObject(new S3Client({}), request);
    expect(result.kind).toBe('claimed');
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(3);
  });

  it('waits between 409s with capped exponential backoff and full jitter, on its clock', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    const clock = recordingClock(0.5);
    await expect(
      claimObject(new S3Client({}), { ...request, conflictAttempts: 6, clock }),
    ).rejects.toThrow(ClaimConflictError);
    // Half of each ceiling: 100 ms doubling, capped at 1 s.
    expect(clock.sleeps).toEqual([50, 100, 200, 400, 500]);
  });

  it('gives up with ClaimConflictError when 409 persists, so the message is retried later', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    await expect(
      claimObject(new S3Client({}), { ...request, conflictAttempts: 3 }),
    ).rejects.toThrow(ClaimConflictError);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(3);
  });
});

describe('saveCheckpoint', () => {
  const claim: Claim = {
    bucket: 'drop',
    stateKey: request.stateKey,
    eTag: '"e1"',
    state: stored({ owner: 'req-2' }),
  };

  it('writes with If-Match on the last ETag and returns the new one', async () => {
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"e3"' });
    const next = await saveCheckpoint(new S3Client({}), claim, { uploads: [] });
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.IfMatch).toBe('"e1"');
    expect(next.eTag).toBe('"e3"');
  });

  it('retries a 409 as the claim was made: same attempts, same clock', async () => {
    s3Mock
      .on(PutObjectCommand)
      .resolvesOnce({ ETag: '"e1"' })
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .resolves({ ETag: '"e4"' });
    const clock = recordingClock(0.5);
    const made = await claimObject(new S3Client({}), { ...request, clock, backoffMs: 40 });
    const { claim: held } = made as { claim: Claim };
    const next = await saveCheckpoint(new S3Client({}), held, { uploads: [] });
    expect(next.eTag).toBe('"e4"');
    expect(clock.sleeps).toEqual([20]);
  });

  it('throws ClaimLostError when another run took the claim over', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    await expect(saveCheckpoint(new S3Client({}), claim, { uploads: [] })).rejects.toThrow(
      ClaimLostError,
    );
  });
});
