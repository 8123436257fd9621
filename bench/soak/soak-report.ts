import { type ContactVerdict, checkContacts } from './soak-check.js';
import { faultName } from './soak-plan.js';
import type { SoakInvocation, SoakRun } from './soak-run.js';
import type { SoakOptions } from './soak-types.js';

/** The soak's verdict: the table's rows, the dead letters explained, and whether it passed. */
export interface SoakReport {
  readonly rows: readonly (readonly [string, string, string])[];
  readonly deadLetters: readonly string[];
  readonly notes: readonly string[];
  /** False on any doubled or lost contact (or a `failed` chunk that was loaded). */
  readonly passed: boolean;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Judges a finished run and lays out its table. Never throws. */
export function reportSoak(run: SoakRun): SoakReport {
  const verdict = checkContacts(run.files, run.results.dialer, run.results.manifests);
  const finals = run.results.manifests.filter((m) => m.final);
  const byStatus = tallyOf(finals.map((m) => m.manifest.status));
  const minutes = run.wallMs / 60_000;
  const loaded = verdict.loadedOnce + verdict.loadedTwice;
  const rss = run.invocations.flatMap((i) => i.invocation.maxRssKiB ?? []);
  const { chunks } = verdict;
  const rows: [string, string, string][] = [
    ['files dropped', count(run.files.length), ''],
    ['files with a final manifest', `${count(finals.length)} (${tallyText(byStatus)})`, 'all'],
    ['contacts accepted', count(verdict.accepted), ''],
    ['contacts loaded exactly once', count(verdict.loadedOnce), ''],
    ['contacts loaded twice or more', count(verdict.loadedTwice), '0'],
    ['contacts lost', count(verdict.lost), '0'],
    ['contacts not loaded, chunk reported failed/unknown', count(verdict.reportedNotLoaded), ''],
    [
      'chunks',
      `${count(chunks.total)}: ${chunks.accepted} accepted, ${chunks.unknown} unknown, ${chunks.failed} failed`,
      '',
    ],
    [
      'chunks unknown',
      `${chunks.unknown} (${chunks.unknownLoaded} loaded once, ${chunks.unknownNotLoaded} not loaded)`,
      'each loaded at most once',
    ],
    [
      'chunks failed',
      `${chunks.failed} (${chunks.failedNotSent} never sent), ${chunks.failedButLoaded} of them loaded`,
      'none loaded',
    ],
    ['sessions left open', sessionsText(run), ''],
    ['messages in the dead-letter queue', count(run.results.deadLetters.length), 'each explained'],
    ['crashes (process killed)', crashesText(run), ''],
    ['faults served', faultsText(run), ''],
    ['invocations', invocationsText(run.invocations), ''],
    ['time from the drop to an empty queue', `${(run.wallMs / 1000).toFixed(1)} s`, ''],
    [
      'throughput',
      `${(finals.length / minutes).toFixed(1)} files/min, ${count(Math.round(loaded / minutes))} contacts/min`,
      '',
    ],
    [
      'peak RSS of the function',
      rss.length > 0
        ? `${Math.round(Math.max(...rss) / 1024)} MiB (of ${rss.length} processes that exited on their own)`
        : 'not measured',
      '',
    ],
  ];
  return {
    rows,
    deadLetters: explainDeadLetters(run),
    notes: [...verdict.mismatches, ...verdict.examples, ...strangersNote(verdict)],
    passed: verdict.loadedTwice === 0 && verdict.lost === 0 && chunks.failedButLoaded === 0,
  };
}

/** The report as Markdown: the settings, the table, the dead letters and the notes. */
export function reportMarkdown(report: SoakReport, run: SoakRun, options: SoakOptions): string {
  const widths = [0, 1, 2].map((c) =>
    Math.max(...[['measure', 'result', 'must be'], ...report.rows].map((r) => (r[c] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  const settings =
    `- Backend: ${run.backend}; ${options.files} files in ${options.campaigns.length} campaigns, ` +
    `each notification delivered ${options.deliveries} times, ${options.concurrency} invocations at once; ` +
    `MAX_CHUNK_RECORDS ${options.maxRecords}; function timeout ${options.functionTimeoutSeconds} s, ` +
    `visibility timeout ${options.visibilitySeconds} s; seed ${options.seed}`;
  return [
    settings,
    '',
    line(['measure', 'result', 'must be']),
    line(widths.map((w) => '-'.repeat(w))),
    ...report.rows.map(line),
    '',
    ...(report.deadLetters.length > 0
      ? ['Dead-letter queue:', '', ...report.deadLetters.map((d) => `- ${d}`), '']
      : []),
    ...(report.notes.length > 0 ? ['Notes:', '', ...report.notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
}

function tallyOf(values: readonly string[]): Map<string, number> {
  const tally = new Map<string, number>();
  for (const value of values) tally.set(value, (tally.get(value) ?? 0) + 1);
  return tally;
}

function tallyText(tally: ReadonlyMap<string, number>): string {
  return [...tally].map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
}

/** The simulator's count, and why each session the invocations opened stayed open. */
function sessionsText(run: SoakRun): string {
  const causes = new Map<string, number>();
  for (const { trace } of run.invocations) {
    const open = trace.logins - trace.endSessions;
    if (open <= 0) continue;
    const cause = trace.killed
      ? 'killed mid-session'
      : trace.faults.some((f) => f.startsWith('endsession'))
        ? 'EndSession failed'
        : trace.faults.some((f) => f === 'uploadbase:401')
          ? 'token refused by a 401 fault (then a new login)'
          : 'other';
    causes.set(cause, (causes.get(cause) ?? 0) + open);
  }
  const said = run.results.manifests.filter(
    (m) => m.manifest.session?.endSession === 'failed',
  ).length;
  return (
    `${run.results.dialer.openSessions} in the simulator (${tallyText(causes)}); ` +
    `manifests saying endSession failed: ${said}`
  );
}

function crashesText(run: SoakRun): string {
  const scripts = [...run.scripts.values()];
  const planned = scripts.filter((s) => s.plan.crash).length;
  const fired = tallyOf(scripts.flatMap((s) => s.fired.crash ?? []));
  const total = [...fired.values()].reduce((a, b) => a + b, 0);
  return `${total} of ${planned} planned: ${tallyText(fired)}`;
}

function faultsText(run: SoakRun): string {
  const served = tallyOf(run.invocations.flatMap((i) => i.trace.faults));
  const planned = [...run.scripts.values()].filter((s) => s.plan.fault).length;
  return `${planned} files planned; served ${tallyText(served)}`;
}

function invocationsText(invocations: readonly SoakInvocation[]): string {
  const killed = invocations.filter((i) => i.trace.killed).length;
  const timedOut = invocations.filter((i) => i.invocation.timedOut).length;
  const retried = invocations.filter(
    (i) => (i.invocation.response?.batchItemFailures.length ?? 0) > 0,
  ).length;
  const seconds = invocations.map((i) => i.invocation.durationMs / 1000).sort((a, b) => a - b);
  const at = (share: number) => (seconds[Math.floor(share * (seconds.length - 1))] ?? 0).toFixed(1);
  return (
    `${count(invocations.length)} for files (${killed} killed, ${timedOut} timed out, ` +
    `${retried} asked for a redelivery); each took ${at(0.5)} s (median), ${at(0.9)} s (90th percentile)`
  );
}

/** Each dead letter: its file, how its deliveries went, and what its manifest says. */
function explainDeadLetters(run: SoakRun): string[] {
  return run.results.deadLetters.map((letter) => {
    if (letter.key === undefined) return `not an S3 notification: ${letter.body.slice(0, 80)}`;
    const tries = run.invocations
      .filter((i) => i.key === letter.key)
      .map((i) => `receive ${i.receiveCount}: ${invocationEnd(i)}`);
    const manifest = run.results.manifests.find((m) => m.manifest.source.key === letter.key);
    const plan = run.scripts.get(letter.key)?.plan;
    const planned = [plan?.crash?.point, plan?.fault && faultName(plan.fault.fault)].filter(
      Boolean,
    );
    const result = manifest
      ? `manifest ${manifest.manifest.status}${manifest.final ? '' : ' (claim still running)'}${manifest.manifest.error ? ` ${manifest.manifest.error.code}` : ''}`
      : 'no manifest';
    return `${letter.key} (planned: ${planned.join(', ') || 'nothing'}): ${result}; ${tries.join('; ')}`;
  });
}

function invocationEnd(invocation: SoakInvocation): string {
  if (invocation.trace.killed) return `killed at ${invocation.trace.killed}`;
  if (invocation.invocation.timedOut) return 'timed out';
  const response = invocation.invocation.response;
  if (!response) return `exited ${invocation.invocation.exitCode ?? invocation.invocation.signal}`;
  return response.batchItemFailures.length > 0 ? 'asked for a redelivery' : 'done';
}

function strangersNote(verdict: ContactVerdict): string[] {
  return verdict.strangers > 0
    ? [`${verdict.strangers} numbers in the dialer belong to no file`]
    : [];
}
