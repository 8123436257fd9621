import { createHash } from 'node:crypto';
import type { CampaignVerdict } from './campaign-from-key.js';
import { MissingObjectIdentityError } from './errors.js';

/** Where one object version's results live. Every key is under `prefix`. */
export interface ResultLocation {
  /** Ends with `/`. */
  readonly prefix: string;
  readonly manifestKey: string;
  readonly rejectedKey: string;
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

/**
 * Where the results of an object version go:
 * `<results>/<campaign folder>/<name>/<identity>/`, or for a refused campaign folder
 * `<results>/_rejected/<sha256(key), 16 hex>/<identity>/`, so the raw name is never part of a path.
 * Throws MissingObjectIdentityError when the object has neither versionId nor ETag.
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
  let place: string;
  if (campaign.ok) {
    const name = campaign.name.split('/').map(safeSegment).join('/');
    place = `${safeSegment(campaign.folder)}/${name}`;
  } else {
    const hash = createHash('sha256').update(object.key).digest('hex').slice(0, 16);
    place = `${REFUSED_FOLDER}/${hash}`;
  }
  const prefix = `${resultsPrefix}${place}/${identity}/`;
  return {
    prefix,
    manifestKey: `${prefix}manifest.json`,
    rejectedKey: `${prefix}rejected.csv`,
    stateKey: `${prefix}state.json`,
    identity,
  };
}
