import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../../functions/pipeline/errors.js';
import { ProfilesSource } from '../../../functions/pipeline/profiles-source.js';

const s3Mock = mockClient(S3Client);
afterEach(() => s3Mock.reset());

const body = (text: string) =>
  ({ transformToString: async () => text }) as unknown as GetObjectCommandOutput['Body'];
const s3Error = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('ProfilesSource', () => {
  it('reads the file once, then asks S3 only whether its ETag changed', async () => {
    s3Mock
      .on(GetObjectCommand)
      .resolvesOnce({ Body: body('{"strict": true}'), ETag: '"e1"', VersionId: 'v1' })
      .rejectsOnce(s3Error('NotModified', 304));
    const source = new ProfilesSource(new S3Client({}), 'config/campaigns.json');

    const first = await source.load('drop');
    const second = await source.load('drop');

    expect(first).toMatchObject({ version: 'v1', parsed: { ok: true } });
    expect(second).toBe(first);
    const asked = s3Mock.commandCalls(GetObjectCommand).map((call) => call.args[0].input);
    expect(asked).toEqual([
      { Bucket: 'drop', Key: 'config/campaigns.json' },
      { Bucket: 'drop', Key: 'config/campaigns.json', IfNoneMatch: '"e1"' },
    ]);
  });

  it('takes the ETag as the version in an unversioned bucket, and keeps a broken file broken', async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: body('{'), ETag: '"e2"', VersionId: 'null' });
    const loaded = await new ProfilesSource(new S3Client({}), 'k.json').load('drop');
    expect(loaded).toMatchObject({ version: 'e2', parsed: { ok: false } });
  });

  it('answers nothing when the bucket has no profiles file, and forgets what it had', async () => {
    s3Mock
      .on(GetObjectCommand)
      .resolvesOnce({ Body: body('{}'), ETag: '"e1"' })
      .rejectsOnce(s3Error('NoSuchKey', 404))
      .resolvesOnce({ Body: body('{}'), ETag: '"e1"' });
    const source = new ProfilesSource(new S3Client({}), 'k.json');
    await source.load('drop');
    expect(await source.load('drop')).toBeUndefined();
    await source.load('drop');
    expect(s3Mock.commandCalls(GetObjectCommand)[2]?.args[0].input.IfNoneMatch).toBeUndefined();
  });

  it('throws a StorageError, to be retried, when S3 cannot answer', async () => {
    s3Mock.on(GetObjectCommand).rejects(s3Error('InternalError', 500));
    await expect(new ProfilesSource(new S3Client({}), 'k.json').load('drop')).rejects.toThrow(
      StorageError,
    );
  });
});
