import { basename } from 'node:path';
import { runLocal } from '../../local-aws/local-run.js';
import { argument, BENCH_CAMPAIGN, report } from './case-result.js';

/** The stages of the timed run, told apart by the function's log lines. */
type Stage = 'put' | 'read' | 'upload';

/**
 * Highest RSS of each stage, and highest of each part of `process.memoryUsage()`, sampled while
 * the pipeline runs (`memoryUsage()` reads more than `rss()`, so less often).
 */
class MemorySampler {
  stage: Stage = 'put';
  readonly rssByStage: Record<Stage, number> = { put: 0, read: 0, upload: 0 };
  readonly parts = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  private ticks = 0;
  private readonly timer = setInterval(() => this.sample(), 10);

  private sample(): void {
    this.rssByStage[this.stage] = Math.max(this.rssByStage[this.stage], process.memoryUsage.rss());
    if (this.ticks++ % 10 !== 0) return;
    const usage = process.memoryUsage();
    for (const key of Object.keys(this.parts) as (keyof typeof this.parts)[]) {
      this.parts[key] = Math.max(this.parts[key], usage[key]);
    }
  }

  stop(): void {
    this.ticks = 0;
    this.sample();
    clearInterval(this.timer);
  }
}

/**
 * Case 5: the whole local pipeline on the native file. The embedded S3, the uContact simulator
 * and the local Secrets Manager run in a child process (the second argument is its script), which
 * also puts the file, as S3, uContact and the partner's upload are elsewhere for the deployed
 * function: this process holds only the handler, so its peak RSS is the function's, and its time
 * is the wall time from the start of the put to the handler's return.
 */
async function runPipeline(path: string, standInsScript: string) {
  const standInsProcess = { script: standInsScript, execArgv: [] };
  // Once untimed, so that the timed run finds the SDK's and the runner's code loaded and compiled.
  await runLocal({ drops: [], standInsProcess });
  const memory = new MemorySampler();
  // The handler's first stage, from the log line that opens it to the one that closes it.
  let readStarted = 0;
  let readMs = 0;
  const result = await runLocal({
    drops: [{ file: path, key: `incoming/${BENCH_CAMPAIGN}/${basename(path)}` }],
    standInsProcess,
    logLine: (line) => {
      if (line.includes('"file received"')) {
        memory.stage = 'read';
        readStarted = performance.now();
      } else if (line.includes('"file read"')) {
        memory.stage = 'upload';
        readMs = performance.now() - readStarted;
      }
    },
  });
  memory.stop();
  const manifest = result.manifests[0]?.manifest;
  if (!manifest) throw new Error('the pipeline wrote no manifest');
  return { result, manifest, memory, readMs };
}

const { result, manifest, memory, readMs } = await runPipeline(
  argument(0, 'file'),
  argument(1, 'stand-ins script'),
);
const { putMs, deliverMs } = result.timings;
report({
  ms: putMs + deliverMs,
  rows: manifest.counts.rows,
  extra: {
    status: manifest.status,
    accepted: manifest.counts.accepted,
    uploaded: manifest.counts.uploaded,
    bases: result.dialer.bases.length,
    putMs: Math.round(putMs),
    handlerMs: Math.round(deliverMs),
    readMs: Math.round(readMs),
    ...(result.standInsMaxRssKiB === undefined
      ? {}
      : { standInsPeakKiB: result.standInsMaxRssKiB }),
    ...Object.fromEntries(
      Object.entries(memory.rssByStage).map(([stage, bytes]) => [
        `${stage}RssKiB`,
        Math.round(bytes / 1024),
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(memory.parts).map(([key, bytes]) => [`${key}KiB`, Math.round(bytes / 1024)]),
    ),
  },
});
