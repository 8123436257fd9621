import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DEFAULT_ENGINE_OPTIONS } from '../../functions/contacts/options.js';
import { readListSource } from '../../functions/contacts/read-suppression-list.js';
import { SuppressionListBuilder } from '../../functions/contacts/suppression-list.js';
import { argument, report } from './case-result.js';

/**
 * Case 8: a registry file compiled as the function compiles a list's object (read, normalized,
 * packed, grouped, repeats dropped), then written where case 9 and case 10 read it. The write is
 * not timed: the function's is an S3 put.
 */
const source = argument(0, 'list file');
const compiled = argument(1, 'compiled file');
const started = performance.now();
const builder = new SuppressionListBuilder(DEFAULT_ENGINE_OPTIONS);
const read = await readListSource(
  createReadStream(source),
  { sourceName: basename(source) },
  builder,
);
const list = builder.build();
const ms = performance.now() - started;
await writeFile(compiled, list.bytes);
report({
  ms,
  rows: read.numbers + read.badLines,
  extra: { numbers: list.numbers, badLines: list.badLines, compiledBytes: list.bytes.length },
});
