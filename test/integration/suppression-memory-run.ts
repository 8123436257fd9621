// One step of a registry's life in a process of its own, so its peak RSS is the step's alone:
//   compile <compiled file>           reads the generated registry (registry-numbers.ts) as the
//                                     function reads a list's object, compiles it, writes it out
//   scrub <compiled file> <contacts>  loads the compiled list as a later drop does and runs the
//                                     engine on the contacts file against it
// Prints one JSON line on stdout.
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Chunker } from '../../functions/contacts/chunk.js';
import {
  DEFAULT_CHUNK_CEILINGS,
  DEFAULT_ENGINE_OPTIONS,
} from '../../functions/contacts/options.js';
import { processContacts } from '../../functions/contacts/process-contacts.js';
import { readListSource } from '../../functions/contacts/read-suppression-list.js';
import { RejectionCode } from '../../functions/contacts/reason-codes.js';
import {
  SuppressionList,
  SuppressionListBuilder,
} from '../../functions/contacts/suppression-list.js';
import { SuppressionSet } from '../../functions/contacts/suppression-set.js';
import { CAMPAIGN, isListedLine, LIST_SIZE, registryText } from './registry-numbers.js';

const [step, compiledPath, contactsPath] = process.argv.slice(2);

async function compile(path: string): Promise<object> {
  const started = performance.now();
  const builder = new SuppressionListBuilder(DEFAULT_ENGINE_OPTIONS);
  const read = await readListSource(
    registryText(LIST_SIZE),
    { sourceName: 'registro.txt' },
    builder,
  );
  const list = builder.build();
  const ms = performance.now() - started;
  await writeFile(path, list.bytes);
  return { ms, read, numbers: list.numbers, badLines: list.badLines, bytes: list.memoryBytes };
}

async function scrub(compiled: string, contacts: string): Promise<object> {
  const list = SuppressionList.decode(await readFile(compiled), DEFAULT_ENGINE_OPTIONS);
  const suppression = new SuppressionSet([{ name: 'registro', version: 'v1', list }]);
  const chunker = new Chunker(DEFAULT_CHUNK_CEILINGS);
  let chunks = 0;
  let suppressedListed = 0;
  let otherRefusals = 0;
  const started = performance.now();
  const summary = await processContacts(
    createReadStream(contacts),
    {
      ...DEFAULT_ENGINE_OPTIONS,
      campaign: CAMPAIGN,
      sourceName: basename(contacts),
      sizeHint: (await stat(contacts)).size,
      suppression,
    },
    {
      accept(line) {
        if (chunker.add(line)) chunks++;
      },
      reject(rejection) {
        if (rejection.code === RejectionCode.Suppressed && isListedLine(rejection.line)) {
          suppressedListed++;
        } else otherRefusals++;
      },
    },
  );
  if (chunker.finish()) chunks++;
  const ms = performance.now() - started;
  return { ms, counts: summary.counts, suppressedListed, otherRefusals, chunks };
}

const result =
  step === 'compile' && compiledPath
    ? await compile(compiledPath)
    : step === 'scrub' && compiledPath && contactsPath
      ? await scrub(compiledPath, contactsPath)
      : undefined;
if (result === undefined) {
  process.stderr.write('usage: compile <compiled> | scrub <compiled> <contacts>\n');
  process.exitCode = 2;
} else process.stdout.write(`${JSON.stringify(result)}\n`);
