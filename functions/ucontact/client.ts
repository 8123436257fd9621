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
import { type Attempt, type PostForm, postForm, postFormOverHttp } from './http-call.js';
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
   * Resend an upload that timed out or lost its connection after it may have been sent. Off by
   * default: if the first request was loaded, the dialer calls those contacts twice.
   */
  readonly retryUnknownUploads?: boolean;
  /** Send the calls through this fetch instead of node:http(s) (tests use it to see requests). */
  readonly fetch?: typeof fetch;
  readonly clock?: RetryClock;
  readonly logger?: UcontactLogger;
}

export const DEFAULT_CLIENT_OPTIONS = {
  loginPath: 'Integra/resources/auth/UserLogin',
  callTimeoutMs: 30_000,
  uploadTimeoutMs: 60_000,
  retryUnknownUploads: false,
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
  /** uContact answered 401 or 403: the token is no longer valid. */
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
  /** Some attempt timed out or broke after the request may have arrived. */
  readonly mayHaveArrived: boolean;
}

/** The three calls of uContact's Integra API, each with its own timeout and retries. */
export class UcontactClient {
  readonly baseUrl: URL;
  private readonly loginPath: string;
  private readonly callTimeoutMs: number;
  private readonly uploadTimeoutMs: number;
  private readonly retryUnknownUploads: boolean;
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
    this.retryUnknownUploads =
      options.retryUnknownUploads ?? DEFAULT_CLIENT_OPTIONS.retryUnknownUploads;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const fetchImpl = options.fetch;
    this.post = fetchImpl
      ? (url, body, headers, timeoutMs) => postForm(fetchImpl, url, body, headers, timeoutMs)
      : postFormOverHttp;
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
      return { ok: true, token: readToken(last.body), ...base };
    } catch (error) {
      return { ok: false, error: error as UcontactError, ...base };
    }
  }

  /**
   * Sends one base. Retried only when the request certainly did not reach uContact (connection
   * never made) or on 429/502/503; a timeout, a broken connection or a gateway timeout (504: the
   * gateway gave up waiting on a server that had the request) makes the outcome `unknown`.
   * A `failed` outcome is `retryable` when uContact was unreachable or answered 429 or 5xx: the
   * base was not loaded and may be taken later. Never throws: every failure is in the result.
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
      retryable: (attempt) =>
        attempt.kind === 'not-reached' ||
        (attempt.kind === 'answer' && [429, 502, 503].includes(attempt.status)) ||
        (this.retryUnknownUploads && (attempt.kind === 'lost' || attempt.kind === 'timeout')),
    });
    const base = { attempts: run.attempts, durationMs: run.durationMs, authRejected: false };
    const { last } = run;
    if (last?.kind !== 'answer') {
      const error = summary(this.transportError('uploadbase', last));
      const arrived = run.mayHaveArrived || last?.kind === 'lost' || last?.kind === 'timeout';
      if (arrived) return { outcome: UploadOutcome.Unknown, error, ...base };
      return {
        outcome: UploadOutcome.Failed,
        error,
        ...base,
        ...(last?.kind === 'not-reached' ? { retryable: true } : {}),
      };
    }
    const answer = sanitizeExcerpt(last.body, [token]);
    const failed =
      run.mayHaveArrived || last.status === 504 ? UploadOutcome.Unknown : UploadOutcome.Failed;
    if (last.status === 401 || last.status === 403) {
      const message = `uploadbase refused the session token (HTTP ${last.status})`;
      return {
        ...base,
        outcome: failed,
        answer,
        authRejected: true,
        error: { code: UcontactErrorCode.AuthRejected, message },
      };
    }
    if (last.status < 200 || last.status > 299) {
      const message = `uploadbase answered HTTP ${last.status}`;
      const unavailable = last.status === 429 || last.status >= 500;
      return {
        ...base,
        outcome: failed,
        answer,
        error: { code: UcontactErrorCode.HttpStatus, message },
        ...(unavailable && failed === UploadOutcome.Failed ? { retryable: true } : {}),
      };
    }
    if (last.body.trim() === '1') return { ...base, outcome: UploadOutcome.Accepted, answer };
    const message = 'uploadbase answered something other than 1: the base was not taken';
    return {
      ...base,
      outcome: failed,
      answer,
      error: { code: UcontactErrorCode.BadAnswer, message },
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
    let mayHaveArrived = false;
    let last: Attempt | undefined;
    for (;;) {
      const left = plan.latest - this.clock.now();
      if (left <= 0) break;
      attempts++;
      last = await this.post(url, plan.body, plan.headers, Math.min(plan.timeoutMs, left));
      if (last.kind === 'lost' || last.kind === 'timeout') mayHaveArrived = true;
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
    return { last, attempts, durationMs: this.clock.now() - started, mayHaveArrived };
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

/** The code and message of an error, for results. */
export function summary(error: UcontactError): ErrorSummary {
  return { code: error.code, message: error.message };
}
