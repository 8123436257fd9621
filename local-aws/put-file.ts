import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** Parts this size keep every request under the embedded S3's 11 MiB body limit. */
const PART_BYTES = 8 * 1024 * 1024;

/** How the object was stored, as the notification reports it. */
export interface StoredFile {
  readonly size: number;
  /** Quoted, as S3 answers it (`"<md5>"`, or `"<md5>-<parts>"` for multipart). */
  readonly eTag: string;
  readonly versionId: string | undefined;
  /** `ObjectCreated:Put`, or `ObjectCreated:CompleteMultipartUpload` for a large file. */
  readonly eventName: string;
}

/**
 * Puts a local file at `key` with lib-storage's Upload: one PutObject up to 8 MiB and a multipart
 * upload above, as SFTP services and the AWS CLI do, reading the file as it goes. Throws SDK and
 * file-system errors; a started multipart upload is aborted first.
 */
export async function putFile(
  s3: S3Client,
  bucket: string,
  key: string,
  path: string,
): Promise<StoredFile> {
  const { size } = await stat(path);
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: createReadStream(path), ContentLength: size },
    partSize: PART_BYTES,
  });
  const stored = await upload.done();
  return {
    size,
    eTag: stored.ETag ?? '',
    versionId: stored.VersionId,
    // lib-storage sends one PutObject when the file is a single part.
    eventName: size > PART_BYTES ? 'ObjectCreated:CompleteMultipartUpload' : 'ObjectCreated:Put',
  };
}
