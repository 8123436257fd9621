import type { S3Client } from '@aws-sdk/client-s3';
import {
  type BackoffPolicy,
  backoffDelay,
  type RetryClock,
  systemClock,
} from '../shared/backoff.js';
import type { ChunkOutcome, UploadChunk } from '../ucontact/results.js';
import { ClaimConflictError, ClaimLostError, StorageError } from './errors.js';
import { ManifestStatus, UploadOutcome } from './manifest.js';
import { getJson, httpStatus, putJson } from './storage.js';

/** `running` while a run owns the object version; any other value is final. */
export const ClaimStatus = { Running: 'running', ...ManifestStatus } as const;
export type ClaimStatus = (typeof ClaimStatus)[keyof typeof ClaimStatus];

/** Progress saved after each chunk, so a retry resumes instead of starting over. */
export interface Checkpoint {
  /** Every chunk with a known outcome so far (the manifest's `uploads`). */
  readonly uploads: readonly ChunkOutcome[];
  /** The chunk being sent now: if the run stops, its outcome is unknown. */
  readonly inFlight?: UploadChunk;
}

/** The state object's content. */
export interface ClaimState {
  readonly schemaVersion: 1;
  readonly status: ClaimStatus;
  readonly owner: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** How many runs have owned it (1 for the first). */
  readonly attempt: number;
  readonly source: {
    readonly bucket: string;
    readonly key: string;
    readonly versionId?: string | undefined;
    readonly eTag?: string | undefined;
  };
  readonly checkpoint: Checkpoint;
  /** Set when a run gave the claim back to be retried: the next delivery takes it over at once. */
  readonly released?: boolean;
  /**
   * Set just before the owning run logs in to uContact and cleared by its final write (after
   * EndSession): a run that takes over a claim still holding it knows the run it replaces stopped
   * (crashed, timed out) with a session that may still be open on the dialer.
   */
  readonly sessionMayBeOpen?: boolean;
}

/** How a write of the claim retries S3's 409 ConditionalRequestConflict. */
export interface ConflictRetry {
  /** Attempts per write, the first included. */
  readonly attempts: number;
  readonly backoff: BackoffPolicy;
  readonly clock: RetryClock;
}

/** A 409 means another write to the key is in progress: short waits, a few times. */
const DEFAULT_CONFLICT_RETRY: ConflictRetry = {
  attempts: 5,
  backoff: { baseDelayMs: 100, maxDelayMs: 1_000 },
  clock: systemClock,
};

/** A claim this run holds; pass it back to every later call (its ETag changes on each write). */
export interface Claim {
  readonly bucket: string;
  readonly stateKey: string;
  readonly eTag: string;
  readonly state: ClaimState;
  /** How its writes retry a 409, as the claim was made; default 5 attempts from 100 ms. */
  readonly conflictRetry?: ConflictRetry;
}

export type ClaimResult =
  /**
   * This run owns it; `resumed` when it took over a stale claim (see `resumePlan`), and
   * `lostInFlight` when that claim's run stopped with a chunk in flight, now counted `unknown`.
   */
  | {
      readonly kind: 'claimed';
      readonly claim: Claim;
      readonly resumed: boolean;
      readonly lostInFlight?: ChunkOutcome;
      /** The run taken over stopped between its login and its final write (`sessionMayBeOpen`). */
      readonly previousSessionMayBeOpen?: true;
    }
  /** Another run holds it and is within the function timeout: leave it alone. */
  | { readonly kind: 'busy'; readonly state: ClaimState }
  /** Already finished: skip. */
  | { readonly kind: 'done'; readonly state: ClaimState };

export interface ClaimRequest {
  readonly bucket: string;
  readonly stateKey: string;
  /** The request id of this invocation. */
  readonly owner: string;
  readonly source: ClaimState['source'];
  /** A running claim older than this is taken over. */
  readonly functionTimeoutSeconds: number;
  readonly now?: () => Date;
  /** Attempts on 409 ConditionalRequestConflict before giving up; default 5. */
  readonly conflictAttempts?: number;
  /** The backoff ceiling before the first retry in ms, doubling up to 1 s (full jitter); default 100. */
  readonly backoffMs?: number;
  /** Waits and jitter of those retries, for this claim and its later writes; default the system's. */
  readonly clock?: RetryClock;
}

const MAX_ROUNDS = 5;

/** Runs a conditional write, retrying S3's 409 ConditionalRequestConflict with backoff. */
async function withConflictRetry<T>(
  what: string,
  retry: ConflictRetry,
  write: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (httpStatus(error) !== 409) throw error;
      if (attempt >= retry.attempts) {
        throw new ClaimConflictError(
          `${what}: S3 reported a conflicting write ${retry.attempts} times; retry later`,
          { cause: error },
        );
      }
      await retry.clock.sleep(backoffDelay(attempt, retry.backoff, retry.clock.random));
    }
  }
}

