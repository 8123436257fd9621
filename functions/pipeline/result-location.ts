import { createHash } from 'node:crypto';
import type { CampaignVerdict } from './campaign-from-key.js';
import { MissingObjectIdentityError } from './errors.js';

/** Where one object version's results live. Every key is under `prefix`. */
export interface ResultLocation {
  /** Ends with `/`. */
  readonly prefix: string;
  readonly manifestKey: string;
  readonly rejectedKey: string;
  /** The page people read: report.html, beside the manifest. */
  readonly reportKey: string;
  /** The claim and checkpoint (see claim.ts). */
  readonly stateKey: string;
  /** `v-...` from the versionId, or `e-...` from the ETag. */
  readonly identity: string;
}

/** Results of files whose campaign folder was refused, filed by a hash of the key. */
export const REFUSED_FOLDER = '_rejected';

const SAFE = /^[A-Za-z0-9._-]+$/;

/**
 * A deterministic, path-safe name for one object version: the versionId when there is one
 * (`v-`), else the ETag without quotes (`e-`); values with other characters are base64url-encoded.
 * Throws MissingObjectIdentityError when there is neither.
 */
export function objectIdentity(object: {
  readonly versionId?: string | undefined;
  readonly eTag?: string | undefined;
}): string {
  const encode = (value: string) =>
    SAFE.test(value) ? value : `b64.${Buffer.from(value).toString('base64url')}`;
  if (object.versionId && object.versionId !== 'null') return `v-${encode(object.versionId)}`;
  const eTag = object.eTag?.replace(/^W\//, '').replace(/"/g, '');
  if (eTag) return `e-${encode(eTag)}`;
  throw new MissingObjectIdentityError(
    'the event names neither a versionId nor an ETag for the object',
  );
}

/** One path segment that S3 consoles and file systems show as it is meant. */
function safeSegment(segment: string): string {
  const cleaned = segment.replace(/[\x00-\x1f\x7f\\]/g, '_');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}

/** Hex digits of sha256(key) marking a path that is not the key's name as it is. */
const MARK_LENGTH = 12;
/** A last segment that already ends as a marked one does. */
const MARKED = new RegExp(`~[0-9a-f]{${MARK_LENGTH}}$`);
/** A path that reads as a refused file's (see below). */
const REFUSED_PLACE = new RegExp(`^${REFUSED_FOLDER}/[0-9a-f]{16}$`);

function keyHash(key: string, length: number): string {
  return createHash('sha256').update(key).digest('hex').slice(0, length);
}

/**
 * The folder and name of an accepted key as a path. Where the path is not the key's name as it
 * is (a segment made safe, an empty or dot segment, a folder NFC changed) two keys could share
 * it, so its last segment carries `~` and a hash of the exact key; so does a path that already
 * reads like a marked or a refused one. Any other key keeps its name as it is.
 */
function acceptedPlace(key: string, campaign: CampaignVerdict & { ok: true }): string {
  const segments = campaign.name.split('/');
  const safe = segments.map(safeSegment);
  const place = `${campaign.folder}/${safe.join('/')}`;
  const exact =
    !campaign.folderNormalized &&
    safe.every((segment, i) => segment === segments[i]) &&
    !MARKED.test(place) &&
    !REFUSED_PLACE.test(place);
  return exact ? place : `${place}~${keyHash(key, MARK_LENGTH)}`;
}

/**
 * Where the results of an object version go: `<results>/<campaign folder>/<name>/<identity>/`,
 * the name's last segment ending in `~<12 hex of sha256(key)>` when the path is not the key's
 * name as it is (see acceptedPlace), so two keys never share a place; for a refused campaign
 * folder `<results>/_rejected/<sha256(key), 16 hex>/<identity>/`, so the raw name is never part
 * of a path. Throws MissingObjectIdentityError when the object has neither versionId nor ETag.
 */
export function resultLocation(
  object: {
    readonly key: string;
    readonly versionId?: string | undefined;
    readonly eTag?: string | undefined;
  },
  campaign: CampaignVerdict,
  resultsPrefix: string,
): ResultLocation {
  const identity = objectIdentity(object);
  const place = campaign.ok
    ? acceptedPlace(object.key, campaign)
    : `${REFUSED_FOLDER}/${keyHash(object.key, 16)}`;
  const prefix = `${resultsPrefix}${place}/${identity}/`;
  return {
    prefix,
    manifestKey: `${prefix}manifest.json`,
    rejectedKey: `${prefix}rejected.csv`,
    reportKey: `${prefix}report.html`,
    stateKey: `${prefix}state.json`,
    identity,
  };
}
