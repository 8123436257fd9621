import { basename } from 'node:path';

/**
 * The `filename` a chunk is uploaded under, as operators see it in the dialer's list of bases:
 * the source's own name when it is the only chunk (without `.gz`: what is sent is plain text),
 * else `<stem>.part-001-of-003.csv`.
 */
export function baseFilename(sourceName: string, part: number, total: number): string {
  const name = basename(sourceName.replace(/\\/g, '/'));
  const plain = name.replace(/\.gz$/i, '') || 'base';
  if (total <= 1) return plain;
  const stem = plain.replace(/\.(csv|txt|tsv)$/i, '') || 'base';
  const width = Math.max(3, String(total).length);
  const pad = (n: number) => String(n).padStart(width, '0');
  return `${stem}.part-${pad(part)}-of-${pad(total)}.csv`;
}