/** The conflict retries a request asks for, over the defaults. */
function conflictRetryOf(request: ClaimRequest): ConflictRetry {
  const base = DEFAULT_CONFLICT_RETRY;
  return {
    attempts: request.conflictAttempts ?? base.attempts,
    backoff: { ...base.backoff, baseDelayMs: request.backoffMs ?? base.backoff.baseDelayMs },
    clock: request.clock ?? base.clock,
  };
}

/**
 * Claims an object version before any uContact call: creates the state object with
 * `If-None-Match: *`; when it exists, reports `done` (final) or `busy` (running, younger than the
 * function timeout), or takes a stale claim over with `If-Match` on its ETag, keeping its
 * checkpoint. Throws ClaimConflictError when S3 keeps answering 409 and StorageError otherwise.
 */
export async function claimObject(s3: S3Client, request: ClaimRequest): Promise<ClaimResult> {
  const now = request.now ?? (() => new Date());
  const retry = conflictRetryOf(request);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const startedAt = now().toISOString();
    const fresh: ClaimState = {
      schemaVersion: 1,
      status: ClaimStatus.Running,
      owner: request.owner,
      startedAt,
      updatedAt: startedAt,
      attempt: 1,
      source: request.source,
      checkpoint: { uploads: [] },
    };
    const created = await putState(s3, request, retry, fresh, { ifNoneMatch: '*' });
    if (created) return { kind: 'claimed', claim: created, resumed: false };

    const current = await getJson<ClaimState>(s3, request.bucket, request.stateKey);
    if (!current) continue; // deleted between our write and read: try creating again
    const { value: state, eTag: currentETag } = current;
    if (state.status !== ClaimStatus.Running) return { kind: 'done', state };
    const ageMs = now().getTime() - Date.parse(state.startedAt);
    if (!state.released && !(ageMs > request.functionTimeoutSeconds * 1000)) {
      return { kind: 'busy', state };
    }
    const { takenOver, lostInFlight } = takeOver(state, request.owner, startedAt);
    const claim = await putState(s3, request, retry, takenOver, { ifMatch: currentETag });
    if (claim) {
      return {
        kind: 'claimed',
        claim,
        resumed: true,
        ...(lostInFlight && { lostInFlight }),
        ...(state.sessionMayBeOpen === true && { previousSessionMayBeOpen: true }),
      };
    }
    // Someone else took it over first: look again.
  }
  throw new ClaimConflictError(
    `${whereOf(request)}: the state kept changing under us; retry later`,
  );
}

/**
 * Writes a claim's state under its condition. Returns undefined when the condition failed (412:
 * another run wrote first); throws ClaimConflictError after repeated 409s, StorageError otherwise.
 */
async function putState(
  s3: S3Client,
  request: ClaimRequest,
  conflictRetry: ConflictRetry,
  state: ClaimState,
  condition: { readonly ifNoneMatch: '*' } | { readonly ifMatch: string },
): Promise<Claim | undefined> {
  const { bucket, stateKey } = request;
  const where = whereOf(request);
  try {
    const eTag = await withConflictRetry(where, conflictRetry, () =>
      putJson(s3, bucket, stateKey, state, condition),
    );
    return { bucket, stateKey, eTag, state, conflictRetry };
  } catch (error) {
    if (httpStatus(error) === 412) return undefined;
    throw asStorageError(where, error);
  }
}

/**
 * A stale claim's state as this run takes it over, keeping its checkpoint; `lostInFlight` is the
 * chunk its run left in flight, now `unknown`.
 */
function takeOver(
  state: ClaimState,
  owner: string,
  startedAt: string,
): { readonly takenOver: ClaimState; readonly lostInFlight: ChunkOutcome | undefined } {
  const checkpoint = settleInFlight(state.checkpoint);
  const inFlight = state.checkpoint.inFlight;
  const lostInFlight = inFlight
    ? checkpoint.uploads.find(
        (u) => u.part === inFlight.part && u.outcome === UploadOutcome.Unknown,
      )
    : undefined;
  // The mark is the stopped run's: this run reports it once and sets its own when it logs in.
  const takenOver: ClaimState = {
    ...withoutSessionMark(state),
    owner,
    startedAt,
    updatedAt: startedAt,
    attempt: (state.attempt ?? 1) + 1,
    checkpoint,
    released: false,
  };
  return { takenOver, lostInFlight };
}

