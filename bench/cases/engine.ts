import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Chunker } from '../../functions/contacts/chunk.js';
import type { Rejection } from '../../functions/contacts/contact.js';
import { NumberSet } from '../../functions/contacts/number-set.js';
import {
  DEFAULT_CHUNK_CEILINGS,
  DEFAULT_ENGINE_OPTIONS,
  type RecentlyLoaded,
} from '../../functions/contacts/options.js';
import { PhoneSet } from '../../functions/contacts/phone-set.js';
import { processContacts } from '../../functions/contacts/process-contacts.js';
import { SuppressionList } from '../../functions/contacts/suppression-list.js';
import { SuppressionSet } from '../../functions/contacts/suppression-set.js';
import { argument, BENCH_CAMPAIGN, report } from './case-result.js';
import { mainNumber } from './main-number.js';

/** Rejections `validate` keeps for its summary. */
const KEPT_REJECTIONS = 100;

/**
 * Case 17's reload window: `count` numbers the campaign received, as a drop reads them from its
 * load record (packed, in parts of 100,000), the generated file's last tenth among them.
 */
function knownNumbers(
  count: number,
  fileRows: number,
): { recentlyLoaded: RecentlyLoaded; buildMs: number } {
  const first = Math.floor(fileRows * 0.9);
  const part = 100_000;
  const batches = [];
  for (let start = 0; start < count; start += part) {
    const keys = new Float64Array(Math.min(part, count - start));
    for (let i = 0; i < keys.length; i++) {
      const digits = mainNumber(first + start + i);
      keys[i] = PhoneSet.keyOf(digits, 0, digits.length);
    }
    batches.push({ keys, payload: batches.length });
  }
  const loads = batches.map(() => ({ loadedAt: new Date().toISOString(), source: 'earlier.csv' }));
  // Only the set's building is timed: making the numbers stands for reading the record.
  const started = performance.now();
  const numbers = NumberSet.build(batches);
  return { recentlyLoaded: { numbers, loads, days: 7 }, buildMs: performance.now() - started };
}

/**
 * Cases 3, 4, 9, 16 and 17: the engine on one file, as `validate` runs it without `--out`: every accepted
 * line goes through the chunker, the first rejections are kept, everything else is counted.
 */
async function runEngine(
  path: string,
  scrub: { suppression?: SuppressionSet; recentlyLoaded?: RecentlyLoaded },
) {
  const chunker = new Chunker(DEFAULT_CHUNK_CEILINGS);
  const rejections: Rejection[] = [];
  let chunks = 0;
  const summary = await processContacts(
    createReadStream(path),
    // As `validate` does: the file's size lets the duplicate check reserve its table once.
    {
      ...DEFAULT_ENGINE_OPTIONS,
      campaign: BENCH_CAMPAIGN,
      sourceName: basename(path),
      sizeHint: statSync(path).size,
      ...(scrub.recentlyLoaded ? { recentlyLoaded: scrub.recentlyLoaded } : {}),
      ...(scrub.suppression ? { suppression: scrub.suppression } : {}),
    },
    {
      accept(line) {
        if (chunker.add(line)) chunks++;
      },
      reject(rejection) {
        if (rejections.length < KEPT_REJECTIONS) rejections.push(rejection);
      },
    },
  );
  if (chunker.finish()) chunks++;
  return { summary, chunks };
}

/** Case 16: a compiled list (case 14's) loaded before the clock starts, as case 15 measures it. */
const compiled = process.argv[3] || undefined;
const suppression =
  compiled === undefined
    ? undefined
    : new SuppressionSet([
        {
          name: 'registry',
          version: 'bench',
          list: SuppressionList.decode(await readFile(compiled), DEFAULT_ENGINE_OPTIONS),
        },
      ]);
/** Case 17: numbers known to a reload window (the argument after the compiled list's, '' for none). */
const known = process.argv[4] === undefined ? 0 : Number(process.argv[4]);
// The rows the generated file holds, from its name's directory (data-<rows>-<seed>).
const fileRows = Number(/data-(\d+)-/.exec(argument(0, 'file'))?.[1] ?? 1_000_000);
const window = known > 0 ? knownNumbers(known, fileRows) : undefined;
const recentlyLoaded = window?.recentlyLoaded;
const buildMs = window?.buildMs ?? 0;
const started = performance.now();
const { summary, chunks } = await runEngine(argument(0, 'file'), {
  ...(suppression ? { suppression } : {}),
  ...(recentlyLoaded ? { recentlyLoaded } : {}),
});
const { counts } = summary;
report({
  ms: performance.now() - started,
  rows: counts.rows,
  extra: {
    format: summary.input.format,
    accepted: counts.accepted,
    rejected: counts.rejected,
    duplicates: counts.duplicates,
    modified: counts.modified,
    suppressed: counts.suppressed ?? 0,
    chunks,
    ...(known > 0
      ? {
          known,
          buildMs: Math.round(buildMs),
          recentlyLoaded: summary.rejectionCodes.RECENTLY_LOADED ?? 0,
        }
      : {}),
  },
});
