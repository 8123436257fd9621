import { basename } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/config.js';
import { UnchunkableLineError, UnusableFileError } from '../contacts/errors.js';
import { DEFAULT_ENGINE_OPTIONS } from '../contacts/options.js';
import type { UcontactClient, UcontactLogger } from '../ucontact/client.js';
import { UcontactErrorCode } from '../ucontact/errors.js';
import type { ChunkResult, ErrorSummary } from '../ucontact/results.js';
import { type SessionReport, StopReason } from '../ucontact/upload-session.js';
import { campaignFromKey } from './campaign-from-key.js';
import { type Claim, claimObject, finishClaim, releaseClaim } from './claim.js';
import type { CredentialsSource } from './credentials.js';
import {
  ClaimConflictError,
  ClaimLostError,
  CredentialsError,
  ObjectChangedError,
  ResumeMismatchError,
  SecretFormatError,
  StorageError,
} from './errors.js';
import {
  type Manifest,
  ManifestBuilder,
  ManifestStatus,
  type UploadEntry,
  UploadOutcome,
  writeManifest,
} from './manifest.js';
import { planUpload, type UploadPlan } from './plan-upload.js';
import type { S3ObjectRef } from './read-event.js';
import { openRejectedCsv } from './rejected-csv.js';
import { resultLocation } from './result-location.js';
import { withObjectStream } from './storage.js';
import { uploadChunks } from './upload-chunks.js';

/** Where the pipeline writes what it does; Powertools' Logger fits (through a key-adding wrapper). */
export interface PipelineLogger extends UcontactLogger {
  error(message: string, extra?: Readonly<Record<string, unknown>>): void;
}

export interface ProcessObjectDeps {
  readonly config: Config;
  readonly s3: S3Client;
  readonly credentials: CredentialsSource;
  /** Builds a uContact client for a base URL (the configured one, or the secret's `baseUrl`). */
  readonly createClient: (baseUrl: string, logger: UcontactLogger) => UcontactClient;
  readonly logger: PipelineLogger;
  readonly now: () => Date;
  /** Milliseconds left before Lambda stops the invocation. */
  readonly remainingTimeMs: () => number;
  /** Owner of the claim: the invocation's request id. */
  readonly requestId: string;
  /** Where chunks are spooled; default the system's temporary directory. */
  readonly spoolDir?: string;
}

/** Codes of the manifest's `error` besides the engine's file codes and the client's codes. */
export const ObjectErrorCode = {
  NoValidContacts: 'NO_VALID_CONTACTS',
  LineTooLargeForRequest: 'LINE_TOO_LARGE_FOR_REQUEST',
  ObjectChanged: 'OBJECT_CHANGED',
  OutOfTime: 'OUT_OF_TIME',
  UnknownOutcome: 'UNKNOWN_OUTCOME',
  ChunksFailed: 'CHUNKS_FAILED',
  ResumeMismatch: 'RESUME_MISMATCH',
  Credentials: 'CREDENTIALS_UNAVAILABLE',
  SecretFormat: 'SECRET_FORMAT',
  Storage: 'STORAGE',
  ClaimConflict: 'CLAIM_CONFLICT',
  Internal: 'INTERNAL',
} as const;
export type ObjectErrorCode = (typeof ObjectErrorCode)[keyof typeof ObjectErrorCode];

export interface ObjectResult {
  readonly status: ManifestStatus;
  /** The message must be delivered again (a batch item failure): the file is not done. */
  readonly retry: boolean;
  /** The manifest written by this run; absent when another run owns or owned the object. */
  readonly manifest?: Manifest;
  readonly manifestKey?: string;
  /** The chunks this run sent, with their outcomes. */
  readonly sent: readonly ChunkResult[];
  /** Chunks a crashed earlier run left in flight, found at takeover and now `unknown`. */
  readonly lostInFlight?: number;
  /** This run's EndSession failed: a uContact session may still be open. */
  readonly sessionLeftOpen?: boolean;
  readonly durationMs: number;
}

