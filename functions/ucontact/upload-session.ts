import {
  type Credentials,
  silentLogger,
  summary,
  type UcontactClient,
  type UcontactLogger,
  type UploadCallResult,
} from './client.js';
import { AuthFailedError, UcontactErrorCode } from './errors.js';
import { assertUploadOverheadFits } from './form.js';
import {
  type CallReport,
  type ChunkResult,
  chunkOf,
  type ErrorSummary,
  type UploadBase,
  UploadOutcome,
} from './results.js';

/** Why a session sent no further bases. Bases it never took from the source were not sent. */
export const StopReason = {
  /** No session could be opened (or reopened after uContact refused the token). */
  LoginFailed: 'login-failed',
  /** uContact refused the token again right after a new login. */
  AuthRejected: 'auth-rejected',
  /** A base's outcome is unknown: sending more could hide which ones were loaded. */
  UnknownOutcome: 'unknown-outcome',
  /** Too little time was left before the deadline (minus the EndSession reserve). */
  Deadline: 'deadline',
  /**
   * uContact could not take a base for now (unreachable, 429 or 503 after the client's retries):
   * that base was not loaded, and the following ones would fare no better (`stopWhenUnavailable`).
   */
  Unavailable: 'unavailable',
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

/** Why the session stopped early: the reason, in words, and the failure behind it when one was. */
export interface SessionStop {
  readonly reason: StopReason;
  readonly message: string;
  /** The login's or the base's error that stopped the session. */
  readonly error?: ErrorSummary;
}

export interface UploadSessionOptions {
  readonly client: UcontactClient;
  /** Credentials for a login; `refresh` asks for fresh ones after uContact refused the last. */
  readonly getCredentials: (refresh: boolean) => Credentials | Promise<Credentials>;
  /** The bases, taken one at a time, only when the previous one is done. */
  readonly bases: AsyncIterable<UploadBase> | Iterable<UploadBase>;
  /** Epoch ms by which the session must be over, EndSession included. */
  readonly deadline: number;
  /** Time kept free before the deadline for EndSession. */
  readonly endSessionReserveMs?: number;
  /** A base is only started when at least this long is left before the EndSession reserve. */
  readonly minUploadWindowMs?: number;
  /**
   * Stop after a base uContact could not take for now (`retryable`), so a later attempt can
   * resume with it; otherwise the session goes on with the next base. Default false.
   */
  readonly stopWhenUnavailable?: boolean;
  /** When set, each base's non-file form fields must fit in this many bytes (the chunker's reserve). */
  readonly overheadReserveBytes?: number;
  /** Called with each base's result as soon as it is known; a throw ends the session and is rethrown. */
  readonly onResult?: (result: ChunkResult) => void | Promise<void>;
  readonly logger?: UcontactLogger;
}

export const DEFAULT_SESSION_OPTIONS = {
  endSessionReserveMs: 10_000,
  minUploadWindowMs: 10_000,
} as const;

/** EndSession gets at least this long, even when the deadline has passed. */
const END_SESSION_FLOOR_MS = 2_000;

export interface SessionReport {
  /** One per base taken from the source, in order. Bases never taken were not sent. */
  readonly results: readonly ChunkResult[];
  /** The first login (a new login after a refused token is counted in `relogins`). */
  readonly login: CallReport;
  /** The final EndSession; absent when no session was open at the end. */
  readonly endSession?: CallReport;
  readonly relogins: number;
  readonly stopped?: SessionStop;
}

interface OpenSession {
  readonly user: string;
  readonly token: string;
}

/**
 * Uploads bases in one uContact session: login, uploadbase per base in order, EndSession always
 * (after success, failure or a throw from the source or `onResult`, which is then rethrown).
 * A refused session mid-way leads to one new login and one retry of that base. The session stops
 * taking bases after an `unknown` outcome, a failed login, when the deadline is too close, or
 * (with `stopWhenUnavailable`) after a base uContact could not take for now; `stopped` says why,
 * and every base not taken from the source was not sent.
 */
export async function runUploadSession(options: UploadSessionOptions): Promise<SessionReport> {
  const session = new UploadSession(options);
  const login = await session.open();
  if (!login.ok) return session.report(login);
  try {
    if (!session.hasRoom())
      session.stop(StopReason.Deadline, 'too little time left to send a base');
    else {
      for await (const base of options.bases) {
        const result = await session.send(base);
        await options.onResult?.(result);
        if (!session.stopped && !session.hasRoom())
          session.stop(StopReason.Deadline, 'too little time left to send another base');
        if (session.stopped) break;
      }
    }
  } finally {
    await session.end();
  }
  return session.report(login);
}

/** One session's state: the open token, the results so far, why it stopped. */
class UploadSession {
  readonly results: ChunkResult[] = [];
  stopped: SessionStop | undefined;
  private open_: OpenSession | undefined;
  private relogins = 0;
  private ended: CallReport | undefined;
  private readonly logger: UcontactLogger;
  private readonly workDeadline: number;
  private readonly minWindow: number;

  constructor(private readonly options: UploadSessionOptions) {
    this.logger = options.logger ?? silentLogger;
    const reserve = options.endSessionReserveMs ?? DEFAULT_SESSION_OPTIONS.endSessionReserveMs;
    this.workDeadline = options.deadline - reserve;
    this.minWindow = options.minUploadWindowMs ?? DEFAULT_SESSION_OPTIONS.minUploadWindowMs;
  }

  hasRoom(): boolean {
    return this.workDeadline - this.options.client.now() >= this.minWindow;
  }

  stop(reason: StopReason, message: string, error?: ErrorSummary): void {
    this.stopped ??= { reason, message, ...(error ? { error } : {}) };
  }

  /** Logs in (once more with refreshed credentials after a refusal); stops the session on failure. */
  async open(): Promise<CallReport> {
    const { client, getCredentials } = this.options;
    let credentials = await getCredentials(false);
    let result = await client.login(credentials, this.workDeadline);
    let { attempts, durationMs } = result;
    if (!result.ok && result.error instanceof AuthFailedError) {
      const fresh = await getCredentials(true);
      // The same user and password again would only add a refused login (and risk a lockout).
      if (fresh.user !== credentials.user || fresh.password !== credentials.password) {
        credentials = fresh;
        result = await client.login(credentials, this.workDeadline);
        attempts += result.attempts;
        durationMs += result.durationMs;
      }
    }
    const fields = { user: credentials.user, attempts };
    if (!result.ok) {
      const error = summary(result.error);
      this.logger.warn('uContact login failed', { ...fields, code: error.code });
      this.stop(StopReason.LoginFailed, error.message, error);
      return { ok: false, attempts, durationMs, error };
    }
    this.logger.info('uContact login succeeded', fields);
    this.open_ = { user: credentials.user, token: result.token };
    return { ok: true, attempts, durationMs };
  }

  /** Sends one base, logging in again once if uContact refused the session; records its result. */
  async send(base: UploadBase): Promise<ChunkResult> {
    const started = this.options.client.now();
    let call = await this.upload(base);
    let attempts = call.attempts;
    if (call.authRejected) {
      this.logger.warn('uContact refused the session token; logging in again', { part: base.part });
      const again = await this.reopen();
      if (again.ok) {
        call = await this.upload(base);
        attempts += call.attempts;
        if (call.authRejected)
          this.stop(StopReason.AuthRejected, 'uContact refused a fresh session token', call.error);
      } else {
        // The base was not loaded: what matters is why no session could be had for it.
        const { answer: _refusal, ...refused } = call;
        call = { ...refused, ...(again.error ? { error: again.error } : {}) };
      }
    }
    const result = this.judge(base, call, attempts, started);
    this.results.push(result);
    this.logger.info('uContact base sent', { ...result });
    return result;
  }

  /** Ends the open session, if any; never throws. */
  async end(): Promise<void> {
    if (!this.open_) return;
    const { client } = this.options;
    const deadline = Math.max(this.options.deadline, client.now() + END_SESSION_FLOOR_MS);
    const { user, token } = this.open_;
    this.open_ = undefined;
    this.ended = await client.endSession(user, token, deadline);
    const report = this.ended;
    const log = report.ok ? this.logger.info : this.logger.warn;
    log.call(this.logger, `uContact EndSession ${report.ok ? 'succeeded' : 'failed'}`, {
      user,
      attempts: report.attempts,
      ...(report.error ? { code: report.error.code } : {}),
    });
  }

  report(login: CallReport): SessionReport {
    return {
      results: this.results,
      login,
      ...(this.ended ? { endSession: this.ended } : {}),
      relogins: this.relogins,
      ...(this.stopped ? { stopped: this.stopped } : {}),
    };
  }

  private upload(base: UploadBase): Promise<UploadCallResult> {
    const { user, token } = this.open_!;
    const fields = {
      filename: base.filename,
      campaign: base.campaign,
      cant: base.records,
      username: user,
    };
    if (this.options.overheadReserveBytes !== undefined)
      assertUploadOverheadFits(fields, this.options.overheadReserveBytes);
    return this.options.client.uploadBase(token, fields, base.content, this.workDeadline);
  }

  private async reopen(): Promise<CallReport> {
    await this.end();
    this.ended = undefined;
    this.relogins++;
    return this.open();
  }

  /** The base's result, and the stop it calls for. */
  private judge(base: UploadBase, call: UploadCallResult, attempts: number, started: number) {
    const { outcome, error } = call;
    if (outcome === UploadOutcome.Unknown)
      this.stop(
        StopReason.UnknownOutcome,
        `part ${base.part} may or may not have been loaded`,
        error,
      );
    else if (error?.code === UcontactErrorCode.Deadline)
      this.stop(StopReason.Deadline, error.message, error);
    const retryable = outcome === UploadOutcome.Failed && call.retryable === true && !this.stopped;
    if (retryable && this.options.stopWhenUnavailable) {
      const why = error?.message ?? 'no answer';
      this.stop(
        StopReason.Unavailable,
        `uContact could not take part ${base.part} for now (${why})`,
        error,
      );
    }
    const result: ChunkResult = {
      ...chunkOf(base),
      outcome,
      attempts,
      durationMs: this.options.client.now() - started,
      ...(call.answer !== undefined ? { answer: call.answer } : {}),
      ...(error ? { error } : {}),
      ...(retryable ? { retryable } : {}),
    };
    return result;
  }
}
