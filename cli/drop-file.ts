import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { SETTINGS } from '../functions/config/settings.js';
import { UnusableFileError } from '../functions/contacts/errors.js';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from '../functions/contacts/options.js';
import { processContacts } from '../functions/contacts/process-contacts.js';
import { type CampaignVerdict, campaignFromKey } from '../functions/pipeline/campaign-from-key.js';
import { ManifestStatus } from '../functions/pipeline/manifest.js';
import { profileEngineOptions } from '../functions/profiles/engine-options.js';
import { parseProfiles } from '../functions/profiles/parse-profiles.js';
import { profileCampaign, resolveProfile } from '../functions/profiles/resolve-profile.js';
import { ACCEPTED_SUFFIXES, PROFILES_KEY } from '../infra/bucket-layout.js';
import { bucketAccessError, bucketClient } from './bucket-access.js';
import type { BucketFlags } from './bucket-flags.js';
import { ExitCode, InputError, UsageError } from './errors.js';
import { manifestLines, shown } from './manifest-report.js';
import { Progress } from './progress.js';
import { resultPlaces } from './result-places.js';
import { waitForResult } from './result-wait.js';
import { fileSize } from './validate.js';

export interface DropFlags extends BucketFlags {
  folder: string;
  wait?: boolean;
  timeout: number;
  force?: boolean;
  json?: boolean;
}

/** Where a drop goes: its key and the campaign the function will read it for. */
interface DropTarget {
  readonly key: string;
  readonly verdict: CampaignVerdict & { ok: true };
}

/** Parts of 8 MiB: one PutObject up to that size, a multipart upload above, as the AWS CLI does. */
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Checks `file` as the function will read it, uploads it to `incoming/<folder>/<name>` and, with
 * `--wait`, prints its final result. Returns the exit code; throws UsageError for a wrong name or
 * folder, InputError when nothing can be loaded (without --force) or no result comes in time,
 * BucketAccessError when the bucket cannot be written or read.
 */
export async function drop(file: string, flags: DropFlags): Promise<ExitCode> {
  if (flags.json && !flags.wait) throw new UsageError('--json needs --wait: it prints the result');
  const size = await fileSize(file);
  const target = dropTarget(basename(file), flags.folder);
  const s3 = bucketClient(flags);
  const folderOptions = await engineOptionsForFolder(
    s3,
    flags.bucket,
    target,
    flags.force === true,
  );
  const loadable = await checkBeforeDrop(file, size, {
    ...folderOptions,
    sourceName: basename(file),
    sizeHint: size,
  });
  if (!loadable && !flags.force) {
    throw new InputError(
      `nothing in ${file} can be loaded, so nothing was uploaded (--force uploads it anyway)`,
    );
  }
  const where = `s3://${flags.bucket}/${target.key}`;
  const stored = await uploadFile(s3, flags.bucket, target.key, file, size).catch((error) => {
    throw bucketAccessError(`uploading ${shown(where)}`, error);
  });
  process.stderr.write(`uploaded ${shown(where)}\n`);
  if (!flags.wait) return ExitCode.Ok;
  const result = await waitForResult(
    s3,
    flags.bucket,
    resultPlaces(target.key, target.verdict, stored),
    flags.timeout,
  );
  if (flags.json) process.stdout.write(`${JSON.stringify(result.manifest, null, 2)}\n`);
  else
    process.stdout.write(
      `${manifestLines(flags.bucket, result.key, result.manifest).join('\n')}\n`,
    );
  return result.manifest.status === ManifestStatus.Succeeded ? ExitCode.Ok : ExitCode.Failed;
}

/**
 * The key `incoming/<folder>/<name>` and the campaign the function reads from it. Throws
 * UsageError for a name no notification rule matches (nothing would handle it) or a folder the
 * dialer cannot take as a campaign.
 */
