import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { type ClaimState, ClaimStatus } from '../functions/pipeline/claim.js';
import type { Manifest } from '../functions/pipeline/manifest.js';
import type { ResultLocation } from '../functions/pipeline/result-location.js';
import { getJson } from '../functions/pipeline/storage.js';
import { bucketAccessError } from './bucket-access.js';
import { InputError } from './errors.js';
import { shown } from './manifest-report.js';

/** First wait between looks, doubling up to the last: a small file is done within seconds. */
const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 5_000;

/** A final result: the manifest and its key. */
export interface FinalResult {
  readonly key: string;
  readonly manifest: Manifest;
}

/**
 * Polls an object version's result until it is final: its manifest written and its claim no
 * longer running (a run that stops to be retried writes a manifest too, then gives the claim
 * back). `locations` are the places the function may file it, first the likeliest: S3's event
 * names the versionId of a versioned object, but some S3-compatible services send only its
 * ETag, so the result lands under the ETag's place instead. Says on stderr when an attempt ends
 * to be retried. Throws InputError when `timeoutMs` passes first (naming the latest attempt's
 * status, if any), BucketAccessError when the bucket cannot be read.
 */
export async function waitForResult(
  s3: S3Client,
  bucket: string,
  locations: readonly [ResultLocation, ...ResultLocation[]],
  timeoutMs: number,
): Promise<FinalResult> {
  const deadline = Date.now() + timeoutMs;
  const [location] = locations;
  let pause = FIRST_POLL_MS;
  let latest: Manifest | undefined;
  for (;;) {
    const look = await lookAtResults(s3, bucket, locations);
    if (look.final) return look.final;
    if (look.attempt && look.attempt.finishedAt !== latest?.finishedAt) {
      latest = look.attempt;
      process.stderr.write(
        `an attempt ended ${latest.status}${latest.error ? ` (${latest.error.code})` : ''}; the function will retry it\n`,
      );
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const where = `s3://${bucket}/${shown(location.manifestKey)}`;
      const so = latest
        ? `the latest attempt ended ${latest.status}, to be retried`
        : 'no result yet';
      throw new InputError(`no final result after the timeout (${so}); it will be at ${where}`);
    }
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
}

/** The first final result among the places, else the manifest of an attempt to be retried. */
async function lookAtResults(
  s3: S3Client,
  bucket: string,
  locations: readonly ResultLocation[],
): Promise<{ final?: FinalResult; attempt?: Manifest }> {
  let attempt: Manifest | undefined;
  for (const location of locations) {
    const look = await lookAtResult(s3, bucket, location);
    if (look.final) return { final: { key: location.manifestKey, manifest: look.final } };
    attempt ??= look.attempt;
  }
  return attempt ? { attempt } : {};
}

/** The manifest when final, or the manifest of an attempt that will be retried. */
async function lookAtResult(
  s3: S3Client,
  bucket: string,
  location: ResultLocation,
): Promise<{ final?: Manifest; attempt?: Manifest }> {
  try {
    // The manifest is written before the claim is closed or given back: read it first.
    const manifest = await getJson<Manifest>(s3, bucket, location.manifestKey);
    if (!manifest) return {};
    const state = await getJson<ClaimState>(s3, bucket, location.stateKey);
    // No claim at all: the file was never claimed (skipped, or its folder refused), so it is final.
    if (!state) return { final: manifest.value };
    if (state.value.status === ClaimStatus.Running) {
      return state.value.released ? { attempt: manifest.value } : {};
    }
    const closed = await getJson<Manifest>(s3, bucket, location.manifestKey);
    return { final: (closed ?? manifest).value };
  } catch (error) {
    throw bucketAccessError(`reading s3://${bucket}/${shown(location.prefix)}`, error);
  }
}
