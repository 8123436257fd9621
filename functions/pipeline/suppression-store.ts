import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CompiledListError, UnusableFileError } from '../contacts/errors.js';
import { readListSource } from '../contacts/read-suppression-list.js';
import {
  COMPILED_FORMAT_VERSION,
  type PhoneRules,
  SuppressionList,
  SuppressionListBuilder,
} from '../contacts/suppression-list.js';
import { type NamedSuppressionList, SuppressionSet } from '../contacts/suppression-set.js';
import { ErrorEnding, PipelineErrorCode, StorageError } from './errors.js';
import { errorCode, httpStatus, withObjectStream } from './storage.js';
import {
  COMPILED_SUPPRESSION_PREFIX,
  LIST_SOURCE,
  SUPPRESSION_PREFIX,
} from './suppression-keys.js';

const HASH_HEX = 16;

/** One object of a list, as listed. */
interface ListObject {
  readonly key: string;
  readonly eTag: string;
}

/** A compiled list in memory, with what it was compiled from. */
interface WarmList {
  readonly cacheKey: string;
  readonly entry: NamedSuppressionList;
}

/** Where the store says what it compiled or could not keep (the pipeline's logger fits). */
export interface SuppressionLogger {
  info(message: string, extra?: Readonly<Record<string, unknown>>): void;
  warn(message: string, extra?: Readonly<Record<string, unknown>>): void;
}

export interface SuppressionStoreOptions {
  /** Where compiled lists are kept between runs of a warm function; default the system's. */
  readonly tempDir?: string | undefined;
  readonly logger?: SuppressionLogger | undefined;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_HEX);
}

/**
 * Reads suppression lists from `suppression/<list>/` in the bucket, compiled once per version of
 * their objects and phone rules: in memory and in the temporary directory while the function is
 * warm, and under `state/suppression/<list>/` in the bucket for later cold starts.
 */
export class SuppressionStore {
  private readonly warm = new Map<string, WarmList>();
  private readonly tempDir: string;

  constructor(
    private readonly s3: S3Client,
    private readonly options: SuppressionStoreOptions = {},
  ) {
    this.tempDir = join(options.tempDir ?? tmpdir(), 'ucontact-suppression');
  }

