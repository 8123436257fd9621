import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/config.js';
import { type NumberBatch, NumberSet } from '../contacts/number-set.js';
import type { EarlierLoad, RecentlyLoaded } from '../contacts/options.js';
import type { ProfileRules } from '../profiles/resolve-profile.js';
import { type ChunkOutcome, type UploadChunk, UploadOutcome } from '../ucontact/results.js';
import { type Lease, releaseLease, takeLease } from './campaign-lease.js';
import type { Checkpoint } from './claim.js';
import { StorageError } from './errors.js';
import {
  decodeLoadRecord,
  encodeLoadRecord,
  type LoadRecord,
  type LoadRecordPlace,
  loadRecordPlace,
  mainNumbersOf,
  partKey,
} from './load-record.js';
import type { S3ObjectRef } from './read-event.js';
import type { PipelineLogger } from './run-types.js';
import { deleteObject, getBytes, type ListedObject, listObjects, putText } from './storage.js';

const DAY_MS = 86_400_000;
/** S3's clock and the function's may differ: a record is skipped unread only when this much older. */
const CLOCK_MARGIN_MS = 3_600_000;
/** Records read at once at the start of a drop. */
const READ_CONCURRENCY = 8;

/** What the manifest says of the window (`reloadWindow`). */
export interface ReloadWindowSummary {
  readonly days: number;
  /** Numbers the campaign received within the window, as read at the start of the run. */
  readonly numbersKnown: number;
}

/**
 * The reload window of a campaign, in days; 0 is off: the effective profile's `reloadWindowDays`
 * (defaults applied) when it sets one, else the function's RELOAD_WINDOW_DAYS. Never throws.
 */
export function reloadWindowDays(
  _campaign: string,
  config: Pick<Config, 'reloadWindowDays'>,
  profile?: Pick<ProfileRules, 'reloadWindowDays'>,
): number {
  return profile?.reloadWindowDays ?? config.reloadWindowDays;
}

export interface OpenWindowInput {
  readonly s3: S3Client;
  readonly config: Pick<Config, 'reloadWindowDays' | 'statePrefix' | 'functionTimeoutSeconds'>;
  readonly object: S3ObjectRef;
  readonly campaign: string;
  /** The run's request id: the lease's owner. */
  readonly owner: string;
  /** The folder's effective profile, when the bucket has a profiles file. */
  readonly profile?: Pick<ProfileRules, 'reloadWindowDays'> | undefined;
  readonly now: () => Date;
  readonly logger: PipelineLogger;
}

/**
 * One run's side of a campaign's reload window: it holds the campaign's lease from before the
 * record is read until every part the run sent is recorded, so two files of a campaign never
 * both load a number; it gives the engine the numbers loaded within the window, and records the
 * numbers of each part before the part is sent (write-ahead: a crash cannot lose one). At the end
 * the record keeps the parts whose outcome is `accepted` or `unknown` and drops the others.
 */
export class ReloadWindow {
  private constructor(
    private readonly input: OpenWindowInput,
    private readonly place: LoadRecordPlace,
    private readonly lease: Lease,
    private readonly windowStart: string,
    readonly recentlyLoaded: RecentlyLoaded,
    readonly summary: ReloadWindowSummary,
  ) {}

  /**
   * Takes the campaign's lease and reads what the campaign received within its window; undefined
   * when the window is off. Throws CampaignBusyError when another file of the campaign holds the
   * lease, StorageError when S3 fails (the lease is let go first).
   */
  static async open(input: OpenWindowInput): Promise<ReloadWindow | undefined> {
    const days = reloadWindowDays(input.campaign, input.config, input.profile);
    if (days <= 0) return undefined;
    const { s3, object, config, now } = input;
    const place = loadRecordPlace(config.statePrefix, input.campaign, object);
    const lease = await takeLease(s3, {
      bucket: object.bucket,
      key: place.leaseKey,
      owner: input.owner,
      source: object.key,
      functionTimeoutSeconds: config.functionTimeoutSeconds,
      now,
    });
    try {
      const known = await readWindow(s3, object.bucket, place, days, now);
      const recentlyLoaded = { numbers: known.numbers, loads: known.loads, days };
      input.logger.info('reload window read', {
        days,
        numbersKnown: known.numbers.size,
        loads: known.loads.length,
        windowStart: known.windowStart,
      });
      const summary = { days, numbersKnown: known.numbers.size };
      return new ReloadWindow(input, place, lease, known.windowStart, recentlyLoaded, summary);
    } catch (error) {
      await releaseLease(s3, lease, now).catch(() => false);
      throw error;
    }
  }