function dropTarget(name: string, folder: string): DropTarget {
  if (!ACCEPTED_SUFFIXES.some((suffix) => name.endsWith(suffix))) {
    throw new UsageError(
      `only names ending in ${ACCEPTED_SUFFIXES.join(', ')} (lower case) start a load; rename ${name}`,
    );
  }
  if (folder.includes('/')) throw new UsageError('--folder is one folder name, without "/"');
  const key = `${SETTINGS.incomingPrefix.default}${folder.normalize('NFC')}/${name}`;
  const verdict = campaignFromKey(key, {
    incomingPrefix: SETTINGS.incomingPrefix.default,
    campaignSuffix: '',
  });
  if (!verdict.ok) throw new UsageError(`--folder: ${verdict.message} (${verdict.reason})`);
  return { key, verdict };
}

/**
 * How the function will read a file dropped in this folder: with the bucket's profiles file
 * (PROFILES_KEY) when it has one, the folder's effective profile (mapping, number rules, dialer
 * campaign); else the engine's defaults with the folder as the campaign. Throws InputError when
 * the bucket's profiles file is invalid or refuses the folder, since the function would load
 * nothing (unless `force`: then the defaults are used to check the file).
 */
async function engineOptionsForFolder(
  s3: S3Client,
  bucket: string,
  target: DropTarget,
  force: boolean,
): Promise<Omit<EngineOptions, 'sourceName'>> {
  const defaults = { ...DEFAULT_ENGINE_OPTIONS, campaign: target.verdict.campaign };
  const text = await readBucketProfiles(s3, bucket);
  if (text === undefined) return defaults;
  const parsed = parseProfiles(text);
  const refusal = (why: string) =>
    new InputError(`${why}: the function would load nothing, so nothing was uploaded`);
  if (!parsed.ok) {
    if (force) return defaults;
    throw refusal(`the bucket's profiles file ${PROFILES_KEY} is invalid (PROFILES_INVALID)`);
  }
  const verdict = resolveProfile(parsed.file, target.verdict.folder);
  if (!verdict.ok) {
    if (force) return defaults;
    throw refusal(`${verdict.code}: ${verdict.message}`);
  }
  process.stderr.write(`profile: ${verdict.profile.name ?? '(defaults)'}\n`);
  return {
    ...defaults,
    ...profileEngineOptions(verdict.profile),
    campaign: profileCampaign(verdict.profile, target.verdict.campaign),
  };
}

/** The bucket's profiles file as text; undefined when there is none. */
async function readBucketProfiles(s3: S3Client, bucket: string): Promise<string | undefined> {
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: PROFILES_KEY }));
    return await answer.Body?.transformToString('utf8');
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw bucketAccessError(`reading s3://${bucket}/${PROFILES_KEY}`, error);
  }
}

/** Reads the file as the function will and says on stderr what it found; true when a contact loads. */
async function checkBeforeDrop(
  file: string,
  size: number,
  options: EngineOptions,
): Promise<boolean> {
  const progress = process.stderr.isTTY ? new Progress(size, 'checking') : undefined;
  try {
    const summary = await processContacts(
      createReadStream(file),
      options,
      { accept: () => undefined, reject: () => undefined },
      progress && ((bytes) => progress.update(bytes)),
    );
    progress?.clear();
    const c = summary.counts;
    process.stderr.write(
      `checked ${shown(basename(file))} for ${shown(options.campaign)}: ${c.rows} rows, ` +
        `${c.accepted} can be loaded, ${c.rejected} refused (validate shows why)\n`,
    );
    return c.accepted > 0;
  } catch (error) {
    progress?.clear();
    if (!(error instanceof UnusableFileError)) throw error;
    process.stderr.write(
      `checked ${shown(basename(file))}: refused (${error.code}): ${error.message}\n`,
    );
    return false;
  }
}

/** Puts the file with lib-storage (multipart above 8 MiB), a progress bar on a terminal. */
async function uploadFile(
  s3: S3Client,
  bucket: string,
  key: string,
  file: string,
  size: number,
): Promise<{ eTag: string | undefined; versionId: string | undefined }> {
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size },
    partSize: PART_BYTES,
  });
  const progress = process.stderr.isTTY ? new Progress(size, 'uploading') : undefined;
  upload.on('httpUploadProgress', (event) => progress?.update(event.loaded ?? 0));
  try {
    const done = await upload.done();
    return { eTag: done.ETag, versionId: done.VersionId };
  } finally {
    progress?.clear();
  }
}
