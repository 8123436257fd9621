import { checkCampaignName, isCampaignSuffixSetting } from '../functions/contacts/campaign-name.js';
import { type ParsedProfiles, parseProfiles } from '../functions/profiles/parse-profiles.js';
import {
  type EffectiveProfile,
  profileCampaign,
  resolveProfile,
} from '../functions/profiles/resolve-profile.js';
import { InputError, UsageError } from './errors.js';
import { readInputText } from './text-file.js';

/**
 * Reads and checks a profiles file from disk, as the function checks the bucket's copy. Throws
 * UsageError when the file cannot be read; a file that is read but wrong comes back as problems.
 */
export async function readProfilesFile(path: string): Promise<ParsedProfiles> {
  return parseProfiles(await readInputText(path, 'the profiles file'));
}

/** A profiles file's problems, one line each: `<JSON path>: <what is wrong>`. */
export function problemLines(parsed: Extract<ParsedProfiles, { ok: false }>): string {
  return parsed.problems.map((problem) => `${problem.path}: ${problem.message}\n`).join('');
}

/**
 * The profile the function would apply to drops into `folder` under the profiles file at `path`,
 * and the campaign it sends them to (`suffix` is CAMPAIGN_SUFFIX). Throws UsageError for an
 * unreadable or invalid file (every problem listed) or a folder name the dialer cannot take, and
 * InputError when the profiles refuse the folder (CAMPAIGN_NOT_CONFIGURED).
 */
export async function folderProfile(
  path: string,
  folder: string,
  suffix: string,
): Promise<{ profile: EffectiveProfile; campaign: string }> {
  if (!isCampaignSuffixSetting(suffix)) {
    throw new UsageError('--campaign-suffix must be <-, -> or empty');
  }
  const name = checkCampaignName(folder, suffix, '--folder');
  if (!name.ok) throw new UsageError(`${name.message} (${name.reason})`);
  const parsed = await readProfilesFile(path);
  if (!parsed.ok) {
    throw new UsageError(
      `the profiles file ${path} is invalid:\n${problemLines(parsed).trimEnd()}`,
    );
  }
  const verdict = resolveProfile(parsed.file, name.name);
  if (!verdict.ok) throw new InputError(`${verdict.code}: ${verdict.message}`);
  return { profile: verdict.profile, campaign: profileCampaign(verdict.profile, name.campaign) };
}
