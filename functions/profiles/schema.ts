import {
  array,
  boolean,
  int,
  literal,
  type output,
  record,
  strictObject,
  string,
  union,
  enum as zodEnum,
} from 'zod';
import { checkCampaignName } from '../contacts/campaign-name.js';
import { mappingRoleProblem } from '../contacts/map-columns.js';
import { PhonePrefixPolicy } from '../contacts/options.js';

/**
 * The campaign profiles file (`config/campaigns.json` in the bucket): its shape, as one zod schema
 * from which the types, the checks and the published JSON Schema all come. New profile fields are
 * added to PROFILE_FIELDS; objects are strict, so a misspelt field is a problem, never ignored.
 */

/** The most digits the engine accepts in a number (E.164). */
const MOST_DIGITS = 15;
const MOST_PRIORITY = 9999;
/** As RELOAD_WINDOW_DAYS allows. */
const MOST_WINDOW_DAYS = 3650;

const digitCount = (what: string) =>
  int({ error: `must be a whole number from 1 to ${MOST_DIGITS}` })
    .min(1, { error: `must be a whole number from 1 to ${MOST_DIGITS}` })
    .max(MOST_DIGITS, { error: `must be a whole number from 1 to ${MOST_DIGITS}` })
    .meta({ description: what });

const priorityError = {
  error: `must be a whole number from 1 to ${MOST_PRIORITY}, or "" to leave it empty`,
};

const campaignName = string({ error: 'must be a text: the campaign as uContact shows it' })
  .superRefine((value, ctx) => {
    const checked = checkCampaignName(value, '', 'the campaign');
    if (!checked.ok)
      ctx.addIssue({ code: 'custom', message: `${checked.message} (${checked.reason})` });
  })
  .meta({
    description:
      'The dialer campaign the contacts go to, exactly as uContact shows it (a `<-` or `->` suffix included; no suffix is added). Default: the folder name, plus CAMPAIGN_SUFFIX.',
    examples: ['Ventas Norte<-'],
  });

const mapping = strictObject({
  columns: record(string(), string({ error: 'must be a role, as a text' }))
    .superRefine((columns, ctx) => {
      for (const [header, role] of Object.entries(columns)) {
        const problem = mappingRoleProblem(header, role);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [header] });
      }
    })
    .meta({
      description:
        'Header -> role: phone, alternate, priority, agentphone, campaign, variable, variable:<name> or ignore. Headers match without regard to case or accents.',
    }),
}).meta({
  description: 'What each column holds, as `validate --mapping` takes it (headered files only).',
});

const phoneRules = strictObject({
  minDigits: digitCount('Fewest digits of a number, once normalized.').optional(),
  maxDigits: digitCount('Most digits of a number, once normalized.').optional(),
  prefixes: array(
    string()
      .regex(/^\d{1,15}$/, { error: 'must be digits only, like "09"' })
      .meta({ examples: ['09'] }),
  )
    .min(1, { error: 'must list at least one prefix (leave it out to allow any)' })
    .optional()
    .meta({ description: 'A number must start with one of these, once normalized.' }),
  prefix: zodEnum(Object.values(PhonePrefixPolicy), {
    error: `must be one of ${Object.values(PhonePrefixPolicy).join(', ')}`,
  })
    .optional()
    .meta({
      description:
        'What to do with a + or 00 international prefix: keep the digits, strip it, or write it as 00 (to-00).',
    }),
}).meta({
  description:
    "Number rules narrower than the engine's own: a number outside them is refused as PHONE_RULE.",
});

/** Every field a profile (and `defaults`) may hold. */
const PROFILE_FIELDS = {
  description: string().optional().meta({ description: 'Free text for people; not used.' }),
  campaign: campaignName.optional(),
  mapping: mapping.optional(),
  phone: phoneRules.optional(),
  defaultPriority: union(
    [int().min(1, priorityError).max(MOST_PRIORITY, priorityError), literal('')],
    {
      ...priorityError,
    },
  )
    .optional()
    .meta({ description: 'Priority given to a contact without one; "" leaves it empty.' }),
  sheet: string()
    .trim()
    .min(1, { error: 'must name a sheet' })
    .optional()
    .meta({ description: 'The sheet of an Excel workbook to read.' }),
  enabled: boolean()
    .optional()
    .meta({ description: 'false refuses every drop into the folder (CAMPAIGN_NOT_CONFIGURED).' }),
  suppress: array(
    string()
      .regex(/^[^/]+$/, { error: 'must be a list name: a folder under suppression/, without /' })
      .meta({ examples: ['no-llame'] }),
  )
    .optional()
    .meta({
      description:
        'The suppression lists (folders under suppression/) scrubbed against; a list left out does not apply. With a profiles file, a folder whose profile (defaults included) names none is not scrubbed.',
    }),
  reloadWindowDays: int({ error: `must be a whole number from 0 to ${MOST_WINDOW_DAYS}` })
    .min(0, { error: `must be a whole number from 0 to ${MOST_WINDOW_DAYS}` })
    .max(MOST_WINDOW_DAYS, { error: `must be a whole number from 0 to ${MOST_WINDOW_DAYS}` })
    .optional()
    .meta({
      description:
        "Days in which a main number loaded into the dialer campaign is refused as RECENTLY_LOADED; 0 is off. Default: the function's RELOAD_WINDOW_DAYS.",
    }),
};

export const ProfileSchema = strictObject(PROFILE_FIELDS).meta({
  id: 'profile',
  description: 'The rules of the drops into one folder.',
});

export const ProfilesFileSchema = strictObject({
  $schema: string().optional().meta({ description: 'Where editors find this schema.' }),
  strict: boolean().optional().meta({
    description:
      'true: a drop into a folder without an enabled profile is rejected (CAMPAIGN_NOT_CONFIGURED); false (default): it gets `defaults`.',
  }),
  defaults: ProfileSchema.optional().meta({
    description: "Fields every profile gets, under the profile's own.",
  }),
  campaigns: record(string(), ProfileSchema).optional().meta({
    description: 'Profiles by folder name under incoming/ (compared in Unicode NFC).',
  }),
}).meta({
  title: 'ucontact-loader campaign profiles',
  description: 'config/campaigns.json: the rules the contact loader applies to each drop folder.',
});

export type Profile = output<typeof ProfileSchema>;
export type ProfilesFile = output<typeof ProfilesFileSchema>;

/** A valid profiles file, its folder names in Unicode NFC (as the function reads folders). */
export interface CheckedProfiles extends ProfilesFile {
  readonly strict: boolean;
  readonly campaigns: Readonly<Record<string, Profile>>;
}
