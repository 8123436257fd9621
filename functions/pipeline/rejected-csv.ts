import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Rejection } from '../contacts/contact.js';
import { REJECTED_CSV_HEADER, rejectedCsvRow } from '../contacts/rejected-rows-csv.js';
import { StorageError } from './errors.js';

/** S3's smallest part (but the last); bigger parts mean fewer requests for millions of rows. */
const DEFAULT_PART_BYTES = 8 * 1024 * 1024;
const MIN_PART_BYTES = 5 * 1024 * 1024;
const CONTENT_TYPE = 'text/csv; charset=utf-8';

export interface RejectedCsvWriter {
  /** Resolves once the row is buffered or its part uploaded: await it for backpressure. */
  write(rejection: Rejection): Promise<void>;
  /** Finishes the object; writes nothing and returns undefined when no row was written. */
  close(): Promise<{ key: string; rows: number; bytes: number } | undefined>;
  /** Drops a started multipart upload (call when the run fails before close). Never throws. */
  abort(): Promise<void>;
}

/**
 * Streams rejected.csv (line, code, message, original; RFC 4180) to S3 in multipart parts, so
 * memory stays bounded however many rows a file refuses. Small files are one PutObject.
 * write/close throw StorageError when S3 refuses a part; the multipart upload is then aborted.
 */
export function openRejectedCsv(
  s3: S3Client,
  bucket: string,
  key: string,
  options: { partBytes?: number } = {},
): RejectedCsvWriter {
  const partBytes = Math.max(options.partBytes ?? DEFAULT_PART_BYTES, MIN_PART_BYTES);
  let pending: Buffer[] = [Buffer.from(REJECTED_CSV_HEADER)];
  let pendingBytes = pending[0]!.length;
  let rows = 0;
  let bytes = pendingBytes;
  let uploadId: string | undefined;
  const parts: CompletedPart[] = [];
  const where = `s3://${bucket}/${key}`;

  const abort = async () => {
    if (!uploadId) return;
    const id = uploadId;
    uploadId = undefined;
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id }))
      .catch(() => undefined);
  };

  const flushPart = async () => {
    const body = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    try {
      if (!uploadId) {
        const created = await s3.send(
          new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: CONTENT_TYPE }),
        );
        uploadId = created.UploadId;
      }
      const PartNumber = parts.length + 1;
      const uploaded = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber,
          Body: body,
          ContentLength: body.length,
        }),
      );
      parts.push({ PartNumber, ETag: uploaded.ETag });
    } catch (error) {
      await abort();
      throw new StorageError(`cannot write ${where}`, { cause: error });
    }
  };

  return {
    async write(rejection) {
      const row = Buffer.from(rejectedCsvRow(rejection));
      pending.push(row);
      pendingBytes += row.length;
      bytes += row.length;
      rows++;
      if (pendingBytes >= partBytes) await flushPart();
    },

    async close() {
      if (rows === 0) return undefined;
      if (!uploadId) {
        const body = Buffer.concat(pending, pendingBytes);
        try {
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: body,
              ContentType: CONTENT_TYPE,
            }),
          );
        } catch (error) {
          throw new StorageError(`cannot write ${where}`, { cause: error });
        }
        return { key, rows, bytes };
      }
      if (pendingBytes > 0) await flushPart();
      try {
        await s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
      } catch (error) {
        await abort();
        throw new StorageError(`cannot write ${where}`, { cause: error });
      }
      uploadId = undefined;
      return { key, rows, bytes };
    },

    abort,
  };
}
