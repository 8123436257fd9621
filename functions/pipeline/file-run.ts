import { RejectionCode } from '../contacts/reason-codes.js';
import { chunkOf } from '../ucontact/results.js';
import type { SessionReport } from '../ucontact/upload-session.js';
import { type CampaignVerdict, campaignFromKey } from './campaign-from-key.js';
import {
  type Checkpoint,
  type Claim,
  claimObject,
  finishClaim,
  markSessionOpening,
  releaseClaim,
  saveCheckpoint,
} from './claim.js';
import { PipelineErrorCode } from './errors.js';
import { ManifestBuilder, ManifestStatus, UploadOutcome, writeManifest } from './manifest.js';
import type { UploadPlan } from './plan-upload.js';
import type { S3ObjectRef } from './read-event.js';
import { readFile } from './read-file.js';
import { ReloadWindow } from './reload-window.js';
import { writeReportPage } from './report-page.js';
import { type ResultLocation, resultLocation } from './result-location.js';
import { type Ending, sessionEnding } from './run-ending.js';
import { type RunTarget, runTarget } from './run-target.js';
import type { ObjectResult, ProcessObjectDeps } from './run-types.js';
import { uploadChunks } from './upload-chunks.js';

/**
 * One dropped object's run, from claim to manifest: it owns the claim (whose ETag changes with
 * every checkpoint), the plan, the session's report and the manifest being built, so each step
 * of processObject is one call on it.
 */
export class FileRun {
  readonly campaign: CampaignVerdict;
  private plan: UploadPlan | undefined;
  private session: SessionReport | undefined;
  /** The campaign's reload window and its lease, when the window is on. */
  private window: ReloadWindow | undefined;
  private readonly builder: ManifestBuilder;

  private constructor(
    private readonly object: S3ObjectRef,
    private readonly deps: ProcessObjectDeps,
    private readonly location: ResultLocation,
    private claim: Claim,
    private readonly lostInFlight: boolean,
    private readonly startedAt: Date,
    private readonly previousSessionMayBeOpen: boolean,
  ) {
    this.campaign = campaignFromKey(object.key, deps.config);
    this.builder = new ManifestBuilder({
      source: { ...sourceOf(object), size: object.size },
      campaign: this.campaign.ok ? this.campaign.campaign : null,
      startedAt,
    });
    if (previousSessionMayBeOpen) this.builder.setPreviousSessionMayBeOpen();
  }

