import type { z } from 'zod';
import { checkCampaignName } from '../contacts/campaign-name.js';
import { mergeProfiles, type ProfileRules } from './resolve-profile.js';
import { type CheckedProfiles, type Profile, ProfilesFileSchema } from './schema.js';

/** One thing wrong with a profiles file: where (a JSON path, `$` for the whole file) and what. */
export interface ProfileProblem {
  readonly path: string;
  readonly message: string;
}

/** A profiles file checked whole: usable as it is, or every problem found. */
export type ParsedProfiles =
  | { readonly ok: true; readonly file: CheckedProfiles }
  | { readonly ok: false; readonly problems: readonly ProfileProblem[] };

/**
 * Parses and checks a profiles file's text (a UTF-8 BOM allowed): the schema, then what the
 * schema cannot say (folder names by the campaign-name rule and unique in NFC, digit bounds in
 * order once `defaults` apply). Never throws: anything wrong comes back as problems, each with
 * its JSON path, in the file's order.
 */
export function parseProfiles(text: string): ParsedProfiles {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, problems: [{ path: '$', message: jsonProblem(text, error) }] };
  }
  const parsed = ProfilesFileSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map(problemOf) };
  const problems: ProfileProblem[] = [];
  const campaigns: Record<string, Profile> = {};
  const defaults = parsed.data.defaults ?? {};
  checkRules(mergeProfiles(defaults, {}), ['defaults'], problems);
  for (const [folder, profile] of Object.entries(parsed.data.campaigns ?? {})) {
    const path = ['campaigns', folder];
    const name = checkCampaignName(folder, '', 'the folder name');
    if (!name.ok)
      problems.push({ path: jsonPath(path), message: `${name.message} (${name.reason})` });
    else if (name.name in campaigns) {
      problems.push({
        path: jsonPath(path),
        message: 'names the same folder as another profile (the two differ only in Unicode form)',
      });
    } else campaigns[name.name] = profile;
    checkRules(mergeProfiles(defaults, profile), path, problems);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, file: { ...parsed.data, strict: parsed.data.strict === true, campaigns } };
}

/** The effective digit bounds must leave room for a number. */
function checkRules(profile: ProfileRules, at: readonly string[], problems: ProfileProblem[]) {
  const { minDigits, maxDigits } = profile.phone ?? {};
  if (minDigits !== undefined && maxDigits !== undefined && minDigits > maxDigits) {
    problems.push({
      path: jsonPath([...at, 'phone']),
      message: `minDigits (${minDigits}) is more than maxDigits (${maxDigits}), once defaults apply`,
    });
  }
}

/**
 * A JSON path as people read it: `$.campaigns["Ventas Norte"].phone.minDigits`, `$.x[0]`.
 */
export function jsonPath(path: readonly PropertyKey[]): string {
  let text = '$';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) text += `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

/** zod's type names as people say them. */
const EXPECTED: Readonly<Record<string, string>> = {
  object: 'an object ({...})',
  record: 'an object ({...})',
  array: 'a list ([...])',
  string: 'a text',
  boolean: 'true or false',
  number: 'a number',
  int: 'a whole number',
};

function problemOf(issue: z.core.$ZodIssue): ProfileProblem {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    const plural = issue.keys.length > 1;
    return {
      path: jsonPath(issue.path),
      message: `${keys} ${plural ? 'are not fields' : 'is not a field'} here (misspelt?)`,
    };
  }
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    const expected = EXPECTED[issue.expected] ?? `of type ${issue.expected}`;
    const message = issue.input === undefined ? `is required: ${expected}` : `must be ${expected}`;
    return { path: jsonPath(issue.path), message };
  }
  return { path: jsonPath(issue.path), message: issue.message };
}

/** JSON.parse's complaint, with the line and column of the position it names. */
function jsonProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (!position) return `not valid JSON: ${message}`;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}
