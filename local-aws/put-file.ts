import { open } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

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
 * Puts a local file at `key`, in one PutObject up to 8 MiB and as a multipart upload above, as
 * SFTP services and the AWS CLI do, reading one part at a time. Throws SDK and file-system
 * errors; a started multipart upload is aborted first.
 */
export async function putFile(
  s3: S3Client,
  bucket: string,
  key: string,
  path: string,
): Promise<StoredFile> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size <= PART_BYTES) {
      const body = await file.readFile();
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      return {
        size,
        eTag: put.ETag ?? '',
        versionId: put.VersionId,
        eventName: 'ObjectCreated:Put',
      };
    }
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const UploadId = created.UploadId;
    const parts: CompletedPart[] = [];
    try {
      for (let offset = 0; offset < size; offset += PART_BYTES) {
        const body = Buffer.alloc(Math.min(PART_BYTES, size - offset));
        await file.read(body, 0, body.length, offset);
        const PartNumber = parts.length + 1;
        const part = await s3.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber, Body: body }),
        );
        parts.push({ PartNumber, ETag: part.ETag });
      }
      const done = await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      return {
        size,
        eTag: done.ETag ?? '',
        versionId: done.VersionId,
        eventName: 'ObjectCreated:CompleteMultipartUpload',
      };
    } catch (error) {
      await s3
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }))
        .catch(() => undefined);
      throw error;
    }
  } finally {
    await file.close();
  }
}