export interface Ending {
  readonly status?: ManifestStatus;
  readonly error?: ErrorSummary;
  readonly retry?: boolean;
}

/**
 * Handles one dropped object end to end: claims its version (skipping it when another run has or
 * had it), reads it through the contacts engine into spooled chunks and rejected.csv, uploads the
 * chunks in one uContact session (resuming an earlier attempt), and writes manifest.json.
 * Terminal outcomes close the claim; a transient failure (S3, Secrets Manager, uContact
 * unreachable) or running out of time writes the manifest, gives the claim back and returns
 * `retry: true`. Throws MissingObjectIdentityError when the event names no version or ETag, and
 * storage errors when not even the claim or the final write can be made.
 */
export async function processObject(
  object: S3ObjectRef,
  deps: ProcessObjectDeps,
): Promise<ObjectResult> {
  const { config, s3, now, logger } = deps;
  const startedAt = now();
  const elapsed = () => now().getTime() - startedAt.getTime();
  const verdict = campaignFromKey(object.key, config);
  const location = resultLocation(object, verdict, config.resultsPrefix);
  const source = {
    bucket: object.bucket,
    key: object.key,
    versionId: object.versionId,
    eTag: object.eTag,
  };
  const claimed = await claimObject(s3, {
    bucket: object.bucket,
    stateKey: location.stateKey,
    owner: deps.requestId,
    source,
    functionTimeoutSeconds: config.functionTimeoutSeconds,
    now,
  });
  if (claimed.kind !== 'claimed') {
    const why = claimed.kind === 'busy' ? 'another run is handling it' : 'it was already handled';
    logger.info(`object skipped: ${why}`, {
      claimStatus: claimed.state.status,
      claimOwner: claimed.state.owner,
      manifestKey: location.manifestKey,
    });
    return { status: ManifestStatus.Skipped, retry: false, sent: [], durationMs: elapsed() };
  }
  let claim: Claim = claimed.claim;
  if (claimed.resumed)
    logger.info('took over an unfinished claim', { attempt: claim.state.attempt });
  if (claimed.lostInFlight) {
    logger.warn('a part was in flight when an earlier run stopped: its outcome is unknown', {
      part: claimed.lostInFlight.part,
    });
  }
  const lostInFlight = claimed.lostInFlight ? { lostInFlight: 1 } : {};
  let sessionLeftOpen = false;

  const builder = new ManifestBuilder({
    source: { ...source, size: object.size },
    campaign: verdict.ok ? verdict.campaign : null,
    startedAt,
  });
  let plan: UploadPlan | undefined;
  let sent: readonly ChunkResult[] = [];

  const finish = async (ending: Ending): Promise<ObjectResult> => {
    for (const entry of claim.state.checkpoint.uploads) builder.addUpload(entry);
    const inFlight = claim.state.checkpoint.inFlight;
    if (inFlight && !builder.getUploads().some((u) => u.part === inFlight.part)) {
      builder.addUpload({
        ...inFlight,
        outcome: UploadOutcome.Unknown,
        attempts: 1,
        durationMs: 0,
      });
    }
    // Chunks no attempt sent are listed as failed with no attempt: safe to send again.
    for (const chunk of plan?.chunks ?? []) {
      if (!builder.getUploads().some((u) => u.part === chunk.part)) {
        const { part, filename, records, bytes } = chunk;
        builder.addUpload({
          part,
          filename,
          records,
          bytes,
          outcome: UploadOutcome.Failed,
          attempts: 0,
          durationMs: 0,
        });
      }
    }
    const manifest = builder.build({ ...ending, finishedAt: now() });
    await writeManifest(s3, object.bucket, location.manifestKey, manifest);
    claim = ending.retry
      ? await releaseClaim(s3, claim, claim.state.checkpoint, now)
      : await finishClaim(s3, claim, manifest.status, claim.state.checkpoint, now);
    const log = ending.retry || manifest.error ? logger.warn : logger.info;
    log.call(logger, `file ${manifest.status}${ending.retry ? ', to be retried' : ''}`, {
      status: manifest.status,
      counts: manifest.counts,
      chunks: manifest.uploads.length,
      ...(manifest.error ? { error: manifest.error } : {}),
      manifestKey: location.manifestKey,
    });
    return {
      status: manifest.status,
      retry: ending.retry === true,
      manifest,
      manifestKey: location.manifestKey,
      sent,
      ...lostInFlight,
      ...(sessionLeftOpen ? { sessionLeftOpen } : {}),
      durationMs: elapsed(),
    };
  };

  if (!verdict.ok) {
    return finish({
      status: ManifestStatus.Rejected,
      error: { code: verdict.reason, message: verdict.message },
    });
  }
  let ending: Ending;
  try {
    plan = await readFile(object, verdict.campaign, deps, location.rejectedKey, builder);
    if (plan.summary.counts.accepted === 0) {
      ending = {
        status: ManifestStatus.Rejected,
        error: {
          code: ObjectErrorCode.NoValidContacts,
          message: `none of the file's ${plan.summary.counts.rows} rows can be loaded; rejected.csv says why`,
        },
      };
    } else {
      const credentials = await deps.credentials.get();
      const client = deps.createClient(credentials.baseUrl ?? config.ucontactBaseUrl, logger);
      const reserveMs = config.timeReserveSeconds * 1000;
      const result = await uploadChunks({
        s3,
        claim,
        plan,
        campaign: verdict.campaign,
        client,
        getCredentials: (refresh) =>
          refresh ? deps.credentials.get({ forceFetch: true }) : credentials,
        // Half the reserve for EndSession, half for the manifest and the claim.
        deadline: client.now() + deps.remainingTimeMs() - reserveMs / 2,
        endSessionReserveMs: reserveMs / 2,
        now,
        logger,
        onClaim: (latest) => {
          claim = latest;
        },
      });
      claim = result.claim;
      sent = result.sent;
      builder.setSession(result.report.endSession);
      sessionLeftOpen = result.report.endSession?.ok === false;
      ending = sessionEnding(result.report, result.uploads, config.ucontactSecretId);
    }
  } catch (error) {
    if (error instanceof ClaimLostError) {
      logger.warn('another run took this object over; stopping without writing results', { error });
      return {
        status: ManifestStatus.Skipped,
        retry: false,
        sent,
        ...lostInFlight,
        durationMs: elapsed(),
      };
    }
    ending = endingForError(error);
    logger.error('file handling failed', { error, retry: ending.retry === true });
  } finally {
    await plan?.remove();
  }
  return finish(ending);
}

