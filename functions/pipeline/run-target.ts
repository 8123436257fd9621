import type { ProfileEngineOptions } from '../profiles/engine-options.js';
import { profileEngineOptions } from '../profiles/engine-options.js';
import {
  ProfileCode,
  ProfileSource,
  profileCampaign,
  resolveProfile,
} from '../profiles/resolve-profile.js';
import type { CampaignVerdict } from './campaign-from-key.js';
import { ProfilesInvalidError } from './errors.js';
import { type ManifestProfile, ManifestStatus } from './manifest.js';
import type { ProfilesSource } from './profiles-source.js';
import type { Ending } from './run-ending.js';

/** Where a drop's contacts go, and the rules the engine applies to them. */
export interface RunTarget {
  readonly campaign: string;
  readonly engine: Partial<ProfileEngineOptions>;
  /** The suppression lists to apply, by name; undefined (no profiles file): every list. */
  readonly suppressionLists?: readonly string[];
  /** The profile's reload window, over RELOAD_WINDOW_DAYS; undefined: the setting's. */
  readonly reloadWindowDays?: number;
}

/** What the profiles make of one drop: a target, a refusal, or a broken file (`error`). */
export type TargetVerdict = { readonly profile: ManifestProfile | null } & (
  | { readonly target: RunTarget }
  | { readonly refusal: Ending }
  | { readonly error: ProfilesInvalidError }
);

/** How many of a broken file's problems its error message names. */
const SHOWN_PROBLEMS = 3;

/**
 * The campaign and engine rules of a drop into the folder of `verdict`, from the bucket's
 * profiles file: without one (or without `source`), the folder's campaign and no rule of its
 * own, as before profiles existed (every suppression list, RELOAD_WINDOW_DAYS); with one, only
 * the suppression lists the profile names, and its reload window when it sets one. A strict file without a profile for the folder, or a disabled
 * profile, gives a `rejected` refusal (CAMPAIGN_NOT_CONFIGURED); a broken file gives a
 * ProfilesInvalidError naming its first problems. Throws StorageError when S3 cannot answer.
 */
export async function runTarget(
  source: ProfilesSource | undefined,
  bucket: string,
  verdict: Extract<CampaignVerdict, { ok: true }>,
): Promise<TargetVerdict> {
  const loaded = await source?.load(bucket);
  if (!loaded) return { profile: null, target: { campaign: verdict.campaign, engine: {} } };
  const { parsed, version, where } = loaded;
  const none = { name: null, source: ProfileSource.None, version };
  if (!parsed.ok) {
    const shown = parsed.problems.slice(0, SHOWN_PROBLEMS).map((p) => `${p.path}: ${p.message}`);
    const more = parsed.problems.length - shown.length;
    const message =
      `the campaign profiles ${where} (version ${version}) are invalid, so no file is loaded: ` +
      `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}. ` +
      'Check it with `ucontact-loader profiles check`, fix it, then drop the file again';
    return { profile: none, error: new ProfilesInvalidError(message) };
  }
  const resolved = resolveProfile(parsed.file, verdict.folder);
  if (!resolved.ok) {
    const error = { code: ProfileCode.CampaignNotConfigured, message: resolved.message };
    return { profile: none, refusal: { status: ManifestStatus.Rejected, error } };
  }
  const { profile } = resolved;
  return {
    profile: { name: profile.name, source: profile.source, version },
    target: {
      campaign: profileCampaign(profile, verdict.campaign),
      engine: profileEngineOptions(profile),
      // With profiles, a list applies only where a profile (or `defaults`) names it.
      suppressionLists: profile.suppress ?? [],
      ...(profile.reloadWindowDays === undefined
        ? {}
        : { reloadWindowDays: profile.reloadWindowDays }),
    },
  };
}
