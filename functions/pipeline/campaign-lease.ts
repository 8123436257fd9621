import type { S3Client } from '@aws-sdk/client-s3';
import { CampaignBusyError, StorageError } from './errors.js';
import { getJson, httpStatus, putJson } from './storage.js';

/** The lease object's content. */
export interface LeaseState {
  readonly schemaVersion: 1;
  /** The request id of the run holding it. */
  readonly owner: string;
  /** The file being loaded. */
  readonly source: string;
  readonly takenAt: string;
  /** Set when its run let it go: the next run takes it at once. */
  readonly released: boolean;
}

/** A lease this run holds; give it back to `releaseLease` (its ETag proves it is still ours). */
export interface Lease {
  readonly bucket: string;
  readonly key: string;
  readonly eTag: string;
  readonly state: LeaseState;
}

export interface LeaseRequest {
  readonly bucket: string;
  readonly key: string;
  readonly owner: string;
  readonly source: string;
  /** A lease older than this was left by a run that died (no run lives longer): taken over. */
  readonly functionTimeoutSeconds: number;
  readonly now: () => Date;
}

const MAX_ROUNDS = 3;

/**
 * Takes a campaign's lease, so one file of the campaign at a time reads the load record, loads
 * and records what it loaded: created with `If-None-Match: *`; one released, or older than the
 * function timeout, is taken over with `If-Match` on its ETag. Throws CampaignBusyError when
 * another run holds it (the file is to be delivered again later), StorageError when S3 fails.
 */
export async function takeLease(s3: S3Client, request: LeaseRequest): Promise<Lease> {
  const { bucket, key, now } = request;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const state: LeaseState = {
      schemaVersion: 1,
      owner: request.owner,
      source: request.source,
      takenAt: now().toISOString(),
      released: false,
    };
    const created = await conditionalPut(s3, bucket, key, state, { ifNoneMatch: '*' });
    if (created) return { bucket, key, eTag: created, state };
    const current = await getJson<LeaseState>(s3, bucket, key);
    if (!current) continue;
    const ageMs = now().getTime() - Date.parse(current.value.takenAt);
    if (!current.value.released && !(ageMs > request.functionTimeoutSeconds * 1000)) {
      throw new CampaignBusyError(
        `another file of the campaign is being loaded (${current.value.source}, since ` +
          `${current.value.takenAt}); this one waits its turn`,
      );
    }
    const taken = await conditionalPut(s3, bucket, key, state, { ifMatch: current.eTag });
    if (taken) return { bucket, key, eTag: taken, state };
  }
  throw new CampaignBusyError('the campaign lease kept changing hands; this file waits its turn');
}

/**
 * Lets the lease go (`If-Match` on its ETag). Returns false when another run took it over in
 * the meantime, which only happens after the function timeout; throws StorageError when S3 fails.
 */
export async function releaseLease(s3: S3Client, lease: Lease, now: () => Date): Promise<boolean> {
  const state = { ...lease.state, released: true, takenAt: now().toISOString() };
  return (await conditionalPut(s3, lease.bucket, lease.key, state, { ifMatch: lease.eTag })) !== '';
}

/**
 * The new ETag, or '' when the condition did not hold (412; 409: another write under way; 404:
 * the lease is gone).
 */
async function conditionalPut(
  s3: S3Client,
  bucket: string,
  key: string,
  state: LeaseState,
  condition: { readonly ifNoneMatch: '*' } | { readonly ifMatch: string },
): Promise<string> {
  try {
    return (await putJson(s3, bucket, key, state, condition)) || 'written';
  } catch (error) {
    const status = httpStatus(error);
    if (status === 412 || status === 409 || status === 404) return '';
    throw new StorageError(`cannot write the lease s3://${bucket}/${key}`, { cause: error });
  }
}
