/** Stable codes for what went wrong talking to uContact; they appear in results and manifests. */
export const UcontactErrorCode = {
  InvalidBaseUrl: 'INVALID_BASE_URL',
  AuthFailed: 'AUTH_FAILED',
  AuthRejected: 'AUTH_REJECTED',
  BadAnswer: 'BAD_ANSWER',
  HttpStatus: 'HTTP_STATUS',
  Network: 'NETWORK',
  Timeout: 'TIMEOUT',
  Deadline: 'DEADLINE',
  RequestTooLarge: 'REQUEST_TOO_LARGE',
  /** A base the session never sent (it stopped first); safe to send later. */
  NotAttempted: 'NOT_ATTEMPTED',
} as const;
export type UcontactErrorCode = (typeof UcontactErrorCode)[keyof typeof UcontactErrorCode];

/** Base of every error the uContact client throws. Messages never carry a password or token. */
export class UcontactError extends Error {
  readonly code: UcontactErrorCode;

  constructor(code: UcontactErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UcontactError';
    this.code = code;
  }
}

/** The base URL is unusable (not https on a non-loopback host, carries credentials...). */
export class InvalidBaseUrlError extends UcontactError {
  constructor(message: string, options?: ErrorOptions) {
    super(UcontactErrorCode.InvalidBaseUrl, message, options);
    this.name = 'InvalidBaseUrlError';
  }
}

/** uContact refused the user and password (the login answer was `0`, or HTTP 401/403). */
export class AuthFailedError extends UcontactError {
  constructor(message: string, options?: ErrorOptions) {
    super(UcontactErrorCode.AuthFailed, message, options);
    this.name = 'AuthFailedError';
  }
}

/** The login answer was neither `0` nor a JSON shape holding a token. */
export class BadAnswerError extends UcontactError {
  constructor(message: string, options?: ErrorOptions) {
    super(UcontactErrorCode.BadAnswer, message, options);
    this.name = 'BadAnswerError';
  }
}

/** A call answered with an HTTP status that is not a usable answer (after any retries). */
export class HttpStatusError extends UcontactError {
  readonly status: number;

  constructor(status: number, message: string, options?: ErrorOptions) {
    super(UcontactErrorCode.HttpStatus, message, options);
    this.name = 'HttpStatusError';
    this.status = status;
  }
}

/** The connection failed or broke; `reached` says whether the request may have arrived. */
export class NetworkError extends UcontactError {
  readonly reached: boolean;

  constructor(reached: boolean, message: string, options?: ErrorOptions) {
    super(UcontactErrorCode.Network, message, options);
    this.name = 'NetworkError';
    this.reached = reached;
  }
}

/** A call got no answer within its own timeout. */
export class CallTimeoutError extends UcontactError {
  constructor(message: string, options?: ErrorOptions) {
    super(UcontactErrorCode.Timeout, message, options);
    this.name = 'CallTimeoutError';
  }
}

/** Not enough time is left before the caller's deadline to make the call. */
export class DeadlineError extends UcontactError {
  constructor(message: string, options?: ErrorOptions) {
    super(UcontactErrorCode.Deadline, message, options);
    this.name = 'DeadlineError';
  }
}

/** An upload's fields other than the file itself do not fit in the space reserved for them. */
export class RequestTooLargeError extends UcontactError {
  constructor(message: string, options?: ErrorOptions) {
    super(UcontactErrorCode.RequestTooLarge, message, options);
    this.name = 'RequestTooLargeError';
  }
}
