/** Base of every error the infrastructure app throws while building the stack. */
export class InfraError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InfraError';
  }
}

/** A CDK context value is missing or cannot work; the message says which and how to fix it. */
export class ContextValueError extends InfraError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContextValueError';
  }
}

/** The trigger prefix and the results prefix could match the same key: results would re-trigger. */
export class PrefixOverlapError extends InfraError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PrefixOverlapError';
  }
}
