import type { S3Client } from '@aws-sdk/client-s3';
import {
  type Counts,
  NO_COUNTS,
  type Rejection,
  type ReportedInput,
  reportedInput,
} from '../contacts/contact.js';
import { type ColumnReading, maskedColumns } from '../contacts/map-columns.js';
import { maskPhonesInText } from '../contacts/mask-phone.js';
import type { SuppressionReport } from '../contacts/suppression-set.js';
import type { ProfileSource } from '../profiles/resolve-profile.js';
import {
  type CallReport,
  type ChunkOutcome,
  type ErrorSummary,
  UploadOutcome,
} from '../ucontact/results.js';
import { putJson } from './storage.js';

/** Bumped only when a field changes meaning or disappears; new fields keep the version. */
export const SCHEMA_VERSION = 1;

/** A file's final status, as partners and operators read it. */
export const ManifestStatus = {
  /** Every accepted contact was uploaded; refused rows may exist. */
  Succeeded: 'succeeded',
  /** Some chunk failed or its outcome is unknown. */
  Partial: 'partial',
  /** Nothing was uploaded: login refused, uContact unreachable... */
  Failed: 'failed',
  /** The file itself is unusable (or its campaign folder is). */
  Rejected: 'rejected',
  /** Nothing to do: already handled, or replaced by a newer upload. */
  Skipped: 'skipped',
} as const;
export type ManifestStatus = (typeof ManifestStatus)[keyof typeof ManifestStatus];

export { UploadOutcome };

/** How the run's uContact session ended. */
export interface ManifestSession {
  /**
   * `failed`: EndSession was not confirmed, even after retries, so the session may still be open
   * on the dialer; `not-needed`: no session was open at the end (the login failed).
   */
  readonly endSession: 'ok' | 'failed' | 'not-needed';
  /** Why EndSession failed, when it did. */
  readonly error?: ErrorSummary;
  /**
   * This run took the file over from a run that stopped (crashed, timed out) while it had a
   * uContact session open: that session may still be open on the dialer (SessionsLeftOpen counts
   * it). Absent otherwise.
   */
  readonly previousSessionMayBeOpen?: true;
}

/** The campaign profile a run applied, and the profiles file's version it was read from. */
export interface ManifestProfile {
  /** The profile's folder name; null when `defaults` alone applied, or none did. */
  readonly name: string | null;
  /** `campaign`, `defaults`, or `none` (the drop was refused, or the file is invalid). */
  readonly source: ProfileSource;
  /** The profiles file's S3 version id, or its ETag in an unversioned bucket. */
  readonly version: string;
}

export interface ManifestRejection {
  readonly line: number;
  readonly code: string;
  /** Phone numbers masked. */
  readonly message: string;
}

export interface Manifest {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly status: ManifestStatus;
  readonly source: {
    readonly bucket: string;
    readonly key: string;
    readonly size: number | null;
    readonly etag: string | null;
    readonly versionId: string | null;
  };
  /** Null when the campaign folder was refused. */
  readonly campaign: string | null;
  /** Null when the file was never read (refused campaign, skipped, login failed first...). */
  readonly input: ReportedInput | null;
  /**
   * How each column of a headered file was read (`header`, `role` as a mapping names it), headers
   * masked; null for a native file or a file not read.
   */
  readonly columns: readonly ColumnReading[] | null;
  /** `recentlyLoaded`: rows refused as RECENTLY_LOADED (0 without a reload window). */
  readonly counts: Counts & { readonly uploaded: number; readonly recentlyLoaded: number };
  /** The first rejections only (see `maxRejections`); rejected.csv has them all. */
  readonly rejections: readonly ManifestRejection[];
  /** How many rows each code refused, all of them (not only those listed in `rejections`). */
  readonly rejectionCodes: Readonly<Partial<Record<string, number>>>;
  /** Key of rejected.csv in the same bucket, when any row was refused. */
  readonly rejectedFile: string | null;
  /**
   * Set when rejected.csv reached its ceiling (100 MiB): it holds the first `rowsWritten` refused
   * rows; the later ones are counted in `counts.rejected` but not written. Null otherwise.
   */
  readonly rejectedFileTruncated: { readonly rowsWritten: number } | null;
  readonly uploads: readonly ChunkOutcome[];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** The uContact session of the run that wrote the manifest; null when it opened none. */
  readonly session: ManifestSession | null;
  /** The campaign's reload window as the run read it; null when it is off or the file was not read. */
  readonly reloadWindow: { readonly days: number; readonly numbersKnown: number } | null;
  /** Each suppression list applied, with its hits; absent when none was. */
  readonly suppression?: readonly SuppressionReport[];
  /** The campaign profile applied; null when the bucket has no profiles file. */
  readonly profile: ManifestProfile | null;
  /** What the run could not do as asked, though it went on (a list to apply that has no object); absent when nothing. */
  readonly warnings?: readonly { readonly code: string; readonly message: string }[];
}

