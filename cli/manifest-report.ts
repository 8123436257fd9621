import { STRAY_CHARACTER_CLASS } from '../functions/contacts/stray-characters.js';
import type { Manifest } from '../functions/pipeline/manifest.js';

/** Characters a terminal would act on or reorder, in a key or a message shown as it is. */
const UNSHOWABLE = new RegExp(`[${STRAY_CHARACTER_CLASS}\\t\\n\\r\\x80-\\x9f]`, 'g');

/** `text` safe to print on a terminal: control and text-direction characters shown as `?`. */
export function shown(text: string): string {
  return text.replace(UNSHOWABLE, '?');
}

/**
 * One file's result as `local` prints it: status, counts, chunks, error, warnings, and where the manifest
 * and its refused rows are (`s3://<bucket>/<key>`). Lines without a trailing line break.
 */
export function manifestLines(bucket: string, key: string, manifest: Manifest): string[] {
  const where = (objectKey: string) => `s3://${bucket}/${shown(objectKey)}`;
  const lines = [`${shown(manifest.source.key)}: ${manifest.status}`, `  ${countsLine(manifest)}`];
  if (manifest.uploads.length > 0) lines.push(`  ${chunksLine(manifest)}`);
  const { profile } = manifest;
  if (profile) {
    const name = profile.name === null ? `(${profile.source})` : shown(profile.name);
    lines.push(
      `  profile: ${name}, campaign ${shown(manifest.campaign ?? '')}, profiles ${profile.version}`,
    );
  }
  if (manifest.error)
    lines.push(`  error: ${manifest.error.code}: ${shown(manifest.error.message)}`);
  for (const warning of manifest.warnings ?? [])
    lines.push(`  warning: ${warning.code}: ${shown(warning.message)}`);
  lines.push(`  manifest: ${where(key)}`);
  if (manifest.rejectedFile) lines.push(`  refused rows: ${where(manifest.rejectedFile)}`);
  const cut = manifest.rejectedFileTruncated;
  if (cut) lines.push(`  (the first ${cut.rowsWritten} only: the file stops at its ceiling)`);
  return lines;
}

function countsLine(manifest: Manifest): string {
  const c = manifest.counts;
  return (
    `rows ${c.rows}: ${c.accepted} accepted (${c.modified} modified), ` +
    `${c.rejected} refused (${c.duplicates} duplicates` +
    (manifest.reloadWindow ? `, ${c.recentlyLoaded} recently loaded` : '') +
    `); ${c.uploaded} uploaded`
  );
}

/** How many chunks ended with `outcome`. */
export function chunksWith(manifest: Manifest, outcome: string): number {
  return manifest.uploads.filter((u) => u.outcome === outcome).length;
}

function chunksLine(manifest: Manifest): string {
  const by = (outcome: string) => chunksWith(manifest, outcome);
  const parts = [`${by('accepted')} accepted`];
  if (by('failed') > 0) parts.push(`${by('failed')} failed`);
  if (by('unknown') > 0) parts.push(`${by('unknown')} unknown`);
  return `chunks: ${manifest.uploads.length} (${parts.join(', ')})`;
}
