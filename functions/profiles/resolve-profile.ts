import type { CheckedProfiles, Profile } from './schema.js';

/** Where the rules applied to a drop came from; the manifest's `profile.source`. */
export const ProfileSource = {
  /** The folder's own profile, over `defaults`. */
  Campaign: 'campaign',
  /** The folder has no profile and the file is not strict: `defaults` alone. */
  Defaults: 'defaults',
  /** No profile applied: the drop was refused, or the profiles file is unusable. */
  None: 'none',
} as const;
export type ProfileSource = (typeof ProfileSource)[keyof typeof ProfileSource];

/** Stable codes of a drop refused, or a run failed, because of the profiles. */
export const ProfileCode = {
  /** The profiles file is not JSON or does not fit the schema. */
  ProfilesInvalid: 'PROFILES_INVALID',
  /** Strict profiles and no profile for the folder, or the folder's profile is disabled. */
  CampaignNotConfigured: 'CAMPAIGN_NOT_CONFIGURED',
} as const;
export type ProfileCode = (typeof ProfileCode)[keyof typeof ProfileCode];

/** A profile's fields once `defaults` apply. */
export type ProfileRules = Omit<Profile, 'description'>;

/** The rules applied to one folder's drops, and where they came from. */
export interface EffectiveProfile extends ProfileRules {
  /** The profile's folder name (NFC), or null when `defaults` alone apply. */
  readonly name: string | null;
  readonly source: ProfileSource;
}

export type ProfileVerdict =
  | { readonly ok: true; readonly profile: EffectiveProfile }
  | {
      readonly ok: false;
      readonly code: typeof ProfileCode.CampaignNotConfigured;
      readonly message: string;
    };

/**
 * `defaults` under `profile`: each field of the profile wins; `phone` is merged rule by rule;
 * a profile's `mapping` replaces the defaults' one whole (a column a file lacks would refuse it).
 */
export function mergeProfiles(defaults: Profile, profile: Profile): ProfileRules {
  const { description: _ignored, ...merged } = { ...defaults, ...profile };
  const phone =
    defaults.phone || profile.phone ? { ...defaults.phone, ...profile.phone } : undefined;
  return { ...merged, ...(phone ? { phone } : {}) };
}

/**
 * The profile for drops into `folder` (NFC): its own over `defaults`, or `defaults` alone when it
 * has none and the file is not strict. Refuses (CAMPAIGN_NOT_CONFIGURED, a message naming the
 * folder) a folder without a profile under strict profiles, and a disabled profile. Never throws.
 */
export function resolveProfile(profiles: CheckedProfiles, folder: string): ProfileVerdict {
  const defaults = profiles.defaults ?? {};
  const key = folder.normalize('NFC');
  const own = Object.hasOwn(profiles.campaigns, key) ? profiles.campaigns[key] : undefined;
  const refuse = (message: string): ProfileVerdict => ({
    ok: false,
    code: ProfileCode.CampaignNotConfigured,
    message,
  });
  if (!own && profiles.strict) {
    return refuse(
      `the folder "${key}" has no profile in the strict profiles file: add one under "campaigns", or drop the file into a configured folder`,
    );
  }
  const profile: EffectiveProfile = {
    ...mergeProfiles(defaults, own ?? {}),
    name: own ? key : null,
    source: own ? ProfileSource.Campaign : ProfileSource.Defaults,
  };
  if (profile.enabled === false) {
    const whose = own
      ? `the profile of folder "${key}"`
      : `the defaults applied to folder "${key}"`;
    return refuse(`${whose} ${own ? 'is' : 'are'} disabled ("enabled": false): nothing is loaded`);
  }
  return { ok: true, profile };
}

/**
 * The dialer campaign a profile sends a folder's contacts to: its own `campaign` (NFC, as given:
 * no suffix added), or else `folderCampaign`, the folder's name with CAMPAIGN_SUFFIX.
 */
export function profileCampaign(profile: ProfileRules, folderCampaign: string): string {
  return profile.campaign?.normalize('NFC') ?? folderCampaign;
}
