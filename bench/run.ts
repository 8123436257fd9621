import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { build } from 'esbuild';
import { FUNCTION_NODE_OPTIONS } from '../infra/function-bundling.js';
import { bundleHandler } from './bundle-handler.js';
import type { CaseResult } from './cases/case-result.js';
import {
  type GeneratedFile,
  generateHeaderedFile,
  generateNativeFile,
  generateQuotedFile,
} from './generate-files.js';
import { generateSuppressionList } from './generate-suppression-list.js';
import {
  casesTable,
  currentLoad,
  type MeasuredCase,
  runSection,
  targetsTable,
  writeResults,
} from './results.js';
import { bestOf } from './run-child.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const execFileAsync = promisify(execFile);
const OUT = join(ROOT, 'bench/out');
const RESULTS = join(ROOT, 'bench/RESULTS.md');
const RUNS = 3;
const ALL_CASES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17] as const;
/** Numbers in the registry cases 14 to 16 compile, load and scrub against. */
const LIST_NUMBERS = 10_000_000;
/** Case 17: numbers the campaign received within its reload window. */
const KNOWN_NUMBERS = 5_000_000;
const USAGE = 'usage: npm run bench -- [--rows N] [--seed N] [--cases 1,3,...] [--keep]';

interface BenchFlags {
  rows: number;
  seed: number;
  cases: number[];
  keep: boolean;
}

function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text.replaceAll(/[_,]/g, ''));
  if (!Number.isInteger(value) || value < min) {
    throw new Error(
      `--${name} must be a whole number of at least ${min} (got "${text}")\n${USAGE}`,
    );
  }
  return value;
}

function readFlags(): BenchFlags {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      cases: { type: 'string', default: ALL_CASES.join(',') },
      keep: { type: 'boolean', default: false },
    },
  });
  const cases = values.cases.split(',').map((c) => wholeNumber('cases', c.trim(), 1));
  const unknown = cases.filter((c) => !(ALL_CASES as readonly number[]).includes(c));
  if (unknown.length > 0)
    throw new Error(`--cases: no case ${unknown.join(', ')} (1 to ${ALL_CASES.length})`);
  return {
    rows: wholeNumber('rows', values.rows, 1),
    seed: wholeNumber('seed', values.seed, 0),
    cases: [...new Set(cases)].sort(),
    keep: values.keep,
  };
}

/**
 * The case scripts, bundled so that children run plain JavaScript without a TypeScript loader,
 * with the child process case 5 runs its stand-ins in.
 */
async function buildCaseScripts(outDir: string): Promise<(name: string) => string> {
  const names = [
    'line-scan',
    'csv-parse-alone',
    'engine',
    'local-pipeline',
    'import-bundle',
    'hostile',
    'suppression-compile',
    'suppression-load',
  ];
  await build({
    entryPoints: {
      ...Object.fromEntries(names.map((name) => [name, join(ROOT, 'bench/cases', `${name}.ts`)])),
      'stand-ins-process': join(ROOT, 'local-aws/stand-ins-process.ts'),
    },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies load from node_modules as they would in the project.
    packages: 'external',
    logLevel: 'warning',
  });
  return (name) => join(outDir, `${name}.mjs`);
}

const describe = (kind: string, file: GeneratedFile) =>
  `${kind}, ${(file.bytes / 1_000_000).toFixed(1)} MB`;

