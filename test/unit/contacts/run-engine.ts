import { expect } from 'vitest';
import type { Contact, Rejection } from '../../../functions/contacts/contact.js';
import { UnusableFileError } from '../../../functions/contacts/errors.js';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from '../../../functions/contacts/options.js';
import {
  type EngineSummary,
  processContacts,
} from '../../../functions/contacts/process-contacts.js';

export interface EngineRun {
  lines: string[];
  contacts: Contact[];
  rejections: Rejection[];
  summary: EngineSummary;
}

/** Splits bytes into pieces of `size` (the last may be shorter), as a stream would deliver them. */
export async function* inPieces(bytes: Uint8Array, size = bytes.length || 1) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export function engineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  return {
    ...DEFAULT_ENGINE_OPTIONS,
    campaign: 'Camp<-',
    sourceName: 'contacts.csv',
    ...overrides,
  };
}

/** Runs the engine over `input` (text is encoded as UTF-8) and collects everything it emits. */
export async function runEngine(
  input: string | Uint8Array,
  overrides: Partial<EngineOptions> = {},
  pieceSize?: number,
): Promise<EngineRun> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const run: Omit<EngineRun, 'summary'> = { lines: [], contacts: [], rejections: [] };
  const summary = await processContacts(inPieces(bytes, pieceSize), engineOptions(overrides), {
    accept(line, contact) {
      run.lines.push(line);
      run.contacts.push(contact);
    },
    reject(rejection) {
      run.rejections.push(rejection);
    },
  });
  return { ...run, summary };
}

/** The UnusableFileError `promise` rejects with; fails the test when it resolves or throws another. */
export async function refusal(promise: Promise<unknown>): Promise<UnusableFileError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnusableFileError);
  return error as UnusableFileError;
}
