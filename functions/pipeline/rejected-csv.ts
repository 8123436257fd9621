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
/** Grown by doubling up to a part's size: most files refuse few rows. */
const FIRST_BUFFER_BYTES = 64 * 1024;
/** Room past a part's size for the row that crosses it (a longer row grows the buffer once). */
const ROW_ROOM_BYTES = 64 * 1024;
const CONTENT_TYPE = 'text/csv; charset=utf-8';

export interface RejectedCsvWriter {
  /**
   * Buffers the row; returns a promise only when a part is being uploaded, which the caller
   * awaits for backpressure (a promise per row would cost an await per refused row).
   */
  write(rejection: Rejection): void | Promise<void>;
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
  // Rows are written into one buffer that every part reuses (a part is sent before the next row
  // is written): no buffer per row and no joined copy per part, 16 MB less at the peak of a
  // file with millions of rows (bench/RESULTS.md).
  let part = Buffer.allocUnsafe(FIRST_BUFFER_BYTES);
  let used = part.write(REJECTED_CSV_HEADER, 0, 'utf8');
  let rows = 0;
  let bytes = used;
  let uploadId: string | undefined;
  const parts: CompletedPart[] = [];
  const where = `s3://${bucket}/${key}`;

  /** Makes room for `size` more bytes, keeping what the buffer holds. */
  const makeRoom = (size: number) => {
    if (used + size <= part.length) return;
    // A part is sent once it passes partBytes: room for one more row beyond it is enough.
    const most = partBytes + ROW_ROOM_BYTES;
    let capacity = part.length;
    while (capacity < used + size && capacity < most) capacity = Math.min(capacity * 2, most);
    capacity = Math.max(capacity, used + size);
    const larger = Buffer.allocUnsafe(capacity);
    part.copy(larger, 0, 0, used);
    part = larger;
  };

  const abort = async () => {
    if (!uploadId) return;
    const id = uploadId;
    uploadId = undefined;
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id }))
      .catch(() => undefined);
  };

  const flushPart = async () => {
    const body = part.subarray(0, used);
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
      used = 0;
    } catch (error) {
      await abort();
      throw new StorageError(`cannot write ${where}`, { cause: error });
    }
  };

  return {
    write(rejection) {
      const row = rejectedCsvRow(rejection);
      const size = Buffer.byteLength(row);
      makeRoom(size);
      used += part.write(row, used, 'utf8');
      bytes += size;
      rows++;
      return used >= partBytes ? flushPart() : undefined;
    },

    async close() {
      if (rows === 0) return undefined;
      if (!uploadId) {
        const body = part.subarray(0, used);
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
      if (used > 0) await flushPart();
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