/** Pass 1: the engine over the exact object version; refused rows stream to rejected.csv. */
async function readFile(
  object: S3ObjectRef,
  campaign: string,
  deps: ProcessObjectDeps,
  rejectedKey: string,
  builder: ManifestBuilder,
): Promise<UploadPlan> {
  const rejected = openRejectedCsv(deps.s3, object.bucket, rejectedKey);
  let plan: UploadPlan | undefined;
  try {
    plan = await withObjectStream(deps.s3, object, (body) =>
      planUpload(body, {
        engine: {
          ...DEFAULT_ENGINE_OPTIONS,
          ...deps.config.engine,
          campaign,
          sourceName: basename(object.key),
          // The object's size lets the duplicate check reserve its table once.
          sizeHint: object.size,
        },
        ceilings: deps.config.chunkCeilings,
        onRejection: (rejection) => rejected.write(rejection),
        ...(deps.spoolDir ? { spoolDir: deps.spoolDir } : {}),
      }),
    );
    const written = await rejected.close();
    builder
      .setInput(plan.summary.input)
      .setColumns(plan.summary.columns)
      .setCounts(plan.summary.counts)
      .setRejectedFile(written?.key ?? null);
    for (const rejection of plan.rejections) builder.addRejection(rejection);
    deps.logger.info('file read', {
      input: plan.summary.input,
      columns: plan.summary.columns,
      counts: plan.summary.counts,
      chunks: plan.chunks.length,
    });
    return plan;
  } catch (error) {
    await rejected.abort();
    await plan?.remove();
    throw error;
  }
}

