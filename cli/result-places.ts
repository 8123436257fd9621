import { SETTINGS } from '../functions/config/settings.js';
import type { CampaignVerdict } from '../functions/pipeline/campaign-from-key.js';
import { type ResultLocation, resultLocation } from '../functions/pipeline/result-location.js';
import { InputError } from './errors.js';

/**
 * Where the function files the result of one version of `key`, likeliest first: by its
 * versionId, as S3's event names it; then by its ETag, where the service's events carry no
 * versionId (moto's do not), so the function can only name the version by its ETag. Throws
 * InputError when the bucket gave neither.
 */
export function resultPlaces(
  key: string,
  verdict: CampaignVerdict,
  version: { readonly versionId?: string | undefined; readonly eTag?: string | undefined },
): [ResultLocation, ...ResultLocation[]] {
  const place = (identity: { versionId?: string; eTag?: string }) =>
    resultLocation({ key, ...identity }, verdict, SETTINGS.resultsPrefix.default);
  const { versionId, eTag } = version;
  const byVersion = versionId && versionId !== 'null' ? [place({ versionId })] : [];
  const byETag = eTag ? [place({ eTag })] : [];
  const [first, ...rest] = [...byVersion, ...byETag];
  if (!first) {
    throw new InputError(
      `the bucket names neither a versionId nor an ETag for ${key}, so its result cannot be found; list it with \`results\``,
    );
  }
  return [first, ...rest];
}
