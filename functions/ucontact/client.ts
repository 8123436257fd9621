import { parseBaseUrl } from './base-url.js';
import {
  AuthFailedError,
  CallTimeoutError,
  DeadlineError,
  HttpStatusError,
  NetworkError,
  type UcontactError,
  UcontactErrorCode,
} from './errors.js';
import { sanitizeExcerpt } from './excerpt.js';
import { encodeForm, encodeUploadForm, type UploadFormFields } from './form.js';
import { type Attempt, type PostForm, postFormOverHttp } from './http-call.js';
import { readToken } from './read-token.js';
import { type CallReport, type ErrorSummary, UploadOutcome } from './results.js';
import {
  DEFAULT_RETRY_POLICY,
  nextRetryDelay,
  parseRetryAfter,
  type RetryClock,
  type RetryPolicy,
  systemClock,
} from './retry.js';
import { judgeUploadAttempt, UploadVerdict } from './upload-answer.js';

/** A user and password for uContact's login. */
export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** Where the client writes what it does; Powertools' Logger and `console` both fit. */
export interface UcontactLogger {
  info(message: string, extra?: Readonly<Record<string, unknown>>): void;
  warn(message: string, extra?: Readonly<Record<string, unknown>>): void;
}

export const silentLogger: UcontactLogger = { info: () => {}, warn: () => {} };

export interface UcontactClientOptions {
  /** `https://<tenant>.ucontactcloud.com/`; plain http only on loopback. */
  readonly baseUrl: string | URL;
  readonly loginPath?: string;
  /** Timeout of one login or EndSession request. */
  readonly callTimeoutMs?: number;
  /** Timeout of one uploadbase request. */
  readonly uploadTimeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Sends one request; node:http(s) by default. Unit tests of the answer rules pass their own, and
   * tests that must reach another port wrap postFormOverHttp, so every socket path is production's.
   */
  readonly post?: PostForm;
  readonly clock?: RetryClock;
  readonly logger?: UcontactLogger;
}

export const DEFAULT_CLIENT_OPTIONS = {
  loginPath: 'Integra/resources/auth/UserLogin',
  callTimeoutMs: 30_000,
  uploadTimeoutMs: 60_000,
} as const;

const UPLOAD_PATH = 'Integra/resources/Dialers/uploadbase';
const END_SESSION_PATH = 'Integra/resources/auth/EndSession';
/** A retry is only started when at least this long (or the whole call timeout, if shorter) is left. */
const MIN_ATTEMPT_MS = 1_000;

export type LoginResult =
  | {
      readonly ok: true;
      readonly token: string;
      readonly attempts: number;
      readonly durationMs: number;
    }
  | {
      readonly ok: false;
      readonly error: UcontactError;
      readonly attempts: number;
      readonly durationMs: number;
    };

export interface UploadCallResult {
  readonly outcome: UploadOutcome;
  readonly attempts: number;
  readonly durationMs: number;
  readonly answer?: string;
  readonly error?: ErrorSummary;
  /**
   * The session token was refused before the base was processed (401, 403, a redirect, a login
   * page): the base was not loaded, and a new login may get it through.
   */
  readonly authRejected: boolean;
  /** A `failed` base uContact could not take for now (see ChunkResult.retryable). */
  readonly retryable?: boolean;
}

interface CallPlan {
  readonly name: string;
  readonly path: string;
  /** Sent again as it is on a retry. */
  readonly body: string | Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Epoch ms by which the call must be over. */
  readonly latest: number;
  readonly retryable: (attempt: Attempt) => boolean;
}

interface CallRun {
  /** Undefined when the deadline left no time for a first attempt. */
  readonly last: Attempt | undefined;
  readonly attempts: number;
  readonly durationMs: number;
}

/** The three calls of uContact's Integra API, each with its own timeout and retries. */
export class UcontactClient {
  readonly baseUrl: URL;
  private readonly loginPath: string;
  private readonly callTimeoutMs: number;
  private readonly uploadTimeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly post: PostForm;
  private readonly clock: RetryClock;
  private readonly logger: UcontactLogger;

