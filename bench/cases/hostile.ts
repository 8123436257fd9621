import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGzip, gzipSync } from 'node:zlib';
import { Chunker } from '../../functions/contacts/chunk.js';
import { UnusableFileError } from '../../functions/contacts/errors.js';
import {
  DEFAULT_CHUNK_CEILINGS,
  DEFAULT_ENGINE_OPTIONS,
} from '../../functions/contacts/options.js';
import { processContacts } from '../../functions/contacts/process-contacts.js';
import { RejectionCode } from '../../functions/contacts/reason-codes.js';
import {
  REJECTED_CSV_HEADER,
  RejectedRowsCeiling,
} from '../../functions/contacts/rejected-rows-csv.js';
import { argument, BENCH_CAMPAIGN, report } from './case-result.js';

/**
 * Cases 10 to 13: the engine, as `validate --rejected` runs it, on inputs made to hurt it, each
 * made as it is read so that nothing large is written to disk:
 *
 * - `distinct-gzip`: a gzip of distinct valid native lines, more than the decompressed size limit,
 *   compressed on the fly by a process of its own (this one only reads it, as the function reads
 *   an object);
 * - `repeated-gzip`: a gzip of one line repeated past the limit (one compressed member of 1 MiB of
 *   lines, sent again and again: a few MB for gigabytes);
 * - `quote-run`: a header, a row of 500,000 `"` and a valid row, in 4 MiB pieces;
 * - `unclosed-quotes`: a header and `rows` rows each opening a quote it never closes.
 *
 * Prints the time to the engine's verdict, the rows it read, how it ended, and the bytes of
 * rejected rows written (to `<out>/rejected-<kind>.csv`, under its ceiling).
 */

const MIB = 1024 * 1024;
/** Past the engine's decompressed size limit (2 GiB): the file must be refused on the way. */
const BOMB_BYTES = DEFAULT_ENGINE_OPTIONS.maxFileBytes + 256 * MIB;
const QUOTE_RUN = 500_000;
const PIECE_BYTES = 4 * MIB;

/** A distinct, valid native line for each row (numbers distinct for up to 10^8 rows). */
function distinctLine(row: number): string {
  const main = `0${String((row * 7_919 + 12_345_679) % 100_000_000).padStart(8, '0')}`;
  const alternate = `2${String(row % 10_000_000).padStart(7, '0')}`;
  return (
    `${BENCH_CAMPAIGN};${main};nombre=Valentina:apellido=Fernández:` +
    `ciudad=Colonia del Sacramento:alta=2024-05-17;${alternate};9999`
  );
}

const REPEATED_LINE = `${BENCH_CAMPAIGN};099123456;nombre=Ana:apellido=Pérez:ciudad=Salto;;9999`;

/** Writes distinct lines, gzipped, to stdout until BOMB_BYTES of text; run as its own process. */
async function emitDistinctGzip(): Promise<void> {
  const gzip = createGzip({ level: 1 });
  gzip.pipe(process.stdout);
  // The reader stops at the limit and kills this process: a closed pipe ends it quietly.
  process.stdout.on('error', () => process.exit(0));
  let written = 0;
  for (let row = 0; written < BOMB_BYTES; ) {
    const lines: string[] = [];
    for (const end = row + 10_000; row < end; row++) lines.push(distinctLine(row));
    const text = `${lines.join('\n')}\n`;
    written += Buffer.byteLength(text);
    if (!gzip.write(text)) await once(gzip, 'drain');
  }
  gzip.end();
}

async function* distinctGzip(): AsyncGenerator<Uint8Array> {
  const script = fileURLToPath(import.meta.url);
  const emitter = spawn(process.execPath, [script, 'emit-distinct-gzip'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    yield* emitter.stdout;
  } finally {
    emitter.kill();
  }
}

async function* repeatedGzip(): AsyncGenerator<Uint8Array> {
  const block = `${REPEATED_LINE}\n`.repeat(Math.floor(MIB / (REPEATED_LINE.length + 1)));
  const member = gzipSync(block, { level: 9 });
  for (let sent = 0; sent < BOMB_BYTES; sent += block.length) yield member;
}

/** `text` as UTF-8, in pieces of PIECE_BYTES. */
function* inPieces(text: string): Generator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
    yield bytes.subarray(at, at + PIECE_BYTES);
  }
}

