import { maskPhonesInText } from '../../functions/contacts/mask-phone.js';
import { UploadOutcome } from '../../functions/pipeline/manifest.js';
import type { SoakFile } from './soak-files.js';
import type { DialerContent, ReadManifest } from './soak-results.js';

/** How each accepted contact ended, and each chunk, judged from the dialer and the manifests. */
export interface ContactVerdict {
  readonly accepted: number;
  readonly loadedOnce: number;
  /** Loaded two times or more: must be 0. */
  readonly loadedTwice: number;
  /** Not loaded, and no final manifest reports its chunk `failed` or `unknown`: must be 0. */
  readonly lost: number;
  /** Not loaded, in a chunk a final manifest reports `failed` or `unknown`. */
  readonly reportedNotLoaded: number;
  /** Loaded numbers no file holds (a corrupted line): must be 0. */
  readonly strangers: number;
  readonly chunks: ChunkVerdict;
  /** Files whose final manifest disagrees with the file (counts, chunk sizes). */
  readonly mismatches: readonly string[];
  /** A few of the doubled and lost contacts, masked, for the report. */
  readonly examples: readonly string[];
}

export interface ChunkVerdict {
  readonly total: number;
  readonly accepted: number;
  readonly unknown: number;
  readonly unknownLoaded: number;
  readonly unknownNotLoaded: number;
  readonly failed: number;
  /** `failed` with no attempt: never sent (after an `unknown` stopped the session). */
  readonly failedNotSent: number;
  /** `failed` in the manifest, yet its contacts are in the dialer (resending would double them). */
  readonly failedButLoaded: number;
}

type Outcome = UploadOutcome | 'no final manifest';

/**
 * Judges every accepted contact: how many times the dialer holds its number (the bases' lines,
 * `campaign;number;...`), against the outcome the file's final manifest gives its chunk. Chunks
 * are matched to contacts by their record counts, in order, as the engine cuts them. Never throws.
 */
export function checkContacts(
  files: readonly SoakFile[],
  dialer: DialerContent,
  manifests: readonly ReadManifest[],
): ContactVerdict {
  const loads = loadCounts(dialer);
  const finals = new Map(
    manifests.filter((m) => m.final).map((m) => [m.manifest.source.key, m.manifest]),
  );
  const tally = { loadedOnce: 0, loadedTwice: 0, lost: 0, reportedNotLoaded: 0 };
  const chunks = { total: 0, accepted: 0, unknown: 0, unknownLoaded: 0, unknownNotLoaded: 0 };
  const failed = { failed: 0, failedNotSent: 0, failedButLoaded: 0 };
  const mismatches: string[] = [];
  const examples: string[] = [];
  const expected = new Set<string>();
  for (const file of files) {
    for (const number of file.accepted) expected.add(number);
    const manifest = finals.get(file.key);
    const outcomes = chunkOutcomes(file, manifest?.uploads ?? [], mismatches);
    if (manifest && manifest.counts.accepted !== file.accepted.length) {
      mismatches.push(
        `${file.key}: manifest accepted ${manifest.counts.accepted}, file has ${file.accepted.length}`,
      );
    }
    for (const chunk of outcomes) {
      const counts = chunk.numbers.map((n) => loads.get(n) ?? 0);
      const loaded = counts.filter((c) => c > 0).length;
      chunks.total++;
      if (chunk.outcome === UploadOutcome.Accepted) chunks.accepted++;
      if (chunk.outcome === UploadOutcome.Unknown) {
        chunks.unknown++;
        if (loaded > 0) chunks.unknownLoaded++;
        else chunks.unknownNotLoaded++;
      }
      if (chunk.outcome === UploadOutcome.Failed) {
        failed.failed++;
        if (chunk.attempts === 0) failed.failedNotSent++;
        if (loaded > 0) failed.failedButLoaded++;
      }
      chunk.numbers.forEach((number, i) => {
        const times = counts[i] ?? 0;
        if (times === 1) tally.loadedOnce++;
        else if (times > 1) tally.loadedTwice++;
        else if (chunk.outcome === UploadOutcome.Accepted || chunk.outcome === 'no final manifest')
          tally.lost++;
        else tally.reportedNotLoaded++;
        if (
          (times > 1 || (times === 0 && chunk.outcome === UploadOutcome.Accepted)) &&
          examples.length < 10
        ) {
          examples.push(
            `${file.key} part ${chunk.part} (${chunk.outcome}): ${maskPhonesInText(number)} loaded ${times} times`,
          );
        }
      });
    }
  }
  const strangers = [...loads.keys()].filter((n) => !expected.has(n)).length;
  const accepted = files.reduce((sum, f) => sum + f.accepted.length, 0);
  return {
    accepted,
    ...tally,
    strangers,
    chunks: { ...chunks, ...failed },
    mismatches,
    examples,
  };
}

/** How many times the dialer holds each number, over every base. */
function loadCounts(dialer: DialerContent): Map<string, number> {
  const loads = new Map<string, number>();
  for (const base of dialer.bases) {
    for (const line of base.text.split('\n')) {
      const number = line.split(';')[1];
      if (number) loads.set(number, (loads.get(number) ?? 0) + 1);
    }
  }
  return loads;
}

/**
 * The file's accepted numbers cut into the manifest's chunks, by their record counts; without a
 * final manifest (or when its chunks do not add up to the file), one chunk of every number.
 */
function chunkOutcomes(
  file: SoakFile,
  uploads: readonly { part: number; records: number; outcome: UploadOutcome; attempts: number }[],
  mismatches: string[],
): { part: number; outcome: Outcome; attempts: number; numbers: readonly string[] }[] {
  const sorted = [...uploads].sort((a, b) => a.part - b.part);
  const total = sorted.reduce((sum, u) => sum + u.records, 0);
  if (sorted.length === 0 || total !== file.accepted.length) {
    if (sorted.length > 0) {
      mismatches.push(
        `${file.key}: its chunks hold ${total} contacts, the file ${file.accepted.length}`,
      );
    }
    return [{ part: 0, outcome: 'no final manifest', attempts: 0, numbers: file.accepted }];
  }
  let start = 0;
  return sorted.map((upload) => {
    const numbers = file.accepted.slice(start, start + upload.records);
    start += upload.records;
    return { part: upload.part, outcome: upload.outcome, attempts: upload.attempts, numbers };
  });
}
