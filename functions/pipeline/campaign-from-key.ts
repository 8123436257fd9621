import {
  CampaignRefusal,
  type CampaignSuffix,
  checkCampaignName,
} from '../contacts/campaign-name.js';

export type CampaignVerdict =
  | {
      readonly ok: true;
      /** What uContact is told: the folder NFC-normalized, suffix included. */
      readonly campaign: string;
      /** The folder NFC-normalized, without an added suffix: results are filed under it. */
      readonly folder: string;
      /** True when NFC changed the folder: its name in the key is not `folder`. */
      readonly folderNormalized: boolean;
      /** The rest of the key after the campaign folder, as it is (may hold sub-folders). */
      readonly name: string;
    }
  | { readonly ok: false; readonly reason: CampaignRefusal; readonly message: string };

export interface CampaignOptions {
  /** Ends with `/`. */
  readonly incomingPrefix: string;
  /** Appended when the folder name ends in no dialer suffix (`<-` or `->`); '' for none. */
  readonly campaignSuffix: CampaignSuffix | '';
}

/**
 * Finds the uContact campaign of a decoded key (`incoming/<campaign>/<file>`) by the campaign-name
 * rule. Never throws: a key outside the prefix or a name the dialer cannot take is a refusal with
 * a readable message, which never quotes the raw name.
 */
export function campaignFromKey(key: string, options: CampaignOptions): CampaignVerdict {
  if (!key.startsWith(options.incomingPrefix)) {
    return {
      ok: false,
      reason: CampaignRefusal.NoCampaignFolder,
      message: `the file is not under ${options.incomingPrefix}<campaign>/`,
    };
  }
  const rest = key.slice(options.incomingPrefix.length);
  const slash = rest.indexOf('/');
  if (slash < 0) {
    return {
      ok: false,
      reason: CampaignRefusal.NoCampaignFolder,
      message: `the file must be inside a campaign folder: ${options.incomingPrefix}<campaign>/<file>`,
    };
  }
  const raw = rest.slice(0, slash);
  const checked = checkCampaignName(raw, options.campaignSuffix, 'the campaign folder name');
  if (!checked.ok) return checked;
  return {
    ok: true,
    campaign: checked.campaign,
    folder: checked.name,
    folderNormalized: checked.name !== raw,
    name: rest.slice(slash + 1),
  };
}
