import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { runLocal } from '../../local-aws/local-run.js';
import { BENCH_CAMPAIGN } from '../generate-files.js';
import { argument, report } from './case-result.js';

/** `VmHWM` (peak) and `VmRSS` (now) of this process in KiB, or undefined off Linux. */
function memoryStatus(): { peak: number; now: number } | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const peak = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    const now = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return peak && now ? { peak: Number(peak), now: Number(now) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When the handler starts, the embedded S3 already holds the whole file in this process's memory.
 * Resetting the kernel's peak there (Linux `clear_refs` 5) lets the handler's own peak be read
 * at the end; the peak before the reset is kept for the whole-process figure.
 */
class HandlerMemory {
  peakBefore = 0;
  atStart: number | undefined;
  /** Highest of each part of `process.memoryUsage()` seen while the handler ran, bytes. */
  readonly parts = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  private reset = false;
  private sampler: NodeJS.Timeout | undefined;

  handlerStarted(): void {
    this.sampler = setInterval(() => this.sample(), 20);
    const status = memoryStatus();
    if (!status) return;
    this.peakBefore = status.peak;
    this.atStart = status.now;
    try {
      writeFileSync('/proc/self/clear_refs', '5');
      this.reset = true;
    } catch {
      // Not permitted here: only the whole-process peak is reported.
    }
  }

  private sample(): void {
    const usage = process.memoryUsage();
    for (const key of Object.keys(this.parts) as (keyof typeof this.parts)[]) {
      this.parts[key] = Math.max(this.parts[key], usage[key]);
    }
  }

  /** Peak since the handler started, KiB, when it could be measured apart. */
  handlerPeak(): number | undefined {
    clearInterval(this.sampler);
    return this.reset ? memoryStatus()?.peak : undefined;
  }
}

/**
 * Case 5: the whole local pipeline on the native file, in this process: embedded S3, the handler
 * and the uContact simulator (its logging off). The runner starts and stops its servers around
 * the put and the handler, so a run without files is timed after it and taken off: what remains is
 * the put of the file, the handler (read, check, upload, results) and the reading of the manifest.
 */
async function runPipeline(path: string) {
  // Once untimed, so that both timed runs find the servers' code loaded and compiled.
  await runLocal({ drops: [] });
  const memory = new HandlerMemory();
  let handlerStart = 0;
  let lastLog = 0;
  const started = performance.now();
  const result = await runLocal({
    drops: [{ file: path, key: `incoming/${BENCH_CAMPAIGN}/${basename(path)}` }],
    logLine: (line) => {
      lastLog = performance.now();
      if (handlerStart === 0 && line.includes('"file received"')) {
        handlerStart = lastLog;
        memory.handlerStarted();
      }
    },
  });
  const totalMs = performance.now() - started;
  const emptyStart = performance.now();
  await runLocal({ drops: [] });
  const overheadMs = performance.now() - emptyStart;
  const manifest = result.manifests[0]?.manifest;
  if (!manifest) throw new Error('the pipeline wrote no manifest');
  return { result, manifest, totalMs, overheadMs, handlerMs: lastLog - handlerStart, memory };
}

const { result, manifest, totalMs, overheadMs, handlerMs, memory } = await runPipeline(
  argument(0, 'file'),
);
const handlerPeak = memory.handlerPeak();
report({
  ms: totalMs - overheadMs,
  rows: manifest.counts.rows,
  maxRssKiB: memory.peakBefore,
  extra: {
    status: manifest.status,
    accepted: manifest.counts.accepted,
    uploaded: manifest.counts.uploaded,
    bases: result.dialer.bases.length,
    overheadMs: Math.round(overheadMs),
    handlerMs: Math.round(handlerMs),
    ...(memory.atStart === undefined ? {} : { rssAtHandlerStartKiB: memory.atStart }),
    ...(handlerPeak === undefined ? {} : { handlerPeakKiB: handlerPeak }),
    ...Object.fromEntries(
      Object.entries(memory.parts).map(([key, bytes]) => [`${key}KiB`, Math.round(bytes / 1024)]),
    ),
  },
});
