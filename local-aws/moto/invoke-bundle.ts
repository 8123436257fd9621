import { spawn } from 'node:child_process';
import type { SQSBatchResponse } from 'aws-lambda';
import { RESPONSE_MARKER, RunnerEnv, USAGE_MARKER } from './bundle-protocol.js';
import type { FunctionBundle } from './function-bundle.js';

/** The Node the function runs on: LOADER_NODE when set (another version's binary), else this one. */
export function functionNode(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return env.LOADER_NODE || process.execPath;
}

export interface InvokeOptions {
  /** The whole environment the function gets (the stack's, the endpoints, Lambda's own). */
  readonly env: Readonly<Record<string, string>>;
  /** The function's timeout: the context counts down from it and the process is killed at it. */
  readonly timeoutMs: number;
  /** Aborting kills the process at once (SIGKILL), as a crash of the runtime would. */
  readonly signal?: AbortSignal;
  /** Each line the function writes (its JSON logs and metrics), without the response. */
  readonly logLine?: (line: string) => void;
  /** The Node binary; default functionNode(). */
  readonly node?: string;
}

/** How one invocation ended. */
export interface Invocation {
  /** The handler's answer; undefined when the function errored, crashed or timed out. */
  readonly response: SQSBatchResponse | undefined;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** The end of what the process wrote on stderr (a function error's stack). */
  readonly stderrTail: string;
  /** The process's peak resident memory in KiB; undefined when it was killed or crashed. */
  readonly maxRssKiB: number | undefined;
}

/**
 * Runs one invocation of the bundle in a child process: the event on stdin, the response from
 * the marked line of stdout. Never rejects for what the function does (an error, a crash, a
 * timeout are in the result); rejects only when the process cannot be started.
 */
export function invokeBundle(
  bundle: FunctionBundle,
  event: unknown,
  options: InvokeOptions,
): Promise<Invocation> {
  const started = performance.now();
  const child = spawn(options.node ?? functionNode(), [bundle.runner, bundle.handler.path], {
    env: { ...options.env, [RunnerEnv.TimeoutMs]: String(options.timeoutMs) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let response: SQSBatchResponse | undefined;
  let maxRssKiB: number | undefined;
  let stderrTail = '';
  let timedOut = false;
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(RESPONSE_MARKER)) {
        // A handler that returns nothing reported no failure, as Lambda reads it.
        const answer = JSON.parse(line.slice(RESPONSE_MARKER.length)) as SQSBatchResponse | null;
        response = answer ?? { batchItemFailures: [] };
      } else if (line.startsWith(USAGE_MARKER)) {
        maxRssKiB = (JSON.parse(line.slice(USAGE_MARKER.length)) as { maxRssKiB: number })
          .maxRssKiB;
      } else if (line !== '') options.logLine?.(line);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-4000);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const kill = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', kill, { once: true });
  if (options.signal?.aborted) kill();
  child.stdin.on('error', () => undefined);
  child.stdin.end(JSON.stringify(event));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      resolve({
        response: exitCode === 0 ? response : undefined,
        exitCode,
        signal,
        timedOut,
        durationMs: performance.now() - started,
        stderrTail,
        maxRssKiB,
      });
    });
  });
}
