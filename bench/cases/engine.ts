import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Chunker } from '../../functions/contacts/chunk.js';
import type { Rejection } from '../../functions/contacts/contact.js';
import {
  DEFAULT_CHUNK_CEILINGS,
  DEFAULT_ENGINE_OPTIONS,
} from '../../functions/contacts/options.js';
import { processContacts } from '../../functions/contacts/process-contacts.js';
import { SuppressionList } from '../../functions/contacts/suppression-list.js';
import { SuppressionSet } from '../../functions/contacts/suppression-set.js';
import { argument, BENCH_CAMPAIGN, report } from './case-result.js';

/** Rejections `validate` keeps for its summary. */
const KEPT_REJECTIONS = 100;

/**
 * Cases 3 and 4: the engine on one file, as `validate` runs it without `--out`: every accepted
 * line goes through the chunker, the first rejections are kept, everything else is counted.
 */
async function runEngine(path: string, suppression?: SuppressionSet) {
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
      ...(suppression ? { suppression } : {}),
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

/** Case 10: a compiled list (case 8's) loaded before the clock starts, as case 9 measures it. */
const compiled = process.argv[3];
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
const started = performance.now();
const { summary, chunks } = await runEngine(argument(0, 'file'), suppression);
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
  },
});
