import { readFile } from 'node:fs/promises';
import { type ParsedProfiles, parseProfiles } from '../functions/profiles/parse-profiles.js';
import { describeFsError } from './engine-flags.js';
import { UsageError } from './errors.js';

/**
 * Reads and checks a profiles file from disk, as the function checks the bucket's copy. Throws
 * UsageError when the file cannot be read; a file that is read but wrong comes back as problems.
 */
export async function readProfilesFile(path: string): Promise<ParsedProfiles> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the profiles file ${path}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
  return parseProfiles(text);
}

/** A profiles file's problems, one line each: `<JSON path>: <what is wrong>`. */
export function problemLines(parsed: Extract<ParsedProfiles, { ok: false }>): string {
  return parsed.problems.map((problem) => `${problem.path}: ${problem.message}\n`).join('');
}
