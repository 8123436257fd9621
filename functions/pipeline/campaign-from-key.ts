/** Why a key's campaign folder cannot be used. */
export const CampaignRefusal = {
  NoCampaignFolder: 'NO_CAMPAIGN_FOLDER',
  EmptyName: 'EMPTY_CAMPAIGN',
  ReservedCharacter: 'CAMPAIGN_RESERVED_CHARACTER',
  SurroundingSpaces: 'CAMPAIGN_SURROUNDING_SPACES',
  TooLong: 'CAMPAIGN_TOO_LONG',
} as const;
export type CampaignRefusal = (typeof CampaignRefusal)[keyof typeof CampaignRefusal];

/** Campaign names longer than this are refused; dialers and S3 keys both stay readable. */
export const MAX_CAMPAIGN_LENGTH = 100;

export type CampaignVerdict =
  | {
      readonly ok: true;
      /** What uContact is told, suffix included. */
      readonly campaign: string;
      /** The folder as found under the incoming prefix: results are filed under it. */
      readonly folder: string;
      /** The rest of the key after the campaign folder (may hold sub-folders). */
      readonly name: string;
    }
  | { readonly ok: false; readonly reason: CampaignRefusal; readonly message: string };

export interface CampaignOptions {
  /** Ends with `/`. */
  readonly incomingPrefix: string;
  /** Appended when the folder name lacks it (uContact's `<-` convention); '' for none. */
  readonly campaignSuffix: string;
}

// `;` `:` `=` separate fields in an uploaded base; `/` `\` would change the result path.
const RESERVED = /[;:=/\\\x00-\x1f\x7f]/;

/**
 * Finds the uContact campaign of a decoded key (`incoming/<campaign>/<file>`). Never throws: a
 * key outside the prefix or a name the dialer cannot take is a refusal with a readable message.
 * The message never quotes the raw name, which may hold anything.
 */
export function campaignFromKey(key: string, options: CampaignOptions): CampaignVerdict {
  const refuse = (reason: CampaignRefusal, message: string): CampaignVerdict => ({
    ok: false,
    reason,
    message,
  });
  if (!key.startsWith(options.incomingPrefix)) {
    return refuse(
      CampaignRefusal.NoCampaignFolder,
      `the file is not under ${options.incomingPrefix}<campaign>/`,
    );
  }
  const rest = key.slice(options.incomingPrefix.length);
  const slash = rest.indexOf('/');
  if (slash < 0) {
    return refuse(
      CampaignRefusal.NoCampaignFolder,
      `the file must be inside a campaign folder: ${options.incomingPrefix}<campaign>/<file>`,
    );
  }
  const folder = rest.slice(0, slash);
  const name = rest.slice(slash + 1);
  if (folder === '') return refuse(CampaignRefusal.EmptyName, 'the campaign folder name is empty');
  if (RESERVED.test(folder) || folder.includes('..')) {
    return refuse(
      CampaignRefusal.ReservedCharacter,
      'the campaign folder name contains a character the dialer cannot take (; : = \\ .. or a control character)',
    );
  }
  if (folder.trim() !== folder) {
    return refuse(
      CampaignRefusal.SurroundingSpaces,
      'the campaign folder name starts or ends with a space',
    );
  }
  const suffix = options.campaignSuffix;
  const campaign = suffix && !folder.endsWith(suffix) ? folder + suffix : folder;
  if ([...campaign].length > MAX_CAMPAIGN_LENGTH) {
    return refuse(
      CampaignRefusal.TooLong,
      `the campaign name is longer than ${MAX_CAMPAIGN_LENGTH} characters`,
    );
  }
  return { ok: true, campaign, folder, name };
}
