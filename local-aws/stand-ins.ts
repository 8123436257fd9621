import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RecordedBase } from '../simulator/base-record.js';
import { baseLines, type SimulatorState, startSimulator } from '../simulator/simulator.js';
import { startEmbeddedS3 } from './embedded-s3.js';
import { putFile, type StoredFile } from './put-file.js';
import { startSecretsEndpoint } from './secrets-endpoint.js';

/** What the local function talks to instead of AWS and uContact. */
export interface StandInsOptions {
  readonly buckets: readonly string[];
  /** Campaigns the simulator accepts; none means any. */
  readonly campaigns: readonly string[];
  /** Simulator faults, `<call>:<kind>[:<times>]`. */
  readonly faults: readonly string[];
  /** Secrets by id, as the local Secrets Manager serves them. */
  readonly secrets: Readonly<Record<string, { readonly user: string; readonly password: string }>>;
  /** Keep each base's text, so the dialer state gives its `lines`. */
  readonly keepContent?: boolean;
}

/**
 * The simulator's state as `GET /_simulator/state` shows it: bases without their text, or with
 * their `lines` (as `?content=1` gives them) when the stand-ins keep the content.
 */
export type DialerState = Omit<SimulatorState, 'bases'> & {
  readonly bases: readonly (Omit<RecordedBase, 'text'> & { readonly lines?: string[] })[];
};

/** Running stand-ins: the embedded S3, the uContact simulator and a local Secrets Manager. */
export interface StandIns {
  readonly s3Endpoint: string;
  /** The simulator's base URL, with a trailing slash. */
  readonly simulatorUrl: string;
  readonly secretsEndpoint: string;
  /**
   * Drops a local file at `bucket`/`key` as a partner's upload would (see putFile), from the
   * stand-ins' side: run in a child process, the function's process never holds the file.
   */
  put(bucket: string, key: string, path: string): Promise<StoredFile>;
  dialerState(): Promise<DialerState>;
  /** Stops them all; run in a child process, tells that process's peak RSS (KiB). */
  close(): Promise<{ readonly maxRssKiB?: number }>;
}

/** How to start the child process that runs the stand-ins. */
export interface StandInsProcessOptions {
  /** The entry script (`stand-ins-process`); default the one next to this module. */
  readonly script?: string;
  /** Node flags for it; default none, or tsx's loader when the script is TypeScript. */
  readonly execArgv?: readonly string[];
}

/**
 * Starts the stand-ins in this process, on free loopback ports. Rejects when one cannot start;
 * the ones already started are stopped first.
 */
export async function startStandIns(options: StandInsOptions): Promise<StandIns> {
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const part of started.reverse()) await part.close();
  };
  try {
    const s3 = await startEmbeddedS3({ buckets: options.buckets });
    started.push(s3);
    const simulator = await startSimulator({
      campaigns: options.campaigns,
      anyCampaign: options.campaigns.length === 0,
      faults: [...options.faults],
      keepText: options.keepContent === true,
      log: () => undefined,
    });
    started.push(simulator);
    const secrets = await startSecretsEndpoint(options.secrets);
    started.push(secrets);
    const partner = s3.client();
    return {
      s3Endpoint: s3.endpoint,
      simulatorUrl: simulator.url,
      secretsEndpoint: secrets.endpoint,
      put: (bucket, key, path) => putFile(partner, bucket, key, path),
      dialerState: async () => {
        const { bases, ...rest } = simulator.state();
        const shown = bases.map(({ text, ...base }) =>
          options.keepContent ? { ...base, lines: baseLines(text) } : base,
        );
        return { bases: shown, ...rest };
      },
      close: async () => {
        await closeAll();
        return {};
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Messages between this module and `stand-ins-process`. */
export type ToStandIns =
  | { readonly type: 'start'; readonly options: StandInsOptions }
  | { readonly type: 'state' }
  | { readonly type: 'put'; readonly bucket: string; readonly key: string; readonly path: string }
  | { readonly type: 'close' };
export type FromStandIns =
  | {
      readonly type: 'ready';
      readonly s3Endpoint: string;
      readonly simulatorUrl: string;
      readonly secretsEndpoint: string;
    }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'state'; readonly state: DialerState }
  /** The answer to `put`: what was stored, or why it could not be. */
  | { readonly type: 'stored'; readonly stored?: StoredFile; readonly error?: string }
  | { readonly type: 'closed'; readonly maxRssKiB: number };

/**
 * Starts the stand-ins in a child process, so that this process's time and memory are the
 * function's own: the embedded S3 holds every object it stores, and the simulator decodes every
 * base. Rejects when the child cannot start them or exits early.
 */
export async function startStandInsProcess(
  options: StandInsOptions,
  launch: StandInsProcessOptions = {},
): Promise<StandIns> {
  const script = launch.script ?? siblingScript();
  const execArgv = launch.execArgv ?? (isTypeScript(script) ? ['--import', tsxLoader()] : []);
  const child = fork(script, [], {
    execArgv: [...execArgv],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'json',
  });
  const replies = new Replies(child);
  child.send({ type: 'start', options } satisfies ToStandIns);
  const ready = await replies.next('ready').catch((error: unknown) => {
    child.kill();
    throw error;
  });
  return {
    s3Endpoint: ready.s3Endpoint,
    simulatorUrl: ready.simulatorUrl,
    secretsEndpoint: ready.secretsEndpoint,
    put: async (bucket, key, path) => {
      child.send({ type: 'put', bucket, key, path } satisfies ToStandIns);
      const answer = await replies.next('stored');
      if (!answer.stored) throw new Error(answer.error ?? 'the local S3 did not store the file');
      return answer.stored;
    },
    dialerState: async () => {
      child.send({ type: 'state' } satisfies ToStandIns);
      return (await replies.next('state')).state;
    },
    close: async () => {
      child.send({ type: 'close' } satisfies ToStandIns);
      const closed = await replies.next('closed');
      await replies.exited;
      return { maxRssKiB: closed.maxRssKiB };
    },
  };
}

type Reply<T extends FromStandIns['type']> = Extract<FromStandIns, { type: T }>;

/** The child's answers, awaited by type; a `failed` answer or an early exit rejects. */
class Replies {
  private readonly waiting: {
    type: string;
    resolve: (message: FromStandIns) => void;
    reject: (error: Error) => void;
  }[] = [];
  private ended: Error | undefined;
  readonly exited: Promise<void>;

  constructor(child: ChildProcess) {
    child.on('message', (message: FromStandIns) => {
      if (message.type === 'failed') {
        this.fail(new Error(`the local stand-ins did not start: ${message.message}`));
        return;
      }
      const index = this.waiting.findIndex((w) => w.type === message.type);
      if (index !== -1) this.waiting.splice(index, 1)[0]?.resolve(message);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.fail(new Error(`the local stand-ins' process exited (${signal ?? code})`));
        resolve();
      });
    });
    child.once('error', (error) => this.fail(error));
  }

  next<T extends FromStandIns['type']>(type: T): Promise<Reply<T>> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      this.waiting.push({ type, resolve: (m) => resolve(m as Reply<T>), reject });
    });
  }

  private fail(error: Error): void {
    this.ended ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }
}

/** `stand-ins-process` next to this module, as TypeScript (sources) or JavaScript (built). */
function siblingScript(): string {
  const here = fileURLToPath(import.meta.url);
  return fileURLToPath(new URL(`./stand-ins-process${extname(here)}`, import.meta.url));
}

function isTypeScript(script: string): boolean {
  return ['.ts', '.mts'].includes(extname(script));
}

/** tsx's loader as a file URL, so the child finds it wherever it is started from. */
function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}
