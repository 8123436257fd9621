import {
  type Credentials,
  silentLogger,
  summary,
  type UcontactClient,
  type UcontactLogger,
} from './client.js';
import { AuthFailedError, UcontactErrorCode } from './errors.js';
import { assertUploadOverheadFits } from './form.js';
import {
  type CallReport,
  type ChunkResult,
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
   * uContact could not take a base for now (unreachable, 429 or 5xx after the client's retries):
   * that base was not loaded, and the following ones would fare no better (`stopWhenUnavailable`).
   */
  Unavailable: 'unavailable',
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

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
  readonly stopped?: { readonly reason: StopReason; readonly message: string };
}

interface OpenSession {
  readonly user: string;
  readonly token: string;
}

/**
 * Uploads bases in one uContact session: login, uploadbase per base in order, EndSession always
 * (after success, failure or a throw from the source or `onResult`, which is then rethrown).
 * A 401/403 mid-session leads to one new login and one retry of that base. The session stops
 * taking bases after an `unknown` outcome, a failed login, when the deadline is too close, or
 * (with `stopWhenUnavailable`) after a base uContact could not take for now; `stopped` says why,
 * and every base not taken from the source was not sent.
 */
export async function runUploadSession(options: UploadSessionOptions): Promise<SessionReport> {
  const { client } = options;
  const logger = options.logger ?? silentLogger;
  const reserve = options.endSessionReserveMs ?? DEFAULT_SESSION_OPTIONS.endSessionReserveMs;
  const minWindow = options.minUploadWindowMs ?? DEFAULT_SESSION_OPTIONS.minUploadWindowMs;
  const workDeadline = options.deadline - reserve;
  const hasRoom = () => workDeadline - client.now() >= minWindow;
  const results: ChunkResult[] = [];
  let relogins = 0;
  let stopped: SessionReport['stopped'];

  const openSession = async (): Promise<{ report: CallReport; session?: OpenSession }> => {
    let credentials = await options.getCredentials(false);
    let result = await client.login(credentials, workDeadline);
    let { attempts, durationMs } = result;
    if (!result.ok && result.error instanceof AuthFailedError) {
      const fresh = await options.getCredentials(true);
      // The same user and password again would only add a refused login (and risk a lockout).
      if (fresh.user !== credentials.user || fresh.password !== credentials.password) {
        credentials = fresh;
        result = await client.login(credentials, workDeadline);
        attempts += result.attempts;
        durationMs += result.durationMs;
      }
    }
    if (!result.ok) {
      logger.warn('uContact login failed', {
        user: credentials.user,
        attempts,
        code: result.error.code,
      });
      return { report: { ok: false, attempts, durationMs, error: summary(result.error) } };
    }
    logger.info('uContact login succeeded', { user: credentials.user, attempts });
    return {
      report: { ok: true, attempts, durationMs },
      session: { user: credentials.user, token: result.token },
    };
  };

  const endSession = async (open: OpenSession): Promise<CallReport> => {
    const deadline = Math.max(options.deadline, client.now() + END_SESSION_FLOOR_MS);
    const report = await client.endSession(open.user, open.token, deadline);
    const log = report.ok ? logger.info : logger.warn;
    log.call(logger, `uContact EndSession ${report.ok ? 'succeeded' : 'failed'}`, {
      user: open.user,
      attempts: report.attempts,
      ...(report.error ? { code: report.error.code } : {}),
    });
    return report;
  };

  const opened = await openSession();
  if (!opened.session) {
    const message = opened.report.error?.message ?? 'login failed';
    return {
      results,
      login: opened.report,
      relogins,
      stopped: { reason: StopReason.LoginFailed, message },
    };
  }
  let session: OpenSession | undefined = opened.session;
  let endReport: CallReport | undefined;

  const sendBase = async (base: UploadBase): Promise<ChunkResult> => {
    const started = client.now();
    const fields = {
      filename: base.filename,
      campaign: base.campaign,
      cant: base.records,
      username: session!.user,
    };
    if (options.overheadReserveBytes !== undefined)
      assertUploadOverheadFits(fields, options.overheadReserveBytes);
    let call = await client.uploadBase(session!.token, fields, base.content, workDeadline);
    let attempts = call.attempts;
    let failure: ErrorSummary | undefined;
    if (call.authRejected && call.outcome === UploadOutcome.Failed) {
      logger.warn('uContact refused the session token; logging in again', { part: base.part });
      await endSession(session!);
      session = undefined;
      relogins++;
      const again = await openSession();
      if (again.session) {
        session = again.session;
        call = await client.uploadBase(
          session.token,
          { ...fields, username: session.user },
          base.content,
          workDeadline,
        );
        attempts += call.attempts;
        if (call.authRejected)
          stopped = {
            reason: StopReason.AuthRejected,
            message: 'uContact refused a fresh session token',
          };
      } else {
        failure = again.report.error;
        stopped = { reason: StopReason.LoginFailed, message: failure?.message ?? 'login failed' };
      }
    }
    if (call.outcome === UploadOutcome.Unknown) {
      stopped = {
        reason: StopReason.UnknownOutcome,
        message: `part ${base.part} may or may not have been loaded`,
      };
    } else if (call.error?.code === UcontactErrorCode.Deadline) {
      stopped = { reason: StopReason.Deadline, message: call.error.message };
    }
    const retryable = !failure && call.outcome === UploadOutcome.Failed && call.retryable === true;
    if (retryable && options.stopWhenUnavailable && !stopped) {
      stopped = {
        reason: StopReason.Unavailable,
        message: `uContact could not take part ${base.part} for now (${call.error?.message ?? 'no answer'})`,
      };
    }
    const error = failure ?? call.error;
    return {
      part: base.part,
      filename: base.filename,
      records: base.records,
      bytes: base.bytes,
      outcome: failure ? UploadOutcome.Failed : call.outcome,
      attempts,
      durationMs: client.now() - started,
      ...(call.answer !== undefined && !failure ? { answer: call.answer } : {}),
      ...(error ? { error } : {}),
      ...(retryable ? { retryable } : {}),
    };
  };

  try {
    if (hasRoom()) {
      for await (const base of options.bases) {
        const result = await sendBase(base);
        results.push(result);
        logger.info('uContact base sent', { ...result });
        await options.onResult?.(result);
        if (stopped) break;
        if (!hasRoom()) {
          stopped = {
            reason: StopReason.Deadline,
            message: 'too little time left to send another base',
          };
          break;
        }
      }
    } else {
      stopped = { reason: StopReason.Deadline, message: 'too little time left to send a base' };
    }
  } finally {
    if (session) endReport = await endSession(session);
  }
  return {
    results,
    login: opened.report,
    ...(endReport ? { endSession: endReport } : {}),
    relogins,
    ...(stopped ? { stopped } : {}),
  };
}