  /**
   * The names of every list in the bucket (the first-level folders under `suppression/`), in
   * name order: what applies to every campaign when no profile says otherwise. Throws
   * StorageError when the bucket cannot be listed.
   */
  async listNames(bucket: string): Promise<string[]> {
    const names: string[] = [];
    for await (const page of this.pages(bucket, SUPPRESSION_PREFIX, '/')) {
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(SUPPRESSION_PREFIX.length, -1);
        if (name) names.push(name);
      }
    }
    return names.sort();
  }

  /**
   * The lists a file is scrubbed against: those `names` gives, or every list in the bucket when
   * it gives none (undefined); undefined when that is no list at all. Throws as `load`.
   */
  async forFile(
    bucket: string,
    rules: PhoneRules,
    names?: readonly string[],
  ): Promise<SuppressionSet | undefined> {
    const applied = names ?? (await this.listNames(bucket));
    return applied.length === 0 ? undefined : this.load(bucket, applied, rules);
  }

  /**
   * The lists named, compiled under `rules`, in the order given (a list without objects holds
   * no number: logged as a warning, and its entry says `sources: 0`). Throws StorageError
   * (retried) when S3 fails or a list changes while it is read, and SuppressionListError (final)
   * when a list's object cannot be read as a list at all.
   */
  async load(bucket: string, names: readonly string[], rules: PhoneRules): Promise<SuppressionSet> {
    const lists: NamedSuppressionList[] = [];
    for (const name of names) lists.push(await this.loadList(bucket, name, rules));
    return new SuppressionSet(lists);
  }

  private async loadList(
    bucket: string,
    name: string,
    rules: PhoneRules,
  ): Promise<NamedSuppressionList> {
    const objects = await this.sources(bucket, name);
    if (objects.length === 0) {
      this.options.logger?.warn('a suppression list to apply has no object: it holds no number', {
        list: name,
        prefix: `${SUPPRESSION_PREFIX}${name}/`,
      });
    }
    const version = sha(objects.map((o) => `${o.key}\n${o.eTag}`).join('\n'));
    const cacheKey = sha(
      `${COMPILED_FORMAT_VERSION}\n${version}\n${rules.phonePrefix}\n${rules.minPhoneDigits}\n${rules.maxPhoneDigits}`,
    );
    const warm = this.warm.get(name);
    if (warm?.cacheKey === cacheKey) return warm.entry;
    // The list's older version goes before the new one is loaded: one copy in memory at a time.
    this.warm.delete(name);
    const list =
      (await this.fromTemp(name, cacheKey, rules)) ??
      (await this.fromBucket(bucket, name, cacheKey, rules)) ??
      (await this.compile(bucket, name, objects, cacheKey, rules));
    const entry = { name, version, list, sources: objects.length };
    this.warm.set(name, { cacheKey, entry });
    return entry;
  }

  /** The list's source objects, in key order. */
  private async sources(bucket: string, name: string): Promise<ListObject[]> {
    const objects: ListObject[] = [];
    for await (const page of this.pages(bucket, `${SUPPRESSION_PREFIX}${name}/`)) {
      for (const object of page.Contents ?? []) {
        if (object.Key && object.ETag && LIST_SOURCE.test(object.Key)) {
          objects.push({ key: object.Key, eTag: object.ETag.replace(/"/g, '') });
        }
      }
    }
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private async *pages(
    bucket: string,
    prefix: string,
    delimiter?: string,
  ): AsyncGenerator<ListObjectsV2CommandOutput> {
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(delimiter ? { Delimiter: delimiter } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
      } catch (error) {
        throw new StorageError(`cannot list s3://${bucket}/${prefix}`, { cause: error });
      }
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private tempPath(name: string, cacheKey?: string): string {
    const folder = join(this.tempDir, sha(name));
    return cacheKey === undefined ? folder : join(folder, `${cacheKey}.bin`);
  }

  private async fromTemp(
    name: string,
    cacheKey: string,
    rules: PhoneRules,
  ): Promise<SuppressionList | undefined> {
    try {
      return SuppressionList.decode(await readFile(this.tempPath(name, cacheKey)), rules);
    } catch {
      // Absent (a cold start) or unusable: the bucket's copy or a compilation takes its place.
      return undefined;
    }
  }

  /** Keeps the compiled list for the next runs of this warm function, in place of older ones. */
  private async keepInTemp(name: string, cacheKey: string, bytes: Uint8Array): Promise<void> {
    const folder = this.tempPath(name);
    try {
      await mkdir(folder, { recursive: true });
      for (const file of await readdir(folder)) await rm(join(folder, file), { force: true });
      const path = this.tempPath(name, cacheKey);
      await writeFile(`${path}.part`, bytes);
      await rename(`${path}.part`, path);
    } catch (error) {
      this.options.logger?.warn('cannot keep a compiled suppression list in temporary storage', {
        list: name,
        error,
      });
    }
  }

  private async fromBucket(
    bucket: string,
    name: string,
    cacheKey: string,
    rules: PhoneRules,
  ): Promise<SuppressionList | undefined> {
    const key = compiledKey(name, cacheKey);
    let bytes: Uint8Array;
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      bytes = await readAll(response.Body as Readable, response.ContentLength ?? 0);
    } catch (error) {
      if (httpStatus(error) === 404 || errorCode(error) === 'NoSuchKey') return undefined;
      throw new StorageError(`cannot read s3://${bucket}/${key}`, { cause: error });
    }
    try {
      const list = SuppressionList.decode(bytes, rules);
      await this.keepInTemp(name, cacheKey, list.bytes);
      return list;
    } catch (error) {
      if (!(error instanceof CompiledListError)) throw error;
      this.options.logger?.warn('a compiled suppression list is unusable; compiling again', {
        list: name,
        key,
        reason: error.message,
      });
      return undefined;
    }
  }

  /** Reads every source of the list into one compiled list, kept in the bucket and in temp. */
  private async compile(
    bucket: string,
    name: string,
    objects: readonly ListObject[],
    cacheKey: string,
    rules: PhoneRules,
  ): Promise<SuppressionList> {
    const started = Date.now();
    const builder = new SuppressionListBuilder(rules);
    for (const object of objects) {
      const source = { bucket, key: object.key, eTag: object.eTag };
      const summary = await withObjectStream(this.s3, source, (body) =>
        readListSource(body, { sourceName: object.key }, builder),
      ).catch((error: unknown) => {
        throw listError(name, object.key, error);
      });
      if (summary.badLines > 0) {
        this.options.logger?.warn('lines of a suppression list hold no usable number', {
          list: name,
          key: object.key,
          badLines: summary.badLines,
          firstBadLines: summary.firstBadLines,
        });
      }
    }
    const list = builder.build();
    const key = compiledKey(name, cacheKey);
    try {
      const body = Buffer.from(list.bytes.buffer, list.bytes.byteOffset, list.bytes.length);
      await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    } catch (error) {
      // The list is compiled and in hand: only the next cold start pays for this.
      this.options.logger?.warn('cannot keep a compiled suppression list in the bucket', {
        list: name,
        key,
        error,
      });
    }
    await this.keepInTemp(name, cacheKey, list.bytes);
    this.options.logger?.info('suppression list compiled', {
      list: name,
      sources: objects.length,
      numbers: list.numbers,
      badLines: list.badLines,
      durationMs: Date.now() - started,
    });
    return list;
  }
}

/** Where a list's compiled form is kept in the bucket. */
export function compiledKey(name: string, cacheKey: string): string {
  return `${COMPILED_SUPPRESSION_PREFIX}${name}/${cacheKey}.bin`;
}

/** A list object that cannot be read as a list: the file is not loaded unscrubbed. */
export class SuppressionListError extends StorageError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options, PipelineErrorCode.SuppressionListUnusable, ErrorEnding.Failed);
    this.name = 'SuppressionListError';
  }
}

function listError(name: string, key: string, error: unknown): unknown {
  if (error instanceof UnusableFileError) {
    return new SuppressionListError(
      `the suppression list "${name}" cannot be read: ${key}: ${error.message} (${error.code}); fix or remove it and drop the file again`,
      { cause: error },
    );
  }
  if (error instanceof StorageError) {
    return new StorageError(`the suppression list "${name}" could not be read: ${error.message}`, {
      cause: error,
    });
  }
  return error;
}

/** Collects a body into one buffer, sized once when its length is known. */
async function readAll(body: Readable, length: number): Promise<Uint8Array> {
  let out = new Uint8Array(length);
  let at = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    if (at + chunk.length > out.length) {
      const grown = new Uint8Array(Math.max(2 * out.length, at + chunk.length));
      grown.set(out.subarray(0, at));
      out = grown;
    }
    out.set(chunk, at);
    at += chunk.length;
  }
  return at === out.length ? out : out.subarray(0, at);
}