  /**
   * Records a part's main numbers before it is sent. Throws StorageError when S3 fails; the part
   * is then not sent.
   */
  async record(chunk: UploadChunk & { readonly content: string | Uint8Array }): Promise<void> {
    const { s3, object, campaign, now } = this.input;
    const key = partKey(this.place, chunk.part);
    const record: LoadRecord = {
      campaign,
      source: object.key,
      part: chunk.part,
      loadedAt: now().toISOString(),
      windowStart: this.windowStart,
      ...mainNumbersOf(
        typeof chunk.content === 'string' ? Buffer.from(chunk.content) : chunk.content,
      ),
    };
    try {
      await putText(s3, object.bucket, key, encodeLoadRecord(record), 'application/octet-stream');
    } catch (error) {
      throw new StorageError(`cannot record part ${chunk.part} before sending it`, {
        cause: error,
      });
    }
  }

  /**
   * Keeps the record of the parts the dialer may hold (accepted, unknown, or left in flight) and
   * deletes the others' (failed, or recorded and never sent), this run's and earlier runs' of the
   * same object alike. Throws StorageError when S3 fails.
   */
  async settle(checkpoint: Checkpoint): Promise<void> {
    const kept = new Set(
      checkpoint.uploads
        .filter((u: ChunkOutcome) => u.outcome !== UploadOutcome.Failed)
        .map((u) => u.part),
    );
    if (checkpoint.inFlight) kept.add(checkpoint.inFlight.part);
    const { s3, object } = this.input;
    for (const { key } of await listObjects(s3, object.bucket, this.place.objectPrefix)) {
      const part = Number(key.slice(this.place.objectPrefix.length).replace(/\.bin$/, ''));
      if (!kept.has(part)) await deleteObject(s3, object.bucket, key);
    }
  }

  /** Lets the campaign's lease go. Never throws: a lease not let go expires with the timeout. */
  async release(): Promise<void> {
    const { s3, now, logger } = this.input;
    try {
      if (!(await releaseLease(s3, this.lease, now)))
        logger.warn('the campaign lease was taken over before this run let it go');
    } catch (error) {
      logger.warn('cannot let the campaign lease go; it expires with the function timeout', {
        error,
      });
    }
  }
}

interface KnownNumbers {
  readonly numbers: NumberSet;
  readonly loads: readonly EarlierLoad[];
  readonly windowStart: string;
}

/**
 * Reads the campaign's record within the window into a number set, newest load first. The
 * object's own parts are left out (a resumed run must not refuse its own numbers), and their
 * window start is kept: a resumed run counts from the moment the first run counted from.
 */
async function readWindow(
  s3: S3Client,
  bucket: string,
  place: LoadRecordPlace,
  days: number,
  now: () => Date,
): Promise<KnownNumbers> {
  const listed = await listObjects(s3, bucket, place.campaignPrefix);
  const own = listed.filter((o) => o.key.startsWith(place.objectPrefix));
  const pinned = own[0] ? await readRecord(s3, bucket, own[0]) : undefined;
  const windowStart =
    pinned?.windowStart ?? new Date(now().getTime() - days * DAY_MS).toISOString();
  const from = Date.parse(windowStart);
  const candidates = listed.filter(
    (o) =>
      !o.key.startsWith(place.objectPrefix) &&
      !(o.lastModified && o.lastModified.getTime() < from - CLOCK_MARGIN_MS),
  );
  const records: LoadRecord[] = [];
  for (let i = 0; i < candidates.length; i += READ_CONCURRENCY) {
    const batch = candidates.slice(i, i + READ_CONCURRENCY);
    for (const record of await Promise.all(batch.map((o) => readRecord(s3, bucket, o)))) {
      if (record && Date.parse(record.loadedAt) >= from) records.push(record);
    }
  }
  records.sort((a, b) => Date.parse(b.loadedAt) - Date.parse(a.loadedAt));
  const batches: NumberBatch[] = records.map((r, payload) => ({
    keys: r.keys,
    long: r.long,
    payload,
  }));
  const loads = records.map((r) => ({ loadedAt: r.loadedAt, source: r.source }));
  return { numbers: NumberSet.build(batches), loads, windowStart };
}

/** A record, or undefined when it was deleted since the listing. Throws StorageError. */
async function readRecord(
  s3: S3Client,
  bucket: string,
  listed: ListedObject,
): Promise<LoadRecord | undefined> {
  const bytes = await getBytes(s3, bucket, listed.key);
  return bytes && decodeLoadRecord(bytes, listed.key);
}
