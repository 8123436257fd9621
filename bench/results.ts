import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import type { CaseResult } from './cases/case-result.js';

/** One measured case, ready to show. */
export interface MeasuredCase {
  readonly id: number;
  readonly title: string;
  /** What it read: a file and its size, or the bundle. */
  readonly input: string;
  /** Bytes read, for MB/s; undefined when throughput means nothing (cold start). */
  readonly bytes?: number;
  readonly result: CaseResult;
}

export interface RunInfo {
  readonly rows: number;
  readonly seed: number;
  readonly date: Date;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

export const TARGETS = {
  nativeOverFloor: 2,
  headeredOverCsvParse: 1.5,
  pipelineOverEngine: 2,
  peakRssMb: 200,
  workbookPeakRssMb: 400,
  bundleMb: 1.5,
  importMs: 250,
  /** 75 % of the function's 1024 MiB, in MB: what the engine may reach on any input. */
  hostilePeakRssMb: 805,
  /** rejected.csv's ceiling (REJECTED_CSV_MAX_BYTES, 100 MiB), in MB. */
  rejectedMb: 104.9,
  /** 500,000 quotes in 4 MiB pieces: seconds, not minutes. */
  quoteRunMs: 10_000,
  scrubbedOverEngine: 1.3,
  scrubbedPeakRssMb: 300,
  compileSeconds: 20,
  loadMs: 1000,
  reloadWindowOverEngine: 1.3,
} as const;

const MB = 1_000_000;
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const rssMb = (kib: number) => (kib * 1024) / MB;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function caseCells(c: MeasuredCase): string[] {
  const { result } = c;
  const perSecond = (n: number) => n / (result.ms / 1000);
  const rows = result.rows > 0 ? whole.format(result.rows) : '-';
  const rowsPerSecond = result.rows > 0 ? whole.format(perSecond(result.rows)) : '-';
  const mbPerSecond = c.bytes === undefined ? '-' : (perSecond(c.bytes) / MB).toFixed(1);
  const rss = `${rssMb(result.maxRssKiB).toFixed(0)} MB`;
  return [
    String(c.id),
    c.title,
    c.input,
    rows,
    seconds(result.ms),
    rowsPerSecond,
    mbPerSecond,
    rss,
  ];
}

/** A Markdown table with padded columns, as the project's formatter writes them. */
function markdownTable(header: string[], right: boolean[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = widths.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** The cases table, as Markdown (also what is printed). */
export function casesTable(cases: readonly MeasuredCase[]): string {
  const header = ['#', 'case', 'input', 'rows', 'best of 3', 'rows/s', 'MB/s', 'peak RSS'];
  const right = [false, false, false, true, true, true, true, true];
  return markdownTable(header, right, cases.map(caseCells));
}

/** Each target with its measured figure; a target whose cases did not run is left out. */
export function targetsTable(cases: readonly MeasuredCase[], rows: number): string {
  const byId = new Map(cases.map((c) => [c.id, c.result]));
  const lines: string[][] = [];
  const ratio = (label: string, a: number, b: number, limit: number, note = '') => {
    const ra = byId.get(a);
    const rb = byId.get(b);
    if (!ra || !rb) return;
    const value = ra.ms / rb.ms;
    lines.push([
      `${label} (${a}/${b}) ≤ ${limit}${note}`,
      `${value.toFixed(2)} ×`,
      verdict(value <= limit),
    ]);
  };
  ratio('native engine / floor', 3, 1, TARGETS.nativeOverFloor);
  ratio('headered engine / csv-parse alone', 4, 2, TARGETS.headeredOverCsvParse);
  ratio('quoted in every row: engine / csv-parse', 9, 8, TARGETS.headeredOverCsvParse);
  const atOneMillion = rows === 1_000_000 ? '' : ' (target set at 1M rows)';
  ratio('whole local pipeline / engine', 5, 3, TARGETS.pipelineOverEngine, atOneMillion);
  ratio('engine with a 5M reload window / without', 17, 3, TARGETS.reloadWindowOverEngine);
  for (const id of [3, 4, 5, 9]) {
    const result = byId.get(id);
    if (!result) continue;
    const value = rssMb(result.maxRssKiB);
    lines.push([
      `peak RSS of case ${id} ≤ ${TARGETS.peakRssMb} MB`,
      `${value.toFixed(0)} MB`,
      verdict(value <= TARGETS.peakRssMb),
    ]);
  }
  const workbook = byId.get(7);
  if (workbook) {
    const value = rssMb(workbook.maxRssKiB);
    lines.push([
      `peak RSS of case 7 ≤ ${TARGETS.workbookPeakRssMb} MB`,
      `${value.toFixed(0)} MB`,
      verdict(value <= TARGETS.workbookPeakRssMb),
    ]);
  }
  lines.push(...hostileTargets(byId, rows));
  ratio('engine scrubbed / engine', 16, 3, TARGETS.scrubbedOverEngine);
  const limit = (id: number, label: string, value: number, max: number, unit: string) =>
    lines.push([
      `${label} of case ${id} ≤ ${max} ${unit}`,
      `${value.toFixed(unit === 's' ? 2 : 0)} ${unit}`,
      verdict(value <= max),
    ]);
  const compile = byId.get(14);
  if (compile) limit(14, 'time', compile.ms / 1000, TARGETS.compileSeconds, 's');
  const load = byId.get(15);
  if (load) limit(15, 'time', load.ms, TARGETS.loadMs, 'ms');
  const scrubbed = byId.get(16);
  if (scrubbed) limit(16, 'peak RSS', rssMb(scrubbed.maxRssKiB), TARGETS.scrubbedPeakRssMb, 'MB');
  const cold = byId.get(6);
  if (cold) {
    const bundle = Number(cold.extra?.bundleBytes ?? 0) / MB;
    lines.push(
      [
        `handler bundle ≤ ${TARGETS.bundleMb} MB`,
        `${bundle.toFixed(2)} MB`,
        verdict(bundle <= TARGETS.bundleMb),
      ],
      [
        `import of the bundle ≤ ${TARGETS.importMs} ms`,
        `${Math.round(cold.ms)} ms`,
        verdict(cold.ms <= TARGETS.importMs),
      ],
    );
  }
  return markdownTable(['target', 'measured', ''], [false, true, false], lines);
}

/** The targets of the hostile inputs (cases 10 to 13), each for a case that ran. */
function hostileTargets(byId: ReadonlyMap<number, CaseResult>, rows: number): string[][] {
  const lines: string[][] = [];
  const extra = (id: number) => byId.get(id)?.extra ?? {};
  for (const id of [10, 11]) {
    const result = byId.get(id);
    if (!result) continue;
    const outcome = String(extra(id).outcome);
    lines.push([
      `case ${id} refused as FILE_TOO_LARGE`,
      outcome,
      verdict(outcome === 'FILE_TOO_LARGE'),
    ]);
  }
  for (const id of [10, 11, 12, 13]) {
    const result = byId.get(id);
    if (!result) continue;
    const value = rssMb(result.maxRssKiB);
    lines.push([
      `peak RSS of case ${id} ≤ ${TARGETS.hostilePeakRssMb} MB (75 % of 1024 MiB)`,
      `${value.toFixed(0)} MB`,
      verdict(value <= TARGETS.hostilePeakRssMb),
    ]);
  }
  if (byId.has(11)) {
    const value = Number(extra(11).rejectedBytes) / MB;
    lines.push([
      `rejected rows written by case 11 ≤ ${TARGETS.rejectedMb} MB (100 MiB)`,
      `${value.toFixed(1)} MB`,
      verdict(value <= TARGETS.rejectedMb),
    ]);
  }
  const quotes = byId.get(12);
  if (quotes) {
    lines.push([
      `case 12 ≤ ${seconds(TARGETS.quoteRunMs)}`,
      seconds(quotes.ms),
      verdict(quotes.ms <= TARGETS.quoteRunMs),
    ]);
  }
  if (byId.has(13)) {
    const malformed = Number(extra(13).malformed);
    const accepted = Number(extra(13).accepted);
    lines.push([
      'case 13: every row refused as MALFORMED_ROW',
      `${whole.format(malformed)} of ${whole.format(rows)}`,
      verdict(malformed === rows && accepted === 0),
    ]);
  }
  return lines;
}

function machine(): string {
  const cpu = cpus();
  const memory = (totalmem() / 1024 ** 3).toFixed(1);
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${memory} GiB memory, ${process.platform}/${process.arch}`;
}

const load = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(' ');

/** The section one run writes: its machine, load, the tables and the notes. */
export function runSection(
  info: RunInfo,
  cases: readonly MeasuredCase[],
  notes: readonly string[],
): string {
  return [
    `## ${whole.format(info.rows)} rows`,
    '',
    `- Date: ${info.date.toISOString()}`,
    `- Machine: ${machine()}`,
    `- Node ${process.version}`,
    `- Load average (1, 5, 15 min): ${load(info.loadBefore)} before, ${load(info.loadAfter)} after`,
    `- Seed ${info.seed}; every case in a fresh process, best of 3 (peak RSS: the highest of the 3)`,
    '',
    casesTable(cases),
    '',
    targetsTable(cases, info.rows),
    ...(notes.length > 0 ? ['', ...notes.map((note) => `- ${note}`)] : []),
    '',
  ].join('\n');
}

export function currentLoad(): number[] {
  return loadavg();
}

const PREAMBLE = `# Benchmark results

Written by \`npm run bench\` (see the README's Benchmark section). A run replaces the section for
its number of rows and keeps the others; the sections after the runs are kept by hand. MB = 1,000,000 bytes; peak RSS
is the child process's \`maxRSS\`. Times are of the measured work only, without process start-up.
`;

const HISTORY = `## History

Before and after figures of changes made because of a measurement, newest first.
`;

/**
 * Writes `path` with this run's section in place of an earlier one for the same number of rows,
 * keeping other runs' sections and, after them, every section kept by hand (History, the causes
 * of misses). Rejects when the file cannot be written.
 */
export async function writeResults(path: string, rows: number, section: string): Promise<void> {
  const previous = await readFile(path, 'utf8').catch(() => '');
  const sections = previous.split(/^(?=## )/m).slice(1);
  const runs = new Map<number, string>();
  const byHand: string[] = [];
  for (const s of sections) {
    const heading = /^## ([\d,]+) rows\n/.exec(s);
    if (heading?.[1]) runs.set(Number(heading[1].replaceAll(',', '')), s);
    else byHand.push(s);
  }
  if (!byHand.some((s) => s.startsWith('## History'))) byHand.push(HISTORY);
  runs.set(rows, section);
  const ordered = [...runs.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
  const text = [PREAMBLE, ...ordered, ...byHand].map((s) => s.trimEnd()).join('\n\n');
  await writeFile(path, `${text}\n`);
}
