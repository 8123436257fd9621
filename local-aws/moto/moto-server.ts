import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MOTO_INSTALL_HINT, MotoTierError, MotoTierErrorCode } from './errors.js';

/** The command that serves moto's emulated AWS over HTTP. */
export const MOTO_COMMAND = 'moto_server';
/** moto's own start-up (Flask, its backends) takes a few seconds on a loaded machine. */
const START_TIMEOUT_MS = 30_000;

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: every AWS service moto serves answers here. */
  readonly endpoint: string;
  /** Stops moto_server (SIGTERM, then SIGKILL) and waits for it to exit. */
  close(): Promise<void>;
}

/** Where `moto_server` is on PATH, or undefined when it is not installed. */
export function findMotoServer(path = process.env.PATH ?? ''): string | undefined {
  for (const folder of path.split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, MOTO_COMMAND);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/**
 * Starts `moto_server` on a free loopback port and waits until it answers. It is stopped when
 * this process exits, also on an uncaught error. Throws MotoTierError: MOTO_MISSING when it is
 * not installed (the message says how to install it), MOTO_UNAVAILABLE when it exits or does not
 * answer within 30 s.
 */
export async function startMotoServer(): Promise<MotoServer> {
  const command = findMotoServer();
  if (command === undefined) {
    throw new MotoTierError(
      MotoTierErrorCode.MotoMissing,
      `${MOTO_COMMAND} was not found on PATH; ${MOTO_INSTALL_HINT}`,
    );
  }
  const port = await freePort();
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);
  const close = async () => {
    process.off('exit', stopOnExit);
    await stop(child);
  };
  try {
    await waitUntilAnswering(endpoint, child);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, close };
}

/** A port nobody listens on right now (moto binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new MotoTierError(
        MotoTierErrorCode.MotoUnavailable,
        `${MOTO_COMMAND} exited (${child.exitCode ?? child.signalCode}): ${lastLine(stderr)}`,
      );
    }
    try {
      const answer = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
      await answer.body?.cancel();
      if (answer.ok) {
        // Its access log goes to stderr; nothing more is read from it.
        child.stderr?.removeAllListeners('data').resume();
        return;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new MotoTierError(
    MotoTierErrorCode.MotoUnavailable,
    `${MOTO_COMMAND} did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000} s`,
  );
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
