import { SETTINGS } from '../functions/config/settings.js';
import { PrefixOverlapError } from './errors.js';

/** Where files are dropped; only keys under it trigger the function. The function's default. */
export const INCOMING_PREFIX = SETTINGS.incomingPrefix.default;

/** Where the function writes manifests, rejected rows and its claim state. The function's default. */
export const RESULTS_PREFIX = SETTINGS.resultsPrefix.default;

/**
 * The function's own records (personal data: phone numbers): what was loaded, under `loaded/`,
 * and the campaigns' leases, under `leases/`. Never granted to SFTP users or partners.
 */
export const STATE_PREFIX = SETTINGS.statePrefix.default;

/** Where the record of what each campaign was loaded is kept, for its reload window. */
export const LOAD_RECORD_PREFIX = `${STATE_PREFIX}loaded/`;

export {
  COMPILED_SUPPRESSION_DAYS,
  COMPILED_SUPPRESSION_PREFIX,
  SUPPRESSION_PREFIX,
} from '../functions/pipeline/suppression-keys.js';
/** The campaign profiles file the function reads (never a drop: it is outside INCOMING_PREFIX). */
export const PROFILES_KEY = SETTINGS.profilesKey.default;

/** The last file of a result: one is written each time a run ends (see functions/pipeline). */
export const MANIFEST_SUFFIX = 'manifest.json';

/**
 * The suffixes that trigger the function, one notification rule each (`.xlsx`: an Excel
 * workbook). S3 filters are case-sensitive: `.CSV` does not trigger.
 */
export const ACCEPTED_SUFFIXES = ['.csv', '.txt', '.csv.gz', '.xlsx'] as const;

/** True when some object key could start with both prefixes (the empty prefix overlaps all). */
export function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/**
 * Checks that no key the function writes can trigger it again.
 * Throws PrefixOverlapError when the two prefixes overlap.
 */
export function assertDisjointPrefixes(triggerPrefix: string, resultsPrefix: string): void {
  if (prefixesOverlap(triggerPrefix, resultsPrefix)) {
    throw new PrefixOverlapError(
      `The trigger prefix "${triggerPrefix}" and the results prefix "${resultsPrefix}" overlap: every result written would trigger the function again`,
    );
  }
}