function* quoteRun(): Generator<Uint8Array> {
  yield* inPieces(`telefono,nombre\n099111222,${'"'.repeat(QUOTE_RUN)}\n099111333,Ana\n`);
}

function* unclosedQuotes(rows: number): Generator<Uint8Array> {
  yield Buffer.from('telefono,nombre\n');
  const batch = 10_000;
  for (let start = 0; start < rows; start += batch) {
    const lines: string[] = [];
    for (let row = start; row < Math.min(rows, start + batch); row++) {
      lines.push(`09${String(row).padStart(7, '0')},"Perez, Juan`);
    }
    yield Buffer.from(`${lines.join('\n')}\n`);
  }
}

type Bytes = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

const SOURCES: Record<string, { name: string; source: (rows: number) => Bytes }> = {
  'distinct-gzip': { name: 'contactos.csv.gz', source: distinctGzip },
  'repeated-gzip': { name: 'contactos.csv.gz', source: repeatedGzip },
  'quote-run': { name: 'comillas.csv', source: quoteRun },
  'unclosed-quotes': { name: 'comillas.csv', source: unclosedQuotes },
};

async function* asAsync(source: Bytes): AsyncGenerator<Uint8Array> {
  yield* source;
}

async function run(kind: string, rows: number, outDir: string) {
  const input = SOURCES[kind];
  if (!input) throw new Error(`no hostile input "${kind}"`);
  const chunker = new Chunker(DEFAULT_CHUNK_CEILINGS);
  const ceiling = new RejectedRowsCeiling();
  const rejected = createWriteStream(`${outDir}/rejected-${kind}.csv`);
  rejected.write(REJECTED_CSV_HEADER);
  let rejectedBytes = Buffer.byteLength(REJECTED_CSV_HEADER);
  let bytesRead = 0;
  let outcome = 'read';
  // Counted here too: a file refused on the way has no summary.
  let accepted = 0;
  let refused = 0;
  let malformed = 0;
  try {
    const summary = await processContacts(
      asAsync(input.source(rows)),
      { ...DEFAULT_ENGINE_OPTIONS, campaign: BENCH_CAMPAIGN, sourceName: input.name },
      {
        accept(line) {
          accepted++;
          chunker.add(line);
        },
        reject(rejection) {
          refused++;
          if (rejection.code === RejectionCode.MalformedRow) malformed++;
          const admitted = ceiling.admit(rejection);
          if (!admitted) return;
          rejectedBytes += admitted.bytes;
          if (!rejected.write(admitted.row)) return once(rejected, 'drain').then(() => {});
        },
      },
      (bytes) => {
        bytesRead = bytes;
      },
    );
    chunker.finish();
    outcome = `read, ${summary.counts.rows} rows`;
  } catch (error) {
    if (!(error instanceof UnusableFileError)) throw error;
    outcome = error.code;
  }
  rejected.end();
  await once(rejected, 'close');
  const rowsLeftOut = ceiling.rowsLeftOut;
  return { outcome, accepted, refused, malformed, rejectedBytes, bytesRead, rowsLeftOut };
}

const kind = argument(0, 'kind');
if (kind === 'emit-distinct-gzip') {
  await emitDistinctGzip();
} else {
  const started = performance.now();
  const result = await run(kind, Number(argument(1, 'rows')), argument(2, 'out directory'));
  const ms = performance.now() - started;
  report({
    ms,
    rows: result.accepted + result.refused,
    extra: {
      outcome: result.outcome,
      accepted: result.accepted,
      rejected: result.refused,
      malformed: result.malformed,
      bytesRead: result.bytesRead,
      rejectedBytes: result.rejectedBytes,
      rejectedRowsLeftOut: result.rowsLeftOut,
    },
  });
}
