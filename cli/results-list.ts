import type { S3Client } from '@aws-sdk/client-s3';
import { SETTINGS } from '../functions/config/settings.js';
import { type Manifest, ManifestStatus } from '../functions/pipeline/manifest.js';
import { type ListedManifest, listManifestKeys } from '../functions/pipeline/result-listing.js';
import { getJson } from '../functions/pipeline/storage.js';
import { bucketAccessError, bucketClient } from './bucket-access.js';
import type { BucketFlags } from './bucket-flags.js';
import { UsageError } from './errors.js';
import { chunksWith, shown } from './manifest-report.js';

export interface ResultsFlags extends Omit<BucketFlags, 'bucket'> {
  bucket?: string;
  folder?: string;
  since?: number;
  /** As typed, lower case: checked against the manifest's statuses when the listing starts. */
  status?: string[];
  limit: number;
  json?: boolean;
}

/** Manifests read at once while the table fills. */
const READ_AT_ONCE = 8;

/**
 * Prints the latest results as a table, or as `{"manifests": [...]}` with `json`. Throws
 * UsageError for an unknown status, BucketAccessError when the bucket cannot be listed or read.
 */
export async function listResults(flags: ResultsFlags & BucketFlags): Promise<void> {
  const statuses = checkedStatuses(flags.status);
  const found = await latestResults(bucketClient(flags), flags, statuses);
  if (flags.json) {
    const manifests = found.map((result) => result.manifest);
    process.stdout.write(`${JSON.stringify({ manifests }, null, 2)}\n`);
  } else {
    process.stdout.write(resultsTable(found));
  }
}

/** The statuses asked for, each one a manifest's; undefined for all. */
function checkedStatuses(asked: readonly string[] | undefined): ManifestStatus[] | undefined {
  if (asked === undefined) return undefined;
  const known: readonly string[] = Object.values(ManifestStatus);
  const unknown = asked.filter((status) => !known.includes(status));
  if (unknown.length > 0) {
    throw new UsageError(`--status takes some of ${known.join(', ')} (got "${unknown.join(',')}")`);
  }
  return asked as ManifestStatus[];
}

interface FoundResult extends ListedManifest {
  readonly manifest: Manifest;
}

/**
 * The newest manifests under `results/` (or one folder's), filtered by age and status, at most
 * `limit`. Ages come from the listing, so only the manifests shown, and those refused by
 * `--status`, are read. Throws BucketAccessError when the bucket cannot be listed or read.
 */
async function latestResults(
  s3: S3Client,
  flags: ResultsFlags & BucketFlags,
  statuses: readonly ManifestStatus[] | undefined,
): Promise<FoundResult[]> {
  const folder = flags.folder === undefined ? '' : `${flags.folder.normalize('NFC')}/`;
  const prefix = `${SETTINGS.resultsPrefix.default}${folder}`;
  const where = `s3://${flags.bucket}/${shown(prefix)}`;
  const listed = await listManifestKeys(s3, flags.bucket, prefix).catch((error) => {
    throw bucketAccessError(`listing ${where}`, error);
  });
  const since = flags.since === undefined ? 0 : Date.now() - flags.since;
  const candidates = listed
    .filter((item) => item.lastModified.getTime() >= since)
    .sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
  const found: FoundResult[] = [];
  for (let i = 0; i < candidates.length && found.length < flags.limit; i += READ_AT_ONCE) {
    const batch = candidates.slice(i, i + READ_AT_ONCE);
    const read = await Promise.all(
      batch.map((item) =>
        getJson<Manifest>(s3, flags.bucket, item.key).catch((error) => {
          throw bucketAccessError(`reading ${where}`, error);
        }),
      ),
    );
    batch.forEach((item, j) => {
      const manifest = read[j]?.value;
      // A manifest removed between the listing and the read (expired) is simply gone.
      if (manifest && (!statuses || statuses.includes(manifest.status))) {
        found.push({ ...item, manifest });
      }
    });
  }
  return found.slice(0, flags.limit);
}

/** The table: time (UTC), folder, file, status, accepted/refused/uploaded, unknown chunks. */
function resultsTable(found: readonly FoundResult[]): string {
  if (found.length === 0) return 'No result matches.\n';
  const header = [
    'finished (UTC)',
    'folder',
    'file',
    'status',
    'accepted/refused/uploaded',
    'unknown',
  ];
  const rows = found.map(({ manifest }) => {
    const { folder, file } = folderAndFile(manifest.source.key);
    const c = manifest.counts;
    return [
      manifest.finishedAt.replace('T', ' ').slice(0, 19),
      shown(folder),
      shown(file),
      manifest.status,
      `${c.accepted}/${c.rejected}/${c.uploaded}`,
      String(chunksWith(manifest, 'unknown')),
    ];
  });
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** The campaign folder and the rest of a dropped key (`incoming/<folder>/<file>`). */
function folderAndFile(key: string): { folder: string; file: string } {
  const incoming = SETTINGS.incomingPrefix.default;
  const rest = key.startsWith(incoming) ? key.slice(incoming.length) : key;
  const slash = rest.indexOf('/');
  return slash < 0
    ? { folder: '', file: rest }
    : { folder: rest.slice(0, slash), file: rest.slice(slash + 1) };
}