  /** Throws InvalidBaseUrlError when the base URL is unusable (see parseBaseUrl). */
  constructor(options: UcontactClientOptions) {
    this.baseUrl = parseBaseUrl(options.baseUrl);
    this.loginPath = (options.loginPath ?? DEFAULT_CLIENT_OPTIONS.loginPath).replace(/^\/+/, '');
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CLIENT_OPTIONS.callTimeoutMs;
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_CLIENT_OPTIONS.uploadTimeoutMs;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.post = options.post ?? postFormOverHttp;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  /** The client's clock, so a session measures time the same way. */
  now(): number {
    return this.clock.now();
  }

  /**
   * Logs in and returns the session token. Retried on network errors, timeouts, 429 and 5xx.
   * Never throws for uContact's answers: a refusal is `{ ok: false }` with AuthFailedError (answer
   * `0`, 401, 403), BadAnswerError, HttpStatusError, NetworkError, CallTimeoutError or DeadlineError.
   */
  async login(credentials: Credentials, deadline: number): Promise<LoginResult> {
    const run = await this.call({
      name: 'login',
      path: this.loginPath,
      body: encodeForm({ user: credentials.user, password: credentials.password }),
      headers: {},
      timeoutMs: this.callTimeoutMs,
      latest: deadline,
      retryable: retryableForSessionCalls,
    });
    const base = { attempts: run.attempts, durationMs: run.durationMs };
    const { last } = run;
    if (last?.kind !== 'answer')
      return { ok: false, error: this.transportError('login', last), ...base };
    if (last.status === 401 || last.status === 403) {
      return {
        ok: false,
        error: new AuthFailedError(`uContact refused the login (HTTP ${last.status})`),
        ...base,
      };
    }
    if (last.status < 200 || last.status > 299) {
      return {
        ok: false,
        error: new HttpStatusError(
          last.status,
          `login answered HTTP ${last.status}; check the base URL and login path`,
        ),
        ...base,
      };
    }
    try {
      return { ok: true, token: readToken(last.body, [credentials.password]), ...base };
    } catch (error) {
      return { ok: false, error: error as UcontactError, ...base };
    }
  }

  /**
   * Sends one base. Judged by judgeUploadAttempt: retried only while the attempt proves the base
   * was not processed (connection never made, 429, 503); an answer `0` or another 4xx is `failed`;
   * a refused session (401, 403, a redirect, a login page) is `failed` with `authRejected`, for the
   * caller to log in again; anything else after the request went out (500, 502, 504, a reset, a
   * timeout, an unreadable answer) is `unknown` and never resent. A `failed` outcome is `retryable`
   * when uContact was unavailable. Never throws: every failure is in the result.
   */
  async uploadBase(
    token: string,
    fields: UploadFormFields,
    content: string | Uint8Array,
    deadline: number,
  ): Promise<UploadCallResult> {
    const run = await this.call({
      name: 'uploadbase',
      path: UPLOAD_PATH,
      body: encodeUploadForm(fields, content),
      headers: { Authorization: `Basic ${token}` },
      timeoutMs: this.uploadTimeoutMs,
      latest: deadline,
      retryable: (attempt) => judgeUploadAttempt(attempt) === UploadVerdict.Unavailable,
    });
    const base = { attempts: run.attempts, durationMs: run.durationMs, authRejected: false };
    const { last } = run;
    if (last === undefined) {
      const error = summary(this.transportError('uploadbase', last));
      return { outcome: UploadOutcome.Failed, error, ...base };
    }
    const verdict = judgeUploadAttempt(last);
    const answer = last.kind === 'answer' ? sanitizeExcerpt(last.body, [token]) : undefined;
    const withAnswer = { ...base, ...(answer !== undefined ? { answer } : {}) };
    if (verdict === UploadVerdict.Accepted)
      return { ...withAnswer, outcome: UploadOutcome.Accepted };
    const error = uploadError(verdict, last, this.transportError('uploadbase', last));
    if (verdict === UploadVerdict.Unknown)
      return { ...withAnswer, outcome: UploadOutcome.Unknown, error };
    return {
      ...withAnswer,
      outcome: UploadOutcome.Failed,
      error,
      ...(verdict === UploadVerdict.SessionRefused ? { authRejected: true } : {}),
      ...(verdict === UploadVerdict.Unavailable ? { retryable: true } : {}),
    };
  }

  /**
   * Ends the session (`user`, `token`, Basic header). Retried on network errors, timeouts, 429,
   * 5xx and an answer other than `1` (ending a session twice is harmless; leaving it open keeps a
   * live credential on the dialer). Never throws: a failure is reported with `ok: false` and must
   * not hide upload results.
   */
  async endSession(user: string, token: string, deadline: number): Promise<CallReport> {
    const run = await this.call({
      name: 'EndSession',
      path: END_SESSION_PATH,
      body: encodeForm({ user, token }),
      headers: { Authorization: `Basic ${token}` },
      timeoutMs: this.callTimeoutMs,
      latest: deadline,
      retryable: (attempt) =>
        retryableForSessionCalls(attempt) ||
        (attempt.kind === 'answer' && attempt.status < 300 && attempt.body.trim() !== '1'),
    });
    const base = { attempts: run.attempts, durationMs: run.durationMs };
    const { last } = run;
    if (last?.kind !== 'answer')
      return { ok: false, error: summary(this.transportError('EndSession', last)), ...base };
    const answer = sanitizeExcerpt(last.body, [token]);
    if (last.status < 200 || last.status > 299) {
      return {
        ok: false,
        answer,
        error: {
          code: UcontactErrorCode.HttpStatus,
          message: `EndSession answered HTTP ${last.status}`,
        },
        ...base,
      };
    }
    if (last.body.trim() !== '1') {
      return {
        ok: false,
        answer,
        error: {
          code: UcontactErrorCode.BadAnswer,
          message: 'EndSession answered something other than 1',
        },
        ...base,
      };
    }
    return { ok: true, answer, ...base };
  }

  private async call(plan: CallPlan): Promise<CallRun> {
    const url = new URL(plan.path, this.baseUrl);
    const started = this.clock.now();
    const minAttemptMs = Math.min(plan.timeoutMs, MIN_ATTEMPT_MS);
    let attempts = 0;
    let last: Attempt | undefined;
    for (;;) {
      const left = plan.latest - this.clock.now();
      if (left <= 0) break;
      attempts++;
      last = await this.post(url, plan.body, plan.headers, Math.min(plan.timeoutMs, left));
      if (!plan.retryable(last) || attempts >= this.policy.maxAttempts) break;
      const retryAfterMs =
        last.kind === 'answer' ? parseRetryAfter(last.retryAfter, this.clock.now()) : undefined;
      const delay = nextRetryDelay(
        attempts,
        retryAfterMs,
        plan.latest - minAttemptMs,
        this.policy,
        this.clock,
      );
      if (delay === undefined) break;
      this.logger.warn(`${plan.name} will be retried`, {
        attempt: attempts,
        delayMs: delay,
        cause: describeAttempt(last),
      });
      await this.clock.sleep(delay);
    }
    return { last, attempts, durationMs: this.clock.now() - started };
  }

  private transportError(name: string, last: Attempt | undefined): UcontactError {
    if (last === undefined)
      return new DeadlineError(`${name} was not sent: no time left before the deadline`);
    if (last.kind === 'timeout') return new CallTimeoutError(`${name} got no answer in time`);
    if (last.kind === 'not-reached')
      return new NetworkError(false, `${name} could not connect (${last.detail})`);
    if (last.kind === 'lost')
      return new NetworkError(true, `${name} lost its connection (${last.detail})`);
    return new HttpStatusError(last.status, `${name} answered HTTP ${last.status}`);
  }
}

function retryableForSessionCalls(attempt: Attempt): boolean {
  return attempt.kind !== 'answer' || attempt.status === 429 || attempt.status >= 500;
}

function describeAttempt(attempt: Attempt): string {
  if (attempt.kind === 'answer') return `HTTP ${attempt.status}`;
  if (attempt.kind === 'timeout') return 'timeout';
  return attempt.detail;
}

/** Why an upload was not accepted, in the words an operator acts on. */
function uploadError(
  verdict: UploadVerdict,
  last: Attempt,
  transport: UcontactError,
): ErrorSummary {
  if (last.kind !== 'answer') return summary(transport);
  const status = `HTTP ${last.status}`;
  if (verdict === UploadVerdict.SessionRefused) {
    const how = last.status === 200 ? 'a login page' : status;
    const where = last.location ? ` to ${sanitizeExcerpt(redirectPath(last.location))}` : '';
    return {
      code: UcontactErrorCode.AuthRejected,
      message: `uploadbase refused the session token (${how}${where})`,
    };
  }
  if (last.status >= 200 && last.status <= 299) {
    const message =
      verdict === UploadVerdict.NotTaken
        ? 'uploadbase answered 0: the base was not taken (is the campaign right?)'
        : 'uploadbase answered something other than 1 or 0: the base may or may not have been loaded';
    return { code: UcontactErrorCode.BadAnswer, message };
  }
  const message =
    verdict === UploadVerdict.Unknown
      ? `uploadbase answered ${status} after the base was sent: it may or may not have been loaded`
      : `uploadbase answered ${status}`;
  return { code: UcontactErrorCode.HttpStatus, message };
}

/** A redirect's path only: its query or a `;jsessionid=` path parameter may carry a session id. */
function redirectPath(location: string): string {
  try {
    return new URL(location, 'http://host.invalid').pathname.replace(/;.*$/, '');
  } catch {
    return '(unreadable location)';
  }
}

/** The code and message of an error, for results. */
export function summary(error: UcontactError): ErrorSummary {
  return { code: error.code, message: error.message };
}