export interface ManifestStart {
  readonly source: {
    readonly bucket: string;
    readonly key: string;
    readonly size?: number | undefined;
    readonly eTag?: string | undefined;
    readonly versionId?: string | undefined;
  };
  readonly campaign: string | null;
  readonly startedAt?: Date;
  /** How many rejections the manifest lists; default 100. */
  readonly maxRejections?: number;
}

/**
 * The status the uploads imply: `succeeded` when every chunk was accepted (or there was nothing
 * to upload) and the run met no error, `failed` when none was accepted and none may have
 * arrived, `partial` otherwise. A run that stopped on an error is never `succeeded`: the chunks
 * it did not get to may be missing from `uploads`.
 */
export function statusFromUploads(
  uploads: readonly ChunkOutcome[],
  stoppedOnError = false,
): ManifestStatus {
  const accepted = uploads.filter((u) => u.outcome === UploadOutcome.Accepted).length;
  const unknown = uploads.filter((u) => u.outcome === UploadOutcome.Unknown).length;
  if (accepted === uploads.length && !stoppedOnError) return ManifestStatus.Succeeded;
  if (accepted === 0 && unknown === 0) return ManifestStatus.Failed;
  return ManifestStatus.Partial;
}

/** Collects a manifest while a file is handled; `build` masks phone numbers in every message. */
export class ManifestBuilder {
  private readonly start: ManifestStart;
  private readonly startedAt: Date;
  private readonly maxRejections: number;
  private input: Manifest['input'] = null;
  private columns: ColumnReading[] | null = null;
  private counts: Counts = NO_COUNTS;
  private readonly rejections: ManifestRejection[] = [];
  private rejectionCodes: Partial<Record<string, number>> = {};
  private uploads: ChunkOutcome[] = [];
  private rejectedFile: string | null = null;
  private rejectedFileTruncated: { readonly rowsWritten: number } | null = null;
  private session: ManifestSession | null = null;
  private reloadWindow: Manifest['reloadWindow'] = null;
  private recentlyLoaded = 0;
  private suppression: readonly SuppressionReport[] | undefined;
  private profile: ManifestProfile | null = null;
  private campaign: string | null;
  private previousSessionMayBeOpen = false;
  private readonly warnings: { code: string; message: string }[] = [];

  constructor(start: ManifestStart) {
    this.start = start;
    this.startedAt = start.startedAt ?? new Date();
    this.maxRejections = start.maxRejections ?? 100;
    this.campaign = start.campaign;
  }

  /** Records the profile applied; a profile's own campaign replaces the folder's. */
  setProfile(profile: ManifestProfile | null, campaign?: string): this {
    this.profile = profile;
    if (campaign !== undefined) this.campaign = campaign;
    return this;
  }

  setInput(input: ReportedInput): this {
    this.input = reportedInput(input);
    return this;
  }

  /** How the columns were read (null for a native file); headers are masked here. */
  setColumns(columns: readonly ColumnReading[] | null): this {
    this.columns = maskedColumns(columns);
    return this;
  }

  setCounts(counts: Counts): this {
    this.counts = { ...counts };
    return this;
  }

  /** The tally of refusal codes over the whole file. */
  setRejectionCodes(codes: Readonly<Partial<Record<string, number>>>): this {
    this.rejectionCodes = { ...codes };
    return this;
  }

  /** The suppression lists applied and their hits (undefined: none was). */
  setSuppression(reports: readonly SuppressionReport[] | undefined): this {
    this.suppression = reports;
    return this;
  }

  /** A warning of the run (its phone numbers masked). */
  addWarning(warning: { readonly code: string; readonly message: string }): this {
    this.warnings.push({ code: warning.code, message: maskPhonesInText(warning.message) });
    return this;
  }

