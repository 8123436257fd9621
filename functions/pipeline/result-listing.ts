import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** The name every result's manifest has, beside its rejected.csv and state.json. */
export const MANIFEST_NAME = 'manifest.json';

export interface ListedManifest {
  readonly key: string;
  /** When the manifest was last written (a retried run writes it again). */
  readonly lastModified: Date;
}

/**
 * Every manifest key under `prefix`, in key order, with when it was written. Pages through the
 * listing; throws the SDK's errors (a missing bucket, access denied) unchanged.
 */
export async function listManifestKeys(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<ListedManifest[]> {
  const found: ListedManifest[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const item of page.Contents ?? []) {
      if (item.Key?.endsWith(`/${MANIFEST_NAME}`)) {
        found.push({ key: item.Key, lastModified: item.LastModified ?? new Date(0) });
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