  /**
   * Claims the object version. Returns the run, or the `skipped` result when another run has or
   * had the object. Throws what claimObject throws, and MissingObjectIdentityError.
   */
  static async begin(
    object: S3ObjectRef,
    deps: ProcessObjectDeps,
  ): Promise<FileRun | ObjectResult> {
    const { config, logger, now } = deps;
    const startedAt = now();
    const location = resultLocation(
      object,
      campaignFromKey(object.key, config),
      config.resultsPrefix,
    );
    const claimed = await claimObject(deps.s3, {
      bucket: object.bucket,
      stateKey: location.stateKey,
      owner: deps.requestId,
      source: sourceOf(object),
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
      return skipped(now().getTime() - startedAt.getTime());
    }
    if (claimed.resumed)
      logger.info('took over an unfinished claim', { attempt: claimed.claim.state.attempt });
    if (claimed.lostInFlight)
      logger.warn('a part was in flight when an earlier run stopped: its outcome is unknown', {
        part: claimed.lostInFlight.part,
      });
    if (claimed.previousSessionMayBeOpen)
      logger.warn('the run taken over stopped with a uContact session open; it may still be open');
    return new FileRun(
      object,
      deps,
      location,
      claimed.claim,
      claimed.lostInFlight !== undefined,
      startedAt,
      claimed.previousSessionMayBeOpen === true,
    );
  }

  /**
   * The campaign and engine rules of this drop, from the campaign profiles (see runTarget), noted
   * in the manifest; a refusal is the run's ending. Throws ProfilesInvalidError for a broken
   * profiles file, and StorageError.
   */
  async target(verdict: Extract<CampaignVerdict, { ok: true }>): Promise<RunTarget | Ending> {
    const found = await runTarget(this.deps.profiles, this.object.bucket, verdict);
    const target = 'target' in found ? found.target : undefined;
    this.builder.setProfile(found.profile, target?.campaign);
    if ('error' in found) throw found.error;
    if ('refusal' in found) return found.refusal;
    if (found.profile) this.deps.logger.info('campaign profile applied', { ...found.profile });
    return found.target;
  }

  /**
   * The read stage (see readFile), after taking the campaign's lease and reading its reload
   * window when the window is on; the plan stays with the run until dispose. Throws
   * CampaignBusyError when another file of the campaign holds the lease.
   */
  async read(target: RunTarget): Promise<UploadPlan> {
    const { campaign, engine, suppressionLists, reloadWindowDays } = target;
    const { deps, object } = this;
    this.window = await ReloadWindow.open({
      ...deps,
      object,
      campaign,
      owner: deps.requestId,
      profile: { reloadWindowDays },
    });
    const recentlyLoaded = this.window?.recentlyLoaded;
    this.plan = await readFile(
      {
        ...deps,
        object,
        campaign,
        engine,
        rejectedKey: this.location.rejectedKey,
        recentlyLoaded,
        suppressionLists,
      },
      this.builder,
    );
    const { summary, chunks } = this.plan;
    if (this.window) {
      const refused = summary.rejectionCodes[RejectionCode.RecentlyLoaded] ?? 0;
      this.builder.setReloadWindow(this.window.summary, refused);
    }
    deps.logger.info('file read', {
      input: summary.input,
      columns: summary.columns,
      counts: summary.counts,
      chunks: chunks.length,
    });
    return this.plan;
  }

  /** Uploads the plan's chunks in one session, resuming an earlier attempt; returns its ending. */
  async upload(plan: UploadPlan, campaign: string): Promise<Ending> {
    const { deps } = this;
    const credentials = await deps.credentials.get();
    const client = deps.createClient(
      credentials.baseUrl ?? deps.config.ucontactBaseUrl,
      deps.logger,
    );
    const reserveMs = deps.config.timeReserveSeconds * 1000;
    // Before the login: a run taking over after a crash from here on knows a session may be open.
    this.claim = await markSessionOpening(deps.s3, this.claim, deps.now);
    const { report, uploads } = await uploadChunks({
      progress: this,
      plan,
      campaign,
      client,
      getCredentials: (refresh) =>
        refresh ? deps.credentials.get({ forceFetch: true }) : credentials,
      // Half the reserve for EndSession, half for the manifest and the claim.
      deadline: client.now() + deps.remainingTimeMs() - reserveMs / 2,
      endSessionReserveMs: reserveMs / 2,
      logger: deps.logger,
      ...(this.window ? { beforeSend: this.window.record.bind(this.window) } : {}),
    });
    this.session = report;
    this.builder.setSession(report.endSession);
    return sessionEnding(report, uploads, deps.config.ucontactSecretId);
  }

  get checkpoint(): Checkpoint {
    return this.claim.state.checkpoint;
  }

  /** Saves progress with a conditional write (ProgressStore); throws ClaimLostError when taken over. */
  async save(checkpoint: Checkpoint): Promise<void> {
    this.claim = await saveCheckpoint(this.deps.s3, this.claim, checkpoint, this.deps.now);
  }

  /**
   * Settles the load record (reload window), writes the manifest, then closes the claim (or gives
   * it back when `ending.retry`); the campaign's lease is let go whatever happens.
   */
  async finish(ending: Ending): Promise<ObjectResult> {
    try {
      await this.window?.settle(this.claim.state.checkpoint);
      return await this.writeResult(ending);
    } finally {
      await this.window?.release();
    }
  }

  private async writeResult(ending: Ending): Promise<ObjectResult> {
    const { deps } = this;
    this.addUploads();
    const manifest = this.builder.build({ ...ending, finishedAt: deps.now() });
    const { manifestKey, reportKey } = this.location;
    const { bucket } = this.object;
    // The page first: whoever the manifest's notification sends finds both.
    await writeReportPage(
      deps.s3,
      { bucket, key: reportKey, language: deps.config.reportLanguage },
      manifest,
      deps.logger,
    );
    await writeManifest(deps.s3, bucket, manifestKey, manifest);
    const checkpoint = this.claim.state.checkpoint;
    this.claim = ending.retry
      ? await releaseClaim(deps.s3, this.claim, checkpoint, deps.now)
      : await finishClaim(deps.s3, this.claim, manifest.status, checkpoint, deps.now);
    const retry = ending.retry === true;
    const log = retry || manifest.error ? deps.logger.warn : deps.logger.info;
    log.call(deps.logger, `file ${manifest.status}${retry ? ', to be retried' : ''}`, {
      status: manifest.status,
      counts: manifest.counts,
      chunks: manifest.uploads.length,
      ...(manifest.error ? { error: manifest.error } : {}),
      manifestKey,
    });
    const sessionLeftOpen = this.session?.endSession?.ok === false;
    return {
      ...this.outcome(manifest.status, retry),
      manifest,
      manifestKey,
      ...(sessionLeftOpen ? { sessionLeftOpen } : {}),
    };
  }

  /** Another run took the object over: stop without writing anything but letting the lease go. */
  async abandon(): Promise<ObjectResult> {
    await this.window?.release();
    this.deps.logger.warn('another run took this object over; stopping without writing results');
    return this.outcome(ManifestStatus.Skipped, false);
  }

  /** Removes the plan's spool; never throws. */
  async dispose(): Promise<void> {
    await this.plan?.remove();
  }

  private outcome(status: ManifestStatus, retry: boolean): ObjectResult {
    return {
      status,
      retry,
      sent: this.session?.results ?? [],
      ...(this.lostInFlight ? { lostInFlight: 1 } : {}),
      ...(this.previousSessionMayBeOpen ? { previousSessionMayBeOpen: true } : {}),
      durationMs: this.deps.now().getTime() - this.startedAt.getTime(),
    };
  }

  /**
   * The manifest's uploads: every saved outcome; a chunk still in flight as `unknown`; chunks no
   * attempt sent as `failed` with no attempt (safe to send again).
   */
  private addUploads(): void {
    const { uploads, inFlight } = this.claim.state.checkpoint;
    const listed = new Set(uploads.map((u) => u.part));
    for (const entry of uploads) this.builder.addUpload(entry);
    if (inFlight && !listed.has(inFlight.part)) {
      this.builder.addUpload({
        ...inFlight,
        outcome: UploadOutcome.Unknown,
        attempts: 1,
        durationMs: 0,
      });
      listed.add(inFlight.part);
    }
    for (const chunk of this.plan?.chunks ?? []) {
      if (listed.has(chunk.part)) continue;
      this.builder.addUpload({
        ...chunkOf(chunk),
        outcome: UploadOutcome.Failed,
        attempts: 0,
        durationMs: 0,
      });
    }
  }
}

/** A refused campaign folder: the run ends `rejected` before reading anything. */
export function refusedFolder(verdict: Extract<CampaignVerdict, { ok: false }>): Ending {
  return {
    status: ManifestStatus.Rejected,
    error: { code: verdict.reason, message: verdict.message },
  };
}

/** A file none of whose rows can be loaded: `rejected`, with no uContact call. */
export function noValidContacts(rows: number): Ending {
  return {
    status: ManifestStatus.Rejected,
    error: {
      code: PipelineErrorCode.NoValidContacts,
      message: `none of the file's ${rows} rows can be loaded; rejected.csv says why`,
    },
  };
}

function sourceOf(object: S3ObjectRef) {
  return { bucket: object.bucket, key: object.key, versionId: object.versionId, eTag: object.eTag };
}

function skipped(durationMs: number): ObjectResult {
  return { status: ManifestStatus.Skipped, retry: false, sent: [], durationMs };
}
