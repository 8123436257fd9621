import type { Credentials, UcontactClient, UcontactLogger } from '../ucontact/client.js';
import {
  type ChunkOutcome,
  type ChunkResult,
  chunkOf,
  type UploadBase,
  type UploadChunk,
  UploadOutcome,
} from '../ucontact/results.js';
import { runUploadSession, type SessionReport } from '../ucontact/upload-session.js';
import { type Checkpoint, resumePlan } from './claim.js';
import { ResumeMismatchError } from './errors.js';
import type { UploadPlan } from './plan-upload.js';

/** Where the run's progress is kept: the claim's checkpoint, saved with a conditional write. */
export interface ProgressStore {
  /** The checkpoint as last saved, an earlier attempt's included. */
  readonly checkpoint: Checkpoint;
  /** Saves progress; throws when the claim was lost or cannot be written (the session then ends). */
  save(checkpoint: Checkpoint): Promise<void>;
}

export interface UploadChunksInput {
  readonly progress: ProgressStore;
  readonly plan: UploadPlan;
  readonly campaign: string;
  readonly client: UcontactClient;
  readonly getCredentials: (refresh: boolean) => Credentials | Promise<Credentials>;
  /** Epoch ms by which the session, EndSession included, must be over. */
  readonly deadline: number;
  readonly endSessionReserveMs: number;
  readonly logger: UcontactLogger;
  /**
   * Called with each chunk before anything about it is saved or sent (the reload window records
   * its numbers there); a throw ends the session without sending it.
   */
  readonly beforeSend?: (base: UploadBase) => Promise<void>;
}

export interface UploadChunksResult {
  readonly report: SessionReport;
  /** Every chunk with an outcome, earlier attempts' included, by part. */
  readonly uploads: readonly ChunkOutcome[];
}

/**
 * Sends a plan's chunks in one uContact session, resuming after an earlier attempt: chunks it
 * had accepted are skipped, and a chunk whose outcome is unknown (sent, no answer) is never sent
 * again. The session stops at a chunk uContact could not take for now (see StopReason.Unavailable).
 * Before each upload one conditional write saves the previous chunk's outcome together with this
 * chunk as in flight (one write a chunk instead of two: at 1M contacts, 72 S3 round trips fewer);
 * the last outcome is saved when the session asks for no more chunks. A crash at any point leaves
 * a checkpoint that never leads to a second upload of the same chunk: a chunk whose outcome was
 * not saved yet is still in flight there, which a later run reads as `unknown`.
 * Throws ResumeMismatchError when the earlier attempt cut the file differently, and what saving
 * progress or the credentials throw; the session is always ended first.
 */
export async function uploadChunks(input: UploadChunksInput): Promise<UploadChunksResult> {
  const { plan, progress } = input;
  checkSameChunks(progress.checkpoint.uploads, plan.chunks);
  const ledger = new ChunkLedger(progress, plan.chunks.length);
  const { accepted, unknown } = resumePlan(progress.checkpoint);
  const toSend = plan.chunks.filter((c) => !accepted.has(c.part) && !unknown.has(c.part));
  if (accepted.size + unknown.size > 0) {
    input.logger.info('resuming an earlier attempt', {
      acceptedParts: [...accepted],
      unknownParts: [...unknown],
      partsToSend: toSend.map((c) => c.part),
    });
  }
  async function* bases(): AsyncGenerator<UploadBase> {
    for await (const base of plan.bases(input.campaign, { chunks: toSend })) {
      await input.beforeSend?.(base);
      await ledger.save(base);
      yield base;
    }
    // Asked for a chunk after the last one: save the last outcome before EndSession.
    await ledger.save();
  }
  const report = await runUploadSession({
    client: input.client,
    getCredentials: input.getCredentials,
    bases: bases(),
    deadline: input.deadline,
    endSessionReserveMs: input.endSessionReserveMs,
    // The message is retried and resumes with that chunk; sending on would only add failures.
    stopWhenUnavailable: true,
    logger: input.logger,
    onResult: (result) => ledger.record(result),
  });
  // The session stopped early (unknown outcome, uContact unavailable, deadline) after a result.
  await ledger.save();
  return { report, uploads: ledger.list() };
}

/** Every chunk's outcome so far, and whether the latest one is saved yet. */
class ChunkLedger {
  private readonly outcomes = new Map<number, ChunkOutcome>();
  private unsaved = false;

  constructor(
    private readonly progress: ProgressStore,
    parts: number,
  ) {
    // The claim has already turned a chunk left in flight by a crashed run into `unknown`. A
    // failed part past the plan's last is gone: the file was cut into fewer parts this time.
    for (const entry of progress.checkpoint.uploads) {
      if (entry.outcome !== UploadOutcome.Failed || entry.part <= parts)
        this.outcomes.set(entry.part, entry);
    }
  }

  record(result: ChunkResult): void {
    const earlier = this.outcomes.get(result.part)?.attempts ?? 0;
    this.outcomes.set(result.part, {
      ...chunkOf(result),
      outcome: result.outcome,
      attempts: earlier + result.attempts,
      durationMs: result.durationMs,
    });
    this.unsaved = true;
  }

  /** Saves the outcomes with `inFlight` about to be sent; without it, only when one is unsaved. */
  async save(inFlight?: UploadChunk): Promise<void> {
    if (!inFlight && !this.unsaved) return;
    await this.progress.save({
      uploads: this.list(),
      ...(inFlight ? { inFlight: chunkOf(inFlight) } : {}),
    });
    this.unsaved = false;
  }

  list(): ChunkOutcome[] {
    return [...this.outcomes.values()].sort((a, b) => a.part - b.part);
  }
}

/**
 * Parts are matched by number: a resumed run must have cut the file as the first did, up to the
 * parts that may be in the dialer (accepted, unknown). A failed part is sent again whatever it
 * holds now: with a reload window, another file of the campaign may have loaded some of its
 * numbers in between, which this run refuses.
 */
function checkSameChunks(earlier: readonly ChunkOutcome[], chunks: readonly UploadChunk[]): void {
  for (const entry of earlier) {
    if (entry.outcome === UploadOutcome.Failed) continue;
    const chunk = chunks[entry.part - 1];
    if (!chunk || chunk.records !== entry.records || chunk.bytes !== entry.bytes) {
      throw new ResumeMismatchError(
        `part ${entry.part} of the earlier attempt does not match this run's chunks ` +
          '(were MAX_REQUEST_BYTES or MAX_CHUNK_RECORDS changed, or the loader updated ' +
          'while the file was in progress?); nothing more is sent',
      );
    }
  }
}