/**
 * Saves progress with `If-Match` on the claim's ETag and returns the updated claim.
 * Throws ClaimLostError when another run has taken the claim over (stop at once),
 * ClaimConflictError after repeated 409s, StorageError otherwise.
 */
export function saveCheckpoint(
  s3: S3Client,
  claim: Claim,
  checkpoint: Checkpoint,
  now: () => Date = () => new Date(),
): Promise<Claim> {
  return writeState(s3, claim, { ...claim.state, checkpoint, updatedAt: now().toISOString() });
}

/**
 * Marks the claim as having a uContact session about to open (`sessionMayBeOpen`), before the
 * login. Errors as saveCheckpoint.
 */
export function markSessionOpening(
  s3: S3Client,
  claim: Claim,
  now: () => Date = () => new Date(),
): Promise<Claim> {
  return writeState(s3, claim, {
    ...claim.state,
    sessionMayBeOpen: true,
    updatedAt: now().toISOString(),
  });
}

/** Marks the claim final (the manifest's status) so redeliveries skip it; errors as saveCheckpoint. */
export function finishClaim(
  s3: S3Client,
  claim: Claim,
  status: ManifestStatus,
  checkpoint: Checkpoint = claim.state.checkpoint,
  now: () => Date = () => new Date(),
): Promise<Claim> {
  return writeState(s3, claim, {
    ...withoutSessionMark(claim.state),
    status,
    checkpoint: settleInFlight(checkpoint),
    updatedAt: now().toISOString(),
  });
}

/**
 * Saves progress and gives the claim back, still `running`, so the next delivery of the message
 * takes it over at once and resumes (used when a run must stop early but the file is not done).
 * Errors as saveCheckpoint.
 */
export function releaseClaim(
  s3: S3Client,
  claim: Claim,
  checkpoint: Checkpoint = claim.state.checkpoint,
  now: () => Date = () => new Date(),
): Promise<Claim> {
  return writeState(s3, claim, {
    ...withoutSessionMark(claim.state),
    released: true,
    checkpoint: settleInFlight(checkpoint),
    updatedAt: now().toISOString(),
  });
}

/** Which chunks a resumed run must not send again: accepted ones, and unknown ones (never resent). */
export function resumePlan(checkpoint: Checkpoint): {
  readonly accepted: ReadonlySet<number>;
  readonly unknown: ReadonlySet<number>;
} {
  const settled = settleInFlight(checkpoint);
  const parts = (outcome: UploadOutcome) =>
    new Set(settled.uploads.filter((u) => u.outcome === outcome).map((u) => u.part));
  return { accepted: parts(UploadOutcome.Accepted), unknown: parts(UploadOutcome.Unknown) };
}

/** The state without `sessionMayBeOpen`: written once the session is over (or was another run's). */
function withoutSessionMark(state: ClaimState): ClaimState {
  const { sessionMayBeOpen: _ended, ...rest } = state;
  return rest;
}

/** A chunk left in flight by a run that stopped may have reached uContact: its outcome is unknown. */
function settleInFlight(checkpoint: Checkpoint): Checkpoint {
  const chunk = checkpoint.inFlight;
  const earlier = chunk && checkpoint.uploads.find((u) => u.part === chunk.part);
  if (!chunk || earlier?.outcome === UploadOutcome.Accepted) return { uploads: checkpoint.uploads };
  const unknown: ChunkOutcome = {
    ...chunk,
    outcome: UploadOutcome.Unknown,
    attempts: (earlier?.attempts ?? 0) + 1,
    durationMs: earlier?.durationMs ?? 0,
  };
  const others = checkpoint.uploads.filter((u) => u.part !== chunk.part);
  return { uploads: [...others, unknown].sort((a, b) => a.part - b.part) };
}

async function writeState(s3: S3Client, claim: Claim, state: ClaimState): Promise<Claim> {
  const where = whereOf(claim);
  const retry = claim.conflictRetry ?? DEFAULT_CONFLICT_RETRY;
  try {
    const eTag = await withConflictRetry(where, retry, () =>
      putJson(s3, claim.bucket, claim.stateKey, state, { ifMatch: claim.eTag }),
    );
    return { ...claim, eTag, state };
  } catch (error) {
    if (httpStatus(error) === 412) {
      throw new ClaimLostError(`${where} was taken over by another run; stopping`, {
        cause: error,
      });
    }
    throw asStorageError(where, error);
  }
}

function whereOf(target: { readonly bucket: string; readonly stateKey: string }): string {
  return `claim s3://${target.bucket}/${target.stateKey}`;
}

function asStorageError(where: string, error: unknown): Error {
  if (error instanceof ClaimConflictError || error instanceof StorageError) return error;
  return new StorageError(`${where} failed`, { cause: error });
}
