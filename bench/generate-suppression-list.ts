import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { GeneratedFile } from './generate-files.js';

/**
 * A registry of `count` numbers, written as the bench's contact files write theirs (`0` and 8
 * digits), so that about one contact in ten is on it; one line in ten is formatted as registries
 * often are (`099 123 456`). Written in pieces: memory does not grow with the count.
 */
export async function generateSuppressionList(
  path: string,
  count: number,
  seed: number,
): Promise<GeneratedFile> {
  const out = createWriteStream(path);
  let state = (seed * 2_654_435_761 + 1) >>> 0 || 1;
  let bytes = 0;
  let text = '';
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const digits = String((state >>> 0) % 100_000_000).padStart(8, '0');
    text +=
      i % 10 === 0
        ? `0${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5)}\n`
        : `0${digits}\n`;
    if (text.length >= 1 << 16) {
      bytes += text.length;
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  bytes += text.length;
  out.end(text);
  await once(out, 'finish');
  return { path, rows: count, bytes };
}