/** The manifest's status and error after a session, and whether the message is to be retried. */
export function sessionEnding(
  report: SessionReport,
  uploads: readonly Pick<UploadEntry, 'part' | 'outcome'>[],
  secretId: string,
): Ending {
  const stop = report.stopped;
  const parts = (outcome: UploadOutcome) =>
    uploads.filter((u) => u.outcome === outcome).map((u) => u.part);
  if (stop?.reason === StopReason.LoginFailed) {
    const failure = report.login.error ?? report.results.at(-1)?.error;
    if (failure?.code === UcontactErrorCode.AuthFailed) {
      return {
        error: {
          code: failure.code,
          message:
            `uContact refused the login, also after reading secret ${secretId} again: ` +
            'correct the user or password in the secret, then drop the file again',
        },
      };
    }
    return {
      retry: true,
      error: {
        code: failure?.code ?? UcontactErrorCode.NotAttempted,
        message: `cannot log in to uContact (${stop.message}); the file will be retried`,
      },
    };
  }
  if (stop?.reason === StopReason.Deadline) {
    return {
      retry: true,
      error: {
        code: ObjectErrorCode.OutOfTime,
        message: `the run ran out of time after ${parts(UploadOutcome.Accepted).length} accepted parts; the next delivery resumes after them`,
      },
    };
  }
  if (stop?.reason === StopReason.Unavailable) {
    const failed = report.results.findLast((r) => r.retryable);
    return {
      retry: true,
      error: {
        code: failed?.error?.code ?? UcontactErrorCode.Network,
        message:
          `${stop.message}; that part was not loaded, and the next delivery resumes with it ` +
          `after ${parts(UploadOutcome.Accepted).length} accepted parts`,
      },
    };
  }
  if (stop?.reason === StopReason.AuthRejected) {
    return { error: { code: UcontactErrorCode.AuthRejected, message: stop.message } };
  }
  const unknown = parts(UploadOutcome.Unknown);
  if (unknown.length > 0) {
    return {
      error: {
        code: ObjectErrorCode.UnknownOutcome,
        message:
          `part ${unknown.join(', ')} got no answer and may or may not have been loaded; ` +
          'it is never resent automatically: check the campaign in uContact before loading it by hand',
      },
    };
  }
  const failed = parts(UploadOutcome.Failed);
  if (failed.length > 0) {
    const first = report.results.find((r) => r.outcome === UploadOutcome.Failed)?.error;
    return {
      error: {
        code: ObjectErrorCode.ChunksFailed,
        message: `uContact did not take part ${failed.join(', ')}${first ? ` (${first.message})` : ''}`,
      },
    };
  }
  return {};
}

/** Terminal for what retrying cannot fix; retried for what may pass (S3, Secrets Manager...). */
function endingForError(error: unknown): Ending {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UnusableFileError) {
    return { status: ManifestStatus.Rejected, error: { code: error.code, message } };
  }
  if (error instanceof UnchunkableLineError) {
    const code = ObjectErrorCode.LineTooLargeForRequest;
    return { status: ManifestStatus.Rejected, error: { code, message } };
  }
  if (error instanceof ObjectChangedError) {
    return {
      status: ManifestStatus.Skipped,
      error: { code: ObjectErrorCode.ObjectChanged, message },
    };
  }
  if (error instanceof ResumeMismatchError) {
    return { error: { code: ObjectErrorCode.ResumeMismatch, message } };
  }
  const code =
    error instanceof SecretFormatError
      ? ObjectErrorCode.SecretFormat
      : error instanceof CredentialsError
        ? ObjectErrorCode.Credentials
        : error instanceof ClaimConflictError
          ? ObjectErrorCode.ClaimConflict
          : error instanceof StorageError
            ? ObjectErrorCode.Storage
            : ObjectErrorCode.Internal;
  return { retry: true, error: { code, message: `${message}; the file will be retried` } };
}
