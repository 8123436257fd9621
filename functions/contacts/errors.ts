import type { FileRejectionCode } from './reason-codes.js';

/** Base of every error the contacts engine throws. Bad rows are data, never errors. */
export class ContactsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContactsError';
  }
}

/** The file as a whole cannot be read (empty, binary, undecodable, too large...). */
export class UnusableFileError extends ContactsError {
  readonly code: FileRejectionCode;

  constructor(code: FileRejectionCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnusableFileError';
    this.code = code;
  }
}

/** Engine options that cannot work (for example a replacement character that is itself reserved). */
export class InvalidOptionsError extends ContactsError {
  /** One line per wrong option; the message joins them. */
  readonly problems: readonly string[];

  constructor(message: string, options?: ErrorOptions & { problems?: readonly string[] }) {
    super(message, options);
    this.name = 'InvalidOptionsError';
    this.problems = options?.problems ?? [message];
  }
}

/** A line the chunker cannot place: larger than an empty chunk allows, or holding a line break. */
export class UnchunkableLineError extends ContactsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnchunkableLineError';
  }
}

/** A compiled suppression list that cannot be used: another format, other phone rules, cut short. */
export class CompiledListError extends ContactsError {
  readonly code = 'COMPILED_LIST_UNUSABLE';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CompiledListError';
  }
}
