import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SETTINGS } from '../functions/config/settings.js';
import { campaignFromKey } from '../functions/pipeline/campaign-from-key.js';
import type { Manifest } from '../functions/pipeline/manifest.js';
import { listManifestKeys, MANIFEST_NAME } from '../functions/pipeline/result-listing.js';
import type { ResultLocation } from '../functions/pipeline/result-location.js';
import { errorCode, getJson, headObject, httpStatus } from '../functions/pipeline/storage.js';
import { bucketAccessError, bucketClient } from './bucket-access.js';
import type { BucketFlags } from './bucket-flags.js';
import { ExitCode, InputError, UsageError } from './errors.js';
import { manifestLines, shown } from './manifest-report.js';
import { resultPlaces } from './result-places.js';
import { checkOutputPaths, openTextFile } from './text-file.js';

export interface ShowFlags extends Omit<BucketFlags, 'bucket'> {
  bucket?: string;
  json?: boolean;
  rejected?: string;
  html?: string;
}

/** The page the function writes beside a manifest. */
const REPORT_PAGE = 'report.html';
/** Refused rows listed under the outcome; `--rejected` downloads them all. */
const SHOWN_REJECTIONS = 10;

/**
 * Prints one file's outcome (the manifest with `json`) and downloads what the flags ask for.
 * Returns the exit code; throws UsageError for a key that names no result, InputError when there
 * is no such result or file beside it, BucketAccessError when the bucket cannot be read.
 */
export async function showResult(given: string, flags: ShowFlags): Promise<ExitCode> {
  const { bucket, key } = bucketAndKey(given, flags.bucket);
  const outputs = [
    { flag: '--rejected', path: flags.rejected },
    { flag: '--html', path: flags.html },
  ];
  // No input file here: the outputs are only checked against each other.
  await checkOutputPaths('', outputs);
  const s3 = bucketClient({ ...flags, bucket });
  const manifestKey = await findManifestKey(s3, bucket, key);
  const found = await getJson<Manifest>(s3, bucket, manifestKey).catch((error) => {
    throw bucketAccessError(`reading s3://${bucket}/${shown(manifestKey)}`, error);
  });
  if (!found) throw new InputError(`no manifest at s3://${bucket}/${shown(manifestKey)}`);
  const manifest = found.value;
  if (flags.rejected !== undefined) {
    if (!manifest.rejectedFile)
      throw new InputError('no row of this file was refused: there is no rejected.csv');
    await download(s3, bucket, manifest.rejectedFile, flags.rejected);
  }
  if (flags.html !== undefined) {
    const page = `${manifestKey.slice(0, -MANIFEST_NAME.length)}${REPORT_PAGE}`;
    const saved = await download(s3, bucket, page, flags.html);
    if (!saved) {
      throw new InputError(
        `there is no ${REPORT_PAGE} beside s3://${bucket}/${shown(manifestKey)} (results written without a page have none)`,
      );
    }
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  else
    process.stdout.write(
      `${[...manifestLines(bucket, manifestKey, manifest), ...rejectionLines(manifest)].join('\n')}\n`,
    );
  return ExitCode.Ok;
}

/** The bucket and key of `s3://bucket/key`, or `--bucket` and the key as given. */
function bucketAndKey(
  given: string,
  bucketFlag: string | undefined,
): { bucket: string; key: string } {
  const url = /^s3:\/\/([^/]+)\/(.+)$/.exec(given);
  if (url) {
    if (bucketFlag !== undefined && bucketFlag !== url[1]) {
      throw new UsageError(`--bucket ${bucketFlag} and ${given} name two buckets`);
    }
    return { bucket: url[1]!, key: url[2]! };
  }
  if (bucketFlag === undefined)
    throw new UsageError('--bucket is required unless the key is given as s3://<bucket>/<key>');
  return { bucket: bucketFlag, key: given };
}

/**
 * The manifest of `key`: itself when it is a manifest key; for a dropped key, its current
 * version's result, or the newest result filed for it when the file is gone. Throws InputError
 * when there is none, BucketAccessError when the bucket cannot be read.
 */
async function findManifestKey(s3: S3Client, bucket: string, key: string): Promise<string> {
  if (key.endsWith(`/${MANIFEST_NAME}`)) return key;
  const incoming = SETTINGS.incomingPrefix.default;
  if (!key.startsWith(incoming)) {
    throw new UsageError(
      `give a dropped key (${incoming}<folder>/<file>) or a manifest key (.../${MANIFEST_NAME})`,
    );
  }
  const verdict = campaignFromKey(key, { incomingPrefix: incoming, campaignSuffix: '' });
  const where = `s3://${bucket}/${shown(key)}`;
  try {
    const head = await headObject(s3, bucket, key);
    if (head) return await currentManifestKey(s3, bucket, resultPlaces(key, verdict, head));
    // The file is gone (expired or replaced): its results are filed under one place per key.
    const [some] = resultPlaces(key, verdict, { eTag: 'any' });
    const place = some.prefix.slice(0, -`${some.identity}/`.length);
    const own = (await listManifestKeys(s3, bucket, place)).filter(
      (item) => !item.key.slice(place.length, -`/${MANIFEST_NAME}`.length).includes('/'),
    );
    const newest = own.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime())[0];
    if (newest) return newest.key;
  } catch (error) {
    throw bucketAccessError(`looking for the result of ${where}`, error);
  }
  throw new InputError(
    `no result for ${where}: the file is not in the bucket and no result is filed for it`,
  );
}

/** The first of the places where a manifest is filed, else the likeliest (none is there yet). */
async function currentManifestKey(
  s3: S3Client,
  bucket: string,
  places: readonly [ResultLocation, ...ResultLocation[]],
): Promise<string> {
  for (const place of places) {
    if (await headObject(s3, bucket, place.manifestKey)) return place.manifestKey;
  }
  return places[0].manifestKey;
}

function rejectionLines(manifest: Manifest): string[] {
  const first = manifest.rejections.slice(0, SHOWN_REJECTIONS);
  if (first.length === 0) return [];
  const more = manifest.counts.rejected - first.length;
  return [
    `  first refused rows${more > 0 ? ` (${more} more: --rejected downloads them all)` : ''}:`,
    ...first.map((r) => `    line ${r.line}: ${r.code}: ${shown(r.message)}`),
  ];
}

/**
 * Downloads an object to `path` (written beside it, renamed when whole). Returns false when the
 * object does not exist; throws BucketAccessError when it cannot be read, UsageError when the
 * file cannot be written.
 */
async function download(s3: S3Client, bucket: string, key: string, path: string): Promise<boolean> {
  let body: AsyncIterable<Uint8Array>;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    body = response.Body as AsyncIterable<Uint8Array>;
  } catch (error) {
    if (httpStatus(error) === 404 || errorCode(error) === 'NoSuchKey') return false;
    throw bucketAccessError(`reading s3://${bucket}/${shown(key)}`, error);
  }
  const file = await openTextFile(path);
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of body) await file.write(decoder.decode(chunk, { stream: true }));
    await file.write(decoder.decode());
    await file.close();
    return true;
  } catch (error) {
    await file.discard();
    throw bucketAccessError(`downloading s3://${bucket}/${shown(key)} to ${path}`, error);
  }
}
