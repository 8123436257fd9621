import { ProfileCode } from '../profiles/resolve-profile.js';

/**
 * Stable codes of what ends a file's run, beside the engine's file codes and the client's codes;
 * they appear as the manifest's `error.code`.
 */
export const PipelineErrorCode = {
  NoValidContacts: 'NO_VALID_CONTACTS',
  LineTooLargeForRequest: 'LINE_TOO_LARGE_FOR_REQUEST',
  TooLargeForStorage: 'TOO_LARGE_FOR_STORAGE',
  ObjectChanged: 'OBJECT_CHANGED',
  OutOfTime: 'OUT_OF_TIME',
  UnknownOutcome: 'UNKNOWN_OUTCOME',
  ChunksFailed: 'CHUNKS_FAILED',
  ResumeMismatch: 'RESUME_MISMATCH',
  Credentials: 'CREDENTIALS_UNAVAILABLE',
  SecretFormat: 'SECRET_FORMAT',
  Storage: 'STORAGE',
  ClaimConflict: 'CLAIM_CONFLICT',
  ClaimLost: 'CLAIM_LOST',
  RedeliveryRequested: 'REDELIVERY_REQUESTED',
  CampaignBusy: 'CAMPAIGN_BUSY',
  UnsupportedEvent: 'UNSUPPORTED_EVENT',
  MalformedMessage: 'MALFORMED_MESSAGE',
  MissingObjectIdentity: 'MISSING_OBJECT_IDENTITY',
  ProfilesInvalid: ProfileCode.ProfilesInvalid,
  Internal: 'INTERNAL',
  /** A suppression list's object cannot be read as a list: the file is not loaded unscrubbed. */
  SuppressionListUnusable: 'SUPPRESSION_LIST_UNUSABLE',
} as const;
export type PipelineErrorCode = (typeof PipelineErrorCode)[keyof typeof PipelineErrorCode];

/**
 * How a run that met an error ends: `retry` gives the claim back and fails the message so SQS
 * delivers it again; `rejected` and `failed` are final; `skipped` means the object is not ours to
 * handle (replaced by a newer upload); `abandon` stops at once without writing a result (another
 * run owns the object now).
 */
export const ErrorEnding = {
  Retry: 'retry',
  Rejected: 'rejected',
  Failed: 'failed',
  Skipped: 'skipped',
  Abandon: 'abandon',
} as const;
export type ErrorEnding = (typeof ErrorEnding)[keyof typeof ErrorEnding];

/**
 * Base of every error the pipeline throws: each says, with its code, how the run must end.
 * Ignored events and refused names are verdicts, not errors.
 */
export class PipelineError extends Error {
  readonly code: string;
  readonly ending: ErrorEnding;

  constructor(code: string, ending: ErrorEnding, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PipelineError';
    this.code = code;
    this.ending = ending;
  }
}

/** The Lambda event is neither an SQS batch nor an S3 notification: nothing in it can be handled. */
export class UnsupportedEventError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(PipelineErrorCode.UnsupportedEvent, ErrorEnding.Failed, message, options);
    this.name = 'UnsupportedEventError';
  }
}

/** One SQS message's body is not an S3 notification; that message fails, the batch goes on. */
export class MalformedMessageError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(PipelineErrorCode.MalformedMessage, ErrorEnding.Failed, message, options);
    this.name = 'MalformedMessageError';
  }
}

/** The event names neither a versionId nor an ETag, so the object cannot be claimed. */
export class MissingObjectIdentityError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(PipelineErrorCode.MissingObjectIdentity, ErrorEnding.Failed, message, options);
    this.name = 'MissingObjectIdentityError';
  }
}

/** The file cannot be loaded as it is (unreadable, a line no request can carry): final. */
export class FileRefusedError extends PipelineError {
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(code, ErrorEnding.Rejected, message, options);
    this.name = 'FileRefusedError';
  }
}

/** S3 kept answering 409 ConditionalRequestConflict; the message should be retried later. */
export class ClaimConflictError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(PipelineErrorCode.ClaimConflict, ErrorEnding.Retry, message, options);
    this.name = 'ClaimConflictError';
  }
}

/** The claim was taken over (its ETag changed): this run must stop talking to uContact. */
export class ClaimLostError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(PipelineErrorCode.ClaimLost, ErrorEnding.Abandon, message, options);
    this.name = 'ClaimLostError';
  }
}

/** An S3 call failed for a reason other than a precondition; S3 errors pass, so retry. */
export class StorageError extends PipelineError {
  constructor(
    message: string,
    options?: ErrorOptions,
    code: string = PipelineErrorCode.Storage,
    ending: ErrorEnding = ErrorEnding.Retry,
  ) {
    super(code, ending, message, options);
    this.name = 'StorageError';
  }
}

/** The object was replaced after the event was sent; the newer object has its own event. */
export class ObjectChangedError extends StorageError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options, PipelineErrorCode.ObjectChanged, ErrorEnding.Skipped);
    this.name = 'ObjectChangedError';
  }
}

/** Credentials could not be fetched from Secrets Manager; it may answer later. */
export class CredentialsError extends PipelineError {
  constructor(
    message: string,
    options?: ErrorOptions,
    code: string = PipelineErrorCode.Credentials,
  ) {
    super(code, ErrorEnding.Retry, message, options);
    this.name = 'CredentialsError';
  }
}

/** The secret exists but is not `{"user","password"}` JSON; the message never repeats its value. */
export class SecretFormatError extends CredentialsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options, PipelineErrorCode.SecretFormat);
    this.name = 'SecretFormatError';
  }
}

/** A resumed run cut the file into different chunks than the run it takes over (settings changed). */
export class ResumeMismatchError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(PipelineErrorCode.ResumeMismatch, ErrorEnding.Failed, message, options);
    this.name = 'ResumeMismatchError';
  }
}

/**
 * A file's run ended asking for its message to be delivered again (uContact busy, out of time,
 * S3 failing); the manifest already says why. Thrown so the batch reports that message as failed.
 */
export class RedeliveryRequestedError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(PipelineErrorCode.RedeliveryRequested, ErrorEnding.Retry, message, options);
    this.name = 'RedeliveryRequestedError';
  }
}

/**
 * Another file of the same campaign holds the campaign's lease (its reload window is on): this
 * file is delivered again later rather than waiting, so neither loads a number the other loads.
 */
export class CampaignBusyError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(PipelineErrorCode.CampaignBusy, ErrorEnding.Retry, message, options);
    this.name = 'CampaignBusyError';
  }
}

/**
 * The campaign profiles file does not parse or does not fit its schema: no drop is loaded while
 * it is so, and retrying cannot help until someone fixes it.
 */
export class ProfilesInvalidError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(PipelineErrorCode.ProfilesInvalid, ErrorEnding.Failed, message, options);
    this.name = 'ProfilesInvalidError';
  }
}
