import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Random } from '../generate-files.js';

/** One generated drop and what loading it must give. */
export interface SoakFile {
  /** Where it is dropped: `incoming/<campaign>/<name>`. */
  readonly key: string;
  readonly campaign: string;
  readonly path: string;
  /** Lines in the file: accepted contacts, refused rows and a repeated number or two. */
  readonly rows: number;
  /** The numbers that load, in file order (so chunk by chunk); no other file has them. */
  readonly accepted: readonly string[];
  /** Chunks an upload cuts it into at `maxRecords` contacts a chunk. */
  readonly chunks: number;
}

export interface SoakFilesOptions {
  readonly dir: string;
  readonly files: number;
  readonly campaigns: readonly string[];
  /** The function's MAX_CHUNK_RECORDS: files get 1 to `maxChunks` chunks of it. */
  readonly maxRecords: number;
  readonly maxChunks: number;
  readonly random: Random;
}

// biome-ignore format: a word list reads better packed
const NAMES = ['Ana', 'Bruno', 'Carla', 'Diego', 'Elena', 'Fernando', 'Inés', 'Joaquín', 'Lucía', 'Raúl'];

/**
 * Writes `files` native contact files spread over the campaigns, each of 1 to `maxChunks` chunks
 * (the last one partly filled), with a refused row now and then (a 2-digit number) and a number
 * repeated within the file (refused as a duplicate). Every accepted number is new to the whole
 * soak, so a contact loaded twice shows as the same number twice in the dialer. Rejects when
 * a file cannot be written.
 */
export async function writeSoakFiles(options: SoakFilesOptions): Promise<SoakFile[]> {
  const { random, maxRecords } = options;
  // One sequence over every campaign: a number identifies its contact in the whole soak.
  let next = 0;
  const files: SoakFile[] = [];
  for (let i = 1; i <= options.files; i++) {
    const campaign = options.campaigns[(i - 1) % options.campaigns.length] as string;
    const chunks = 1 + random.below(options.maxChunks);
    const count = (chunks - 1) * maxRecords + 1 + random.below(maxRecords);
    const first = next;
    next += count;
    const accepted = Array.from({ length: count }, (_, n) => phoneNumber(first + n));
    const lines = accepted.map((number, n) => nativeLine(campaign, number, random, i, n));
    // A refused row and a duplicate in about half the files: neither may load nor shift chunks.
    if (random.below(2) === 0) lines.splice(random.below(lines.length), 0, `${campaign};12;x=1;;`);
    if (random.below(2) === 0) {
      const again = accepted[random.below(accepted.length)] as string;
      lines.push(`${campaign};${again};nombre=otra vez;;`);
    }
    const name = `soak-${String(i).padStart(3, '0')}.csv`;
    const path = join(options.dir, `${campaign}-${name}`);
    await writeFile(path, `${lines.join('\n')}\n`);
    files.push({
      key: `incoming/${campaign}/${name}`,
      campaign,
      path,
      rows: lines.length,
      accepted,
      chunks: Math.ceil(count / maxRecords),
    });
  }
  return files;
}

/** The n-th number of the soak: a 9-digit Uruguayan mobile, canonical as it is. */
function phoneNumber(n: number): string {
  return `09${String(1_000_000 + n).padStart(7, '0')}`;
}

function nativeLine(campaign: string, number: string, random: Random, file: number, n: number) {
  // Now and then the campaign column is left empty, which the engine fills in.
  const column = random.below(10) === 0 ? '' : campaign;
  return `${column};${number};nombre=${random.pick(NAMES)}:archivo=${file}:fila=${n + 1};;`;
}
