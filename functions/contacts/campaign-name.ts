import { isBidiControl } from './stray-characters.js';
/**
 * The one rule for a uContact campaign name, wherever it comes from: a drop folder, `--campaign`,
 * the CAMPAIGN_SUFFIX setting, or a native line's campaign field.
 */

/** The suffixes uContact's dialer campaigns end in. */
export const CampaignSuffix = {
  /** Power and Predictive campaigns. */
  PowerOrPredictive: '<-',
  /** Progressive and Preview campaigns (outgoing). */
  ProgressiveOrPreview: '->',
} as const;
export type CampaignSuffix = (typeof CampaignSuffix)[keyof typeof CampaignSuffix];

const SUFFIXES: readonly CampaignSuffix[] = Object.values(CampaignSuffix);

/** Why a campaign name (or a key's campaign folder) cannot be used. Stable: add, never rename. */
export const CampaignRefusal = {
  NoCampaignFolder: 'NO_CAMPAIGN_FOLDER',
  EmptyName: 'EMPTY_CAMPAIGN',
  ReservedCharacter: 'CAMPAIGN_RESERVED_CHARACTER',
  SurroundingSpaces: 'CAMPAIGN_SURROUNDING_SPACES',
  TooLong: 'CAMPAIGN_TOO_LONG',
  DotName: 'CAMPAIGN_DOT_NAME',
  InvisibleCharacter: 'CAMPAIGN_INVISIBLE_CHARACTER',
} as const;
export type CampaignRefusal = (typeof CampaignRefusal)[keyof typeof CampaignRefusal];

/** Campaign names longer than this (code points, after NFC) are refused: the dialer's limit. */
export const MAX_CAMPAIGN_LENGTH = 100;

export type CampaignNameCheck =
  | {
      readonly ok: true;
      /** The name as given, NFC-normalized. */
      readonly name: string;
      /** `name`, plus the suffix when it ends in neither `<-` nor `->`: what uContact is told. */
      readonly campaign: string;
    }
  | { readonly ok: false; readonly reason: CampaignRefusal; readonly message: string };

// `;` `:` `=` separate a base's fields; `/` `\` would change a result path; C0 and C1 controls.
const RESERVED = /[;:=/\\\x00-\x1f\x7f-\x9f]/;
/** Zero-width characters; the text-direction controls are the engine's own (stray-characters.ts). */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/;

function hasInvisible(name: string): boolean {
  if (ZERO_WIDTH.test(name)) return true;
  for (let i = 0; i < name.length; i++) if (isBidiControl(name.charCodeAt(i))) return true;
  return false;
}

/**
 * Checks a campaign name against the rule and returns it NFC-normalized, with `suffix` appended
 * when it ends in no dialer suffix (a `Ventas->` folder keeps `->` whatever the suffix). `label`
 * starts the message (`the campaign folder name`, `--campaign`). Never throws: a refusal carries a
 * stable code and a message saying what to do that never quotes the name, which may hold anything.
 */
export function checkCampaignName(
  raw: string,
  suffix: CampaignSuffix | '' = '',
  label = 'the campaign name',
): CampaignNameCheck {
  const refuse = (reason: CampaignRefusal, message: string): CampaignNameCheck => ({
    ok: false,
    reason,
    message: `${label} ${message}`,
  });
  const asShown = 'give the campaign name as uContact shows it';
  const name = raw.normalize('NFC');
  if (name === '') return refuse(CampaignRefusal.EmptyName, `is empty: ${asShown}`);
  if (name === '.' || name === '..') {
    return refuse(CampaignRefusal.DotName, `is "." or "..", a folder, not a campaign: ${asShown}`);
  }
  if (hasInvisible(name)) {
    return refuse(
      CampaignRefusal.InvisibleCharacter,
      'holds an invisible character (a zero-width or text-direction mark, often pasted along with a name): type the name again',
    );
  }
  if (RESERVED.test(name)) {
    return refuse(
      CampaignRefusal.ReservedCharacter,
      `holds a character the dialer cannot take (; : = / \\ or a control character): ${asShown}`,
    );
  }
  if (name.trim() !== name) {
    return refuse(CampaignRefusal.SurroundingSpaces, 'starts or ends with a space: remove it');
  }
  const campaign = suffix && campaignSuffixOf(name) === '' ? name + suffix : name;
  if (codePoints(campaign) > MAX_CAMPAIGN_LENGTH) {
    const withSuffix = campaign === name ? '' : ` with the suffix ${suffix}`;
    return refuse(
      CampaignRefusal.TooLong,
      `is longer than ${MAX_CAMPAIGN_LENGTH} characters${withSuffix}, more than the dialer takes: use a shorter campaign name`,
    );
  }
  return { ok: true, name, campaign };
}

/** True for the values the CAMPAIGN_SUFFIX setting may take: `<-`, `->` or '' (none). */
export function isCampaignSuffixSetting(value: string): value is CampaignSuffix | '' {
  return value === '' || (SUFFIXES as readonly string[]).includes(value);
}

/** The dialer suffix `name` ends in, or '' when none. */
export function campaignSuffixOf(name: string): CampaignSuffix | '' {
  return SUFFIXES.find((suffix) => name.endsWith(suffix)) ?? '';
}

/**
 * True when `a` and `b` name the same campaign once a dialer suffix is set aside: `Ventas`,
 * `Ventas<-` and `Ventas->` all match `Ventas`, but `Ventas<-` and `Ventas->` are two campaigns.
 */
export function namesSameCampaign(a: string, b: string): boolean {
  const suffixA = campaignSuffixOf(a);
  const suffixB = campaignSuffixOf(b);
  if (suffixA !== '' && suffixB !== '' && suffixA !== suffixB) return false;
  return a.slice(0, a.length - suffixA.length) === b.slice(0, b.length - suffixB.length);
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