  /** Keeps the first `maxRejections`; the rest only go to rejected.csv. */
  addRejection(rejection: Rejection): this {
    if (this.rejections.length < this.maxRejections) {
      this.rejections.push({
        line: rejection.line,
        code: rejection.code,
        message: maskPhonesInText(rejection.message),
      });
    }
    return this;
  }

  /** Records a chunk's outcome; a later entry for the same part replaces the earlier one. */
  addUpload(entry: ChunkOutcome): this {
    this.uploads = [...this.uploads.filter((u) => u.part !== entry.part), entry].sort(
      (a, b) => a.part - b.part,
    );
    return this;
  }

  getUploads(): readonly ChunkOutcome[] {
    return this.uploads;
  }

  /** `rowsWritten` only when the file was cut at its ceiling. */
  setRejectedFile(key: string | null, truncated?: { readonly rowsWritten: number }): this {
    this.rejectedFile = key;
    this.rejectedFileTruncated = truncated ?? null;
    return this;
  }

  /** The reload window the file was read with, and the rows it refused. */
  setReloadWindow(window: NonNullable<Manifest['reloadWindow']>, refused: number): this {
    this.reloadWindow = { days: window.days, numbersKnown: window.numbersKnown };
    this.recentlyLoaded = refused;
    return this;
  }

  /** Records how the session ended, from its final EndSession (absent when none was open). */
  setSession(endSession: CallReport | undefined): this {
    this.session = !endSession
      ? { endSession: 'not-needed' }
      : endSession.ok
        ? { endSession: 'ok' }
        : {
            endSession: 'failed',
            ...(endSession.error
              ? {
                  error: {
                    code: endSession.error.code,
                    message: maskPhonesInText(endSession.error.message),
                  },
                }
              : {}),
          };
    return this;
  }

  /** The run took over from one that stopped with its session open (see ManifestSession). */
  setPreviousSessionMayBeOpen(): this {
    this.previousSessionMayBeOpen = true;
    return this;
  }

  /** The manifest's `session`: this run's, with the note about the stopped run's when there is one. */
  private sessionOfRun(): ManifestSession | null {
    if (!this.previousSessionMayBeOpen) return this.session;
    return { ...(this.session ?? { endSession: 'not-needed' }), previousSessionMayBeOpen: true };
  }

  /** The finished manifest; `status` defaults to what the uploads and the error imply. */
  build(end: {
    status?: ManifestStatus;
    error?: { code: string; message: string };
    finishedAt?: Date;
  }): Manifest {
    const { source } = this.start;
    const uploaded = this.uploads
      .filter((u) => u.outcome === UploadOutcome.Accepted)
      .reduce((sum, u) => sum + u.records, 0);
    return {
      schemaVersion: SCHEMA_VERSION,
      status: end.status ?? statusFromUploads(this.uploads, end.error !== undefined),
      source: {
        bucket: source.bucket,
        key: source.key,
        size: source.size ?? null,
        etag: source.eTag?.replace(/"/g, '') ?? null,
        versionId: source.versionId ?? null,
      },
      campaign: this.campaign,
      input: this.input,
      columns: this.columns,
      counts: { ...this.counts, uploaded, recentlyLoaded: this.recentlyLoaded },
      rejections: [...this.rejections],
      rejectionCodes: { ...this.rejectionCodes },
      rejectedFile: this.rejectedFile,
      rejectedFileTruncated: this.rejectedFileTruncated,
      uploads: [...this.uploads],
      startedAt: this.startedAt.toISOString(),
      finishedAt: (end.finishedAt ?? new Date()).toISOString(),
      error: end.error
        ? { code: end.error.code, message: maskPhonesInText(end.error.message) }
        : null,
      session: this.sessionOfRun(),
      reloadWindow: this.reloadWindow,
      ...(this.suppression ? { suppression: [...this.suppression] } : {}),
      profile: this.profile,
      ...(this.warnings.length > 0 ? { warnings: [...this.warnings] } : {}),
    };
  }
}

/** Writes manifest.json (unconditionally: the claim already decided who writes). Throws SDK errors. */
export async function writeManifest(
  s3: S3Client,
  bucket: string,
  key: string,
  manifest: Manifest,
): Promise<void> {
  await putJson(s3, bucket, key, manifest);
}
