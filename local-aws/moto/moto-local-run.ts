import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSBatchResponse } from 'aws-lambda';
import { campaignsOf, type LocalDrop, type LocalRunResult, sampleDrops } from '../local-run.js';
import { startMotoTier } from './moto-tier.js';

export interface MotoLocalRunOptions {
  /** Files to put; default the sample files. */
  readonly drops?: readonly LocalDrop[];
  /** Each message S3 writes is delivered this many times in all; default 1. */
  readonly deliver?: number;
  /** Deliver every message at once instead of at the stack's maximum concurrency. */
  readonly concurrent?: boolean;
  /** Simulator faults, `<call>:<kind>[:<times>]`. */
  readonly faults?: readonly string[];
  /** Receives each log line of the function; default: dropped. */
  readonly logLine?: (line: string) => void;
  /** Function settings over the stack's. */
  readonly env?: Readonly<Record<string, string>>;
}

/** How long the run waits for the queue to empty: the deployed function's timeout. */
const IDLE_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * `local --aws moto`: the same run as runLocal, on moto. The files are put into moto's bucket,
 * moto's own notifications reach its queue, and the event source invokes the built bundle in a
 * child process until the queue holds nothing to deliver; a message left to be retried waits for
 * the stack's visibility timeout, so the run reports it instead of waiting. Rejects when a file
 * cannot be read or a part cannot start (MotoTierError MOTO_MISSING without moto_server).
 */
export async function runLocalOnMoto(options: MotoLocalRunOptions = {}): Promise<LocalRunResult> {
  const drops = options.drops ?? (await sampleDrops());
  await Promise.all(drops.map((drop) => access(drop.file, constants.R_OK)));
  const deliver = options.deliver ?? 1;
  const work = await mkdtemp(join(tmpdir(), 'ucontact-loader-moto-'));
  const metrics = new EmfTotals();
  try {
    const tier = await startMotoTier({
      bundle: { outDir: join(work, 'bundle') },
      campaigns: campaignsOf(drops.map((drop) => drop.key)),
      faults: options.faults ?? [],
      deliveries: deliver,
      ...(options.concurrent ? { concurrency: Math.max(1, drops.length * deliver) } : {}),
      ...(options.env ? { env: options.env } : {}),
      logLine: (line) => {
        if (!metrics.add(line)) options.logLine?.(line);
      },
    });
    try {
      // The TestEvent moto wrote when the notifications were set up goes first, as on AWS.
      await tier.eventSource.idle(IDLE_TIMEOUT_MS);
      const before = tier.eventSource.invocations.length;
      const putStarted = performance.now();
      const dropped = [];
      for (const drop of drops) {
        const stored = await tier.put(drop.key, drop.file);
        dropped.push({ key: drop.key, size: stored.size, eTag: stored.eTag.replace(/"/g, '') });
      }
      const deliverStarted = performance.now();
      await tier.eventSource.idle(IDLE_TIMEOUT_MS);
      const finished = performance.now();
      const responses = tier.eventSource.invocations
        .slice(before)
        .map((record): SQSBatchResponse => record.invocation.response ?? allFailed(record));
      const { bases, ...rest } = tier.simulator.state();
      return {
        bucket: tier.resources.bucket,
        dropped,
        responses,
        manifests: await tier.manifests(),
        dialer: { bases: bases.map(({ text: _text, ...base }) => base), ...rest },
        metrics: metrics.totals,
        timings: { putMs: deliverStarted - putStarted, deliverMs: finished - deliverStarted },
      };
    } finally {
      await tier.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A function that errored or crashed leaves every message of its batch to come back. */
function allFailed(record: {
  readonly messages: readonly { readonly messageId: string }[];
}): SQSBatchResponse {
  return { batchItemFailures: record.messages.map((m) => ({ itemIdentifier: m.messageId })) };
}

/** Adds up the metrics of the function's Embedded Metric Format lines. */
class EmfTotals {
  readonly totals: Record<string, number> = {};

  /** Counts the line when it is an EMF document; false for any other line. */
  add(line: string): boolean {
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch {
      return false;
    }
    const emf = document as {
      _aws?: { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] };
    } & Record<string, unknown>;
    const definitions = emf._aws?.CloudWatchMetrics;
    if (!Array.isArray(definitions)) return false;
    for (const { Metrics = [] } of definitions) {
      for (const { Name } of Metrics) {
        const value = emf[Name];
        const values = Array.isArray(value) ? value : [value];
        for (const v of values) {
          if (typeof v === 'number') this.totals[Name] = (this.totals[Name] ?? 0) + v;
        }
      }
    }
    return true;
  }
}