/** Writes the workbook in a process of its own (see generate-workbook.ts for why). */
async function generateWorkbookApart(
  path: string,
  rows: number,
  seed: number,
): Promise<GeneratedFile> {
  const script = fileURLToPath(new URL('./generate-workbook.ts', import.meta.url));
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', script, path, String(rows), String(seed)],
    { maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as GeneratedFile;
}

async function main(): Promise<void> {
  const flags = readFlags();
  const dataDir = join(OUT, `data-${flags.rows}-${flags.seed}`);
  await mkdir(dataDir, { recursive: true });
  const loadBefore = currentLoad();
  const date = new Date();
  const wants = (...ids: number[]) => ids.some((id) => flags.cases.includes(id));
  const log = (text: string) => process.stderr.write(`${text}\n`);

  log(`generating ${flags.rows} rows (seed ${flags.seed}) in ${dataDir}`);
  const native = wants(1, 3, 5, 16, 17)
    ? await generateNativeFile(join(dataDir, 'contacts-native.csv'), flags.rows, flags.seed)
    : undefined;
  const headered = wants(2, 4)
    ? await generateHeaderedFile(join(dataDir, 'contactos-exportados.csv'), flags.rows, flags.seed)
    : undefined;
  const quoted = wants(8, 9)
    ? await generateQuotedFile(join(dataDir, 'contactos-comillas.csv'), flags.rows, flags.seed)
    : undefined;
  const workbook = wants(7)
    ? await generateWorkbookApart(join(dataDir, 'contactos.xlsx'), flags.rows, flags.seed)
    : undefined;
  const registry = wants(14, 15, 16)
    ? await generateSuppressionList(join(dataDir, 'registry.txt'), LIST_NUMBERS, flags.seed)
    : undefined;
  const compiledList = join(dataDir, 'registry.bin');
  const script = await buildCaseScripts(join(OUT, 'cases'));

  const measured: MeasuredCase[] = [];
  const notes: string[] = [];
  const measure = async (
    id: number,
    title: string,
    run: (
      id: number,
    ) => Promise<{ result: CaseResult; input: string; bytes?: number; rowsWritten?: number }>,
  ) => {
    if (!flags.cases.includes(id)) return;
    log(`case ${id}: ${title}`);
    const { result, input, bytes, rowsWritten } = await run(id);
    measured.push({ id, title, input, result, ...(bytes === undefined ? {} : { bytes }) });
    if (rowsWritten !== undefined && result.rows !== rowsWritten) {
      notes.push(`Case ${id} read ${result.rows} rows where ${rowsWritten} were written.`);
    }
  };
  const onFile =
    (name: string, file: GeneratedFile | undefined, kind: string, args: string[] = []) =>
    async () => {
      if (!file) throw new Error(`the ${kind} file was not generated`);
      const result = await bestOf(RUNS, { script: script(name), args: [file.path, ...args] });
      return { result, input: describe(kind, file), bytes: file.bytes, rowsWritten: file.rows };
    };

  await measure(1, 'floor: line scan', onFile('line-scan', native, 'native'));
  await measure(2, 'csv-parse alone', onFile('csv-parse-alone', headered, 'headered', [';']));
  await measure(3, 'engine, native', onFile('engine', native, 'native'));
  await measure(4, 'engine, headered', onFile('engine', headered, 'headered'));
  await measure(5, 'whole local pipeline', async () => {
    const run = await onFile('local-pipeline', native, 'native', [script('stand-ins-process')])();
    const engine = measured.find((m) => m.id === 3)?.result.ms;
    notes.push(pipelineNote(run.result, engine));
    return run;
  });
  await measure(6, 'cold start: import the bundle', async () => {
    const bundle = await bundleHandler(ROOT, join(OUT, 'handler'));
    const result = await bestOf(RUNS, {
      script: script('import-bundle'),
      args: [bundle.path],
      nodeOptions: [FUNCTION_NODE_OPTIONS],
      env: { ...process.env, ...COLD_START_ENV },
    });
    notes.push(
      `Case 6: the bundle is ${bundle.bytes} bytes, its source map ${bundle.sourceMapBytes}; ` +
        `imported with ${FUNCTION_NODE_OPTIONS} as the function runs.`,
    );
    return {
      result: { ...result, extra: { ...result.extra, bundleBytes: bundle.bytes } },
      input: `index.mjs, ${(bundle.bytes / 1_000_000).toFixed(2)} MB`,
    };
  });

  await measure(7, 'engine, xlsx workbook', onFile('engine', workbook, 'xlsx'));
  await measure(8, 'csv-parse alone, quoted', onFile('csv-parse-alone', quoted, 'quoted', [',']));
  await measure(9, 'engine, quoted', onFile('engine', quoted, 'quoted'));
  const hostile =
    (kind: string, input: string, runs = RUNS) =>
    async (id: number) => {
      const args = [kind, String(flags.rows), dataDir];
      const result = await bestOf(runs, { script: script('hostile'), args });
      notes.push(hostileNote(id, result));
      return { result, input };
    };
  // Each reads 2 GiB of text to the size limit, a minute or more: one run.
  const bomb = 'gzip, > 2 GiB of text';
  await measure(10, 'gzip of distinct lines (one run)', hostile('distinct-gzip', bomb, 1));
  await measure(11, 'gzip of one line repeated (one run)', hostile('repeated-gzip', bomb, 1));
  await measure(12, '500,000 quotes, 4 MiB pieces', hostile('quote-run', 'one row, 0.5 MB'));
  await measure(
    13,
    'an unclosed quote in every row',
    hostile('unclosed-quotes', `${whole(flags.rows)} rows`),
  );
  // Cases 15 and 16 read what case 14 writes: with --cases, ask for 14 too.
  await measure(14, 'compile a 10M-number list', async () => {
    const run = await onFile('suppression-compile', registry, 'list', [compiledList])();
    return { ...run, bytes: undefined, input: describe('list', registry!) };
  });
  await measure(15, 'load the compiled list', async () => {
    const result = await bestOf(RUNS, { script: script('suppression-load'), args: [compiledList] });
    return {
      result,
      input: `compiled, ${(Number(result.extra?.numbers) / 1e6).toFixed(1)}M numbers`,
    };
  });
  await measure(16, 'engine, native, scrubbed', async () => {
    const run = await onFile('engine', native, 'native', [compiledList])();
    notes.push(
      `Case 16: case 3's file scrubbed against case 14's list (${LIST_NUMBERS / 1e6}M numbers, loaded before the clock starts): ${run.result.extra?.suppressed} contacts refused as SUPPRESSED.`,
    );
    return run;
  });
  await measure(17, 'engine, native, reload window', async () => {
    const run = await onFile('engine', native, 'native', ['', String(KNOWN_NUMBERS)])();
    const { extra = {} } = run.result;
    notes.push(
      `Case 17: ${extra.known} numbers known to the reload window (built in ${extra.buildMs} ms ` +
        `from packed parts of 100,000, as a drop reads its load record), ` +
        `${extra.recentlyLoaded} rows refused as RECENTLY_LOADED.`,
    );
    return { ...run, input: `${run.input}, ${KNOWN_NUMBERS / 1_000_000}M known` };
  });

  const info = { rows: flags.rows, seed: flags.seed, date, loadBefore, loadAfter: currentLoad() };
  process.stdout.write(`\n${casesTable(measured)}\n\n${targetsTable(measured, flags.rows)}\n`);
  if (notes.length > 0) process.stdout.write(`\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  if (flags.cases.length === ALL_CASES.length) {
    await writeResults(RESULTS, flags.rows, runSection(info, measured, notes));
    log(`\nwritten to ${RESULTS}`);
  } else {
    log('\nbench/RESULTS.md is only written when every case runs');
  }
  if (!flags.keep) await rm(dataDir, { recursive: true, force: true });
}

/** The handler checks its settings when imported: values that pass, as a deployed function has. */
const COLD_START_ENV = {
  UCONTACT_BASE_URL: 'https://bench.ucontactcloud.com/',
  UCONTACT_SECRET_ID: 'ucontact-loader/ucontact',
  AWS_REGION: 'us-east-1',
};

const whole = (n: number) => n.toLocaleString('en-US');

function hostileNote(id: number, result: CaseResult): string {
  const extra = result.extra ?? {};
  const mb = (bytes: unknown) => `${(Number(bytes) / 1_000_000).toFixed(1)} MB`;
  return (
    `Case ${id}: ${extra.outcome} after ${mb(extra.bytesRead)} read; ${extra.accepted} rows ` +
    `accepted, ${extra.rejected} refused (${extra.malformed} MALFORMED_ROW); rejected rows ` +
    `written ${mb(extra.rejectedBytes)} (${extra.rejectedRowsLeftOut} left out at the ceiling).`
  );
}

function pipelineNote(result: CaseResult, engineMs: number | undefined): string {
  const extra = result.extra ?? {};
  const mb = (kib: unknown) => `${((Number(kib) * 1024) / 1_000_000).toFixed(0)} MB`;
  const handlerRatio =
    engineMs === undefined
      ? ''
      : `; the handler alone is ${(Number(extra.handlerMs) / engineMs).toFixed(2)} × case 3`;
  return (
    `Case 5: manifest ${extra.status}, ${extra.uploaded} contacts uploaded in ${extra.bases} ` +
    `bases. The embedded S3 and the simulator run in a child process, which also makes the put ` +
    `(a partner's upload happens outside the function), so the time is this process's wall time ` +
    `from the start of the put to the handler's return (put ${extra.putMs} ms, handler ` +
    `${extra.handlerMs} ms${handlerRatio}: reading the file through the engine ${extra.readMs} ` +
    `ms, then the session and the results) and the peak RSS is the function's process alone: ` +
    `highest RSS while the file is put ${mb(extra.putRssKiB)}, reading ${mb(extra.readRssKiB)}, ` +
    `uploading ${mb(extra.uploadRssKiB)}; V8 heap used at most ${mb(extra.heapUsedKiB)}, buffers ` +
    `outside the heap ${mb(extra.arrayBuffersKiB)}. The stand-ins' process peaked at ` +
    `${mb(extra.standInsPeakKiB)}.`
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
