import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ObjectChangedError, StorageError } from './errors.js';

/** Conditions S3 checks before a write: create only (`ifNoneMatch: '*'`) or replace this ETag. */
export interface WriteConditions {
  readonly ifNoneMatch?: '*';
  readonly ifMatch?: string;
}

export interface ObjectHead {
  readonly size: number;
  readonly eTag: string | undefined;
  readonly versionId: string | undefined;
}

/** The HTTP status of an SDK error, or undefined for network failures. */
export function httpStatus(error: unknown): number | undefined {
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode;
}

/** The S3 error code (`PreconditionFailed`, `ConditionalRequestConflict`, `NoSuchKey`...). */
export function errorCode(error: unknown): string | undefined {
  const named = error as { name?: unknown; Code?: unknown } | null;
  if (typeof named?.Code === 'string') return named.Code;
  return typeof named?.name === 'string' ? named.name : undefined;
}

const isMissing = (error: unknown) =>
  httpStatus(error) === 404 || errorCode(error) === 'NoSuchKey' || errorCode(error) === 'NotFound';

/**
 * Opens an object version for reading and hands its body to `consume`; the body is destroyed
 * afterwards whatever happens, so no socket stays held. Pins the read to `versionId`, or to
 * `eTag` when unversioned. Throws ObjectChangedError when that version is gone or replaced,
 * StorageError for other failures, and whatever `consume` throws.
 */
export async function withObjectStream<T>(
  s3: S3Client,
  object: {
    readonly bucket: string;
    readonly key: string;
    readonly versionId?: string | undefined;
    readonly eTag?: string | undefined;
  },
  consume: (body: Readable, head: ObjectHead) => Promise<T>,
): Promise<T> {
  const where = `s3://${object.bucket}/${object.key}`;
  let response: GetObjectCommandOutput;
  try {
    response = await s3.send(
      new GetObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        ...(object.versionId ? { VersionId: object.versionId } : {}),
        ...(!object.versionId && object.eTag ? { IfMatch: quoteETag(object.eTag) } : {}),
      }),
    );
  } catch (error) {
    if (httpStatus(error) === 412 || isMissing(error)) {
      throw new ObjectChangedError(`${where} was replaced or deleted after the upload event`, {
        cause: error,
      });
    }
    throw new StorageError(`cannot read ${where}`, { cause: error });
  }
  const body = response.Body as unknown as Readable | undefined;
  if (!body || typeof body.pipe !== 'function') {
    throw new StorageError(`${where} returned no readable body`);
  }
  try {
    return await consume(body, {
      size: response.ContentLength ?? 0,
      eTag: response.ETag,
      versionId: response.VersionId,
    });
  } finally {
    body.destroy();
  }
}

/** S3 compares quoted ETags; events carry them bare. */
export function quoteETag(eTag: string): string {
  return eTag.startsWith('"') ? eTag : `"${eTag}"`;
}

/** Reads an object's size, ETag and version. Returns undefined when it does not exist. */
export async function headObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<ObjectHead | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: head.ContentLength ?? 0, eTag: head.ETag, versionId: head.VersionId };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new StorageError(`cannot read s3://${bucket}/${key}`, { cause: error });
  }
}

/** Reads a small JSON object with its ETag. Returns undefined when it does not exist. */
export async function getJson<T>(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ value: T; eTag: string } | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await response.Body?.transformToString('utf-8')) ?? '';
    return { value: JSON.parse(text) as T, eTag: response.ETag ?? '' };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new StorageError(`cannot read JSON at s3://${bucket}/${key}`, { cause: error });
  }
}

/** Reads a whole (small) object's bytes. Returns undefined when it does not exist. */
export async function getBytes(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<Buffer | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await response.Body?.transformToByteArray();
    return Buffer.from(bytes ?? []);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new StorageError(`cannot read s3://${bucket}/${key}`, { cause: error });
  }
}

/** An object a listing found. */
export interface ListedObject {
  readonly key: string;
  readonly lastModified: Date | undefined;
}

/** Every object under `prefix`, page after page. Throws StorageError when S3 cannot list. */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<ListedObject[]> {
  const listed: ListedObject[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key) listed.push({ key: item.Key, lastModified: item.LastModified });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (error) {
    throw new StorageError(`cannot list s3://${bucket}/${prefix}`, { cause: error });
  }
  return listed;
}

/** Deletes an object; deleting one that is gone succeeds. Throws StorageError otherwise. */
export async function deleteObject(s3: S3Client, bucket: string, key: string): Promise<void> {
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isMissing(error)) return;
    throw new StorageError(`cannot delete s3://${bucket}/${key}`, { cause: error });
  }
}

/**
 * Writes a text object, optionally only if S3's preconditions hold; returns the new ETag.
 * SDK errors (412 PreconditionFailed, 409 ConditionalRequestConflict...) are thrown unchanged so
 * callers can tell them apart with `httpStatus`.
 */
export async function putText(
  s3: S3Client,
  bucket: string,
  key: string,
  text: string | Uint8Array,
  contentType: string,
  conditions: WriteConditions = {},
): Promise<string> {
  const input: PutObjectCommandInput = {
    Bucket: bucket,
    Key: key,
    Body: text,
    ContentType: contentType,
    ...(conditions.ifNoneMatch ? { IfNoneMatch: conditions.ifNoneMatch } : {}),
    ...(conditions.ifMatch ? { IfMatch: quoteETag(conditions.ifMatch) } : {}),
  };
  const response = await s3.send(new PutObjectCommand(input));
  return response.ETag ?? '';
}

/** Writes a JSON object (pretty-printed: operators read these); see putText for errors. */
export function putJson(
  s3: S3Client,
  bucket: string,
  key: string,
  value: unknown,
  conditions: WriteConditions = {},
): Promise<string> {
  return putText(
    s3,
    bucket,
    key,
    `${JSON.stringify(value, null, 2)}\n`,
    'application/json',
    conditions,
  );
}
