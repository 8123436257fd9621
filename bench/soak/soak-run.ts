import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import type { Invocation } from '../../local-aws/moto/invoke-bundle.js';
import { Random } from '../generate-files.js';
import { FileScript } from './file-script.js';
import { type InvocationTrace, startInvocationProxy } from './invocation-proxy.js';
import { startSoakBackend } from './soak-backend.js';
import { type SoakFile, writeSoakFiles } from './soak-files.js';
import { planSoak } from './soak-plan.js';
import {
  type DialerContent,
  notificationKey,
  readSoakResults,
  type SoakResults,
} from './soak-results.js';
import type { InvokePlain, SoakBackend, SoakOptions } from './soak-types.js';

/** One invocation of the function for a file, and what its proxy saw. */
export interface SoakInvocation {
  readonly key: string;
  readonly receiveCount: number;
  readonly trace: InvocationTrace;
  readonly invocation: Invocation;
}

export interface SoakRun {
  readonly backend: 'moto' | 'embedded';
  readonly files: readonly SoakFile[];
  readonly scripts: ReadonlyMap<string, FileScript>;
  readonly invocations: readonly SoakInvocation[];
  readonly results: SoakResults;
  /** From the first drop to the queue emptying. */
  readonly wallMs: number;
}

/**
 * Runs the soak: writes the files, starts the backend (the stack on moto, or the embedded
 * stand-ins), drops every file at once, lets the event source deliver each notification
 * `deliveries` times while the plan kills runs and serves faults, waits for the queue to empty,
 * then reads the dialer's bases, the manifests and the dead-letter queue. Rejects when a part
 * cannot start or the queue does not empty in time.
 */
export async function runSoak(options: SoakOptions): Promise<SoakRun> {
  const work = await mkdtemp(join(tmpdir(), 'ucontact-soak-'));
  try {
    const random = new Random(options.seed);
    await mkdir(join(work, 'files'));
    const files = await writeSoakFiles({ ...options, dir: join(work, 'files'), random });
    const plans = planSoak(files, random, options);
    const scripts = new Map([...plans].map(([key, plan]) => [key, new FileScript(plan)]));
    const invocations: SoakInvocation[] = [];
    let upstream: { s3: string; ucontact: string } | undefined;
    const invoke = async (
      event: SQSEvent,
      signal: AbortSignal,
      plain: InvokePlain,
    ): Promise<Invocation> => {
      const key = notificationKey(event.Records[0]?.body ?? '');
      const script = key === undefined ? undefined : scripts.get(key);
      if (key === undefined || !script || !upstream) return plain(event, signal);
      const killer = new AbortController();
      const proxy = await startInvocationProxy({
        script,
        ...upstream,
        kill: () => killer.abort(),
        retryAfterSeconds: 1,
      });
      try {
        const invocation = await plain(event, AbortSignal.any([signal, killer.signal]), {
          S3_ENDPOINT: proxy.url,
          UCONTACT_BASE_URL: `${proxy.url}/`,
        });
        const receiveCount = Number(event.Records[0]?.attributes.ApproximateReceiveCount ?? 1);
        invocations.push({ key, receiveCount, trace: proxy.trace, invocation });
        return invocation;
      } finally {
        await proxy.close();
      }
    };
    const backend = await startSoakBackend(options, join(work, 'backend'), invoke);
    try {
      upstream = { s3: backend.s3Endpoint, ucontact: backend.simulatorUrl };
      return await dropAndSettle(backend, options, files, scripts, invocations);
    } finally {
      await backend.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function dropAndSettle(
  backend: SoakBackend,
  options: SoakOptions,
  files: readonly SoakFile[],
  scripts: ReadonlyMap<string, FileScript>,
  invocations: readonly SoakInvocation[],
): Promise<SoakRun> {
  // What the backend delivers before the drops (moto's s3:TestEvent) goes first, as on AWS.
  await backend.idle(60_000);
  const started = performance.now();
  await Promise.all(files.map((file) => backend.put(file.key, file.path)));
  await backend.settled(options.settleMinutes * 60_000);
  const wallMs = performance.now() - started;
  const results = await readSoakResults(backend, await dialerContent(backend.simulatorUrl));
  return { backend: backend.kind, files, scripts, invocations, results, wallMs };
}

/** Every base the simulator took, with its text, from its state endpoint. */
async function dialerContent(simulatorUrl: string): Promise<DialerContent> {
  const answer = await fetch(`${simulatorUrl}_simulator/state?content=1`);
  if (!answer.ok) throw new Error(`the simulator's state answered ${answer.status}`);
  return (await answer.json()) as DialerContent;
}
