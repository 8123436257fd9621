import { CommanderError } from 'commander';
import {
  ContactsError,
  InvalidOptionsError,
  UnusableFileError,
} from '../functions/contacts/errors.js';

/** Exit codes every command shares. */
export const ExitCode = {
  Ok: 0,
  /** Nothing usable came out: the input was refused, or the run failed. */
  Failed: 1,
  Usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base of errors a command throws to end with one line on stderr and a chosen exit code. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The command line itself is wrong: a bad option value, a file that cannot be opened. Exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.Usage, options);
    this.name = 'UsageError';
  }
}

/** The user's input cannot be used (a refused file, a rejected login...). Exit 1. */
export class InputError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.Failed, options);
    this.name = 'InputError';
  }
}

/** The bucket could not be reached or read: credentials, region, endpoint, access. Exit 1. */
export class BucketAccessError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.Failed, options);
    this.name = 'BucketAccessError';
  }
}

/**
 * Writes one line on stderr for `error` and returns the exit code to end with. Users' mistakes
 * never show a stack trace; anything unexpected shows one only when DEBUG is set.
 */
export function reportError(
  error: unknown,
  stderr: NodeJS.WritableStream = process.stderr,
): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has already printed its own message (or the help text).
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (error instanceof CliError) {
    stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof InvalidOptionsError) {
    stderr.write(`error: ${error.message}\n`);
    return ExitCode.Usage;
  }
  if (error instanceof UnusableFileError) {
    stderr.write(`error: file refused (${error.code}): ${error.message}\n`);
    return ExitCode.Failed;
  }
  if (error instanceof ContactsError) {
    stderr.write(`error: ${error.message}\n`);
    return ExitCode.Failed;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.DEBUG && error instanceof Error && error.stack) {
    stderr.write(`${error.stack}\n`);
  } else {
    stderr.write(`error: unexpected failure: ${message} (set DEBUG=1 to see the stack trace)\n`);
  }
  return ExitCode.Failed;
}

/** A file system error in a few words (`no such file`, `permission denied`...). */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
