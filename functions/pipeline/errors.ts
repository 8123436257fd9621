/** Base of every error the pipeline throws. Ignored events and refused names are verdicts, not errors. */
export class PipelineError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

/** The Lambda event is neither an SQS batch nor an S3 notification: nothing in it can be handled. */
export class UnsupportedEventError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnsupportedEventError';
  }
}

/** One SQS message's body is not an S3 notification; that message fails, the batch goes on. */
export class MalformedMessageError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MalformedMessageError';
  }
}

/** The event names neither a versionId nor an ETag, so the object cannot be claimed. */
export class MissingObjectIdentityError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MissingObjectIdentityError';
  }
}

/** S3 kept answering 409 ConditionalRequestConflict; the message should be retried later. */
export class ClaimConflictError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClaimConflictError';
  }
}

/** The claim was taken over (its ETag changed): this run must stop talking to uContact. */
export class ClaimLostError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClaimLostError';
  }
}

/** An S3 call failed for a reason other than a precondition. */
export class StorageError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** The object was replaced after the event was sent; the newer object has its own event. */
export class ObjectChangedError extends StorageError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ObjectChangedError';
  }
}

/** Credentials could not be fetched from Secrets Manager. */
export class CredentialsError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredentialsError';
  }
}

/** The secret exists but is not `{"user","password"}` JSON; the message never repeats its value. */
export class SecretFormatError extends CredentialsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretFormatError';
  }
}

/** A resumed run cut the file into different chunks than the run it takes over (settings changed). */
export class ResumeMismatchError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResumeMismatchError';
  }
}

/**
 * A file's run ended asking for its message to be delivered again (uContact busy, out of time,
 * S3 failing); the manifest already says why. Thrown so the batch reports that message as failed.
 */
export class RedeliveryRequestedError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RedeliveryRequestedError';
  }
}
