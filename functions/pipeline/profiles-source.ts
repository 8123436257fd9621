import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type ParsedProfiles, parseProfiles } from '../profiles/parse-profiles.js';
import { StorageError } from './errors.js';
import { errorCode, httpStatus } from './storage.js';

/** The profiles file as read from the bucket: checked, with the version that was read. */
export interface LoadedProfiles {
  readonly parsed: ParsedProfiles;
  /** Its S3 version id, or its ETag in an unversioned bucket. */
  readonly version: string;
  readonly where: string;
}

/** Read profiles, by bucket: another object answers 304 to the ETag it was read with. */
interface CachedProfiles {
  readonly eTag: string;
  readonly loaded: LoadedProfiles;
}

/**
 * The campaign profiles file of each bucket (PROFILES_KEY), kept while the function is warm and
 * read again only when it changed: every read asks S3 for the object unless it still has the
 * ETag read last (`If-None-Match`), so a changed file applies to the next drop, without a
 * redeploy, at the cost of one small request per file handled.
 */
export class ProfilesSource {
  private readonly cache = new Map<string, CachedProfiles>();

  constructor(
    private readonly s3: S3Client,
    private readonly key: string,
  ) {}

  /**
   * The bucket's profiles file, checked (a broken file comes back with its problems), or
   * undefined when the bucket has none. Throws StorageError when S3 cannot answer (retried).
   */
  async load(bucket: string): Promise<LoadedProfiles | undefined> {
    const cached = this.cache.get(bucket);
    const where = `s3://${bucket}/${this.key}`;
    try {
      const response = await this.s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: this.key,
          ...(cached ? { IfNoneMatch: cached.eTag } : {}),
        }),
      );
      const text = (await response.Body?.transformToString('utf-8')) ?? '';
      const eTag = response.ETag ?? '';
      const versioned = response.VersionId && response.VersionId !== 'null';
      const version = versioned ? response.VersionId! : eTag.replace(/"/g, '');
      const loaded = { parsed: parseProfiles(text), version, where };
      this.cache.set(bucket, { eTag, loaded });
      return loaded;
    } catch (error) {
      if (cached && httpStatus(error) === 304) return cached.loaded;
      if (httpStatus(error) === 404 || errorCode(error) === 'NoSuchKey') {
        this.cache.delete(bucket);
        return undefined;
      }
      throw new StorageError(`cannot read the campaign profiles at ${where}`, { cause: error });
    }
  }
}
