import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** In each owned directory: which process made it. */
const OWNER_FILE = 'owner.json';
/**
 * A directory without an owner file is another process's between its two calls, or was left by a
 * process that died right between them (or by a version that wrote none): dead once this old.
 */
const OWNERLESS_GRACE_MS = 60_000;

/** This process: its pid, and a token no other process (nor this pid reused after a restart) has. */
const THIS_PROCESS = { pid: process.pid, token: randomUUID() } as const;

/**
 * Makes a private directory (mode 0700) under `parent` named `prefix` and a random tail, with an
 * owner file naming this process, so removeDeadTempDirs can tell when it was left behind. Throws
 * file-system errors; nothing is left on disk after a throw.
 */
export async function makeOwnedTempDir(parent: string, prefix: string): Promise<string> {
  const directory = await mkdtemp(join(parent, prefix));
  try {
    await writeFile(join(directory, OWNER_FILE), JSON.stringify(THIS_PROCESS), { mode: 0o600 });
  } catch (error) {
    await rm(directory, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return directory;
}

/**
 * Removes the directories under `parent` whose names start with one of `prefixes` and whose owner
 * is dead, and returns their paths. They hold full phone numbers (up to the ephemeral storage's
 * size), and Lambda keeps `/tmp` across the invocations of a warm sandbox, also after the runtime
 * was killed (timeout, out of memory) and restarted. Which directories are dead:
 * - never one of this process: several records of one invocation can run at once
 *   (RECORD_CONCURRENCY), each with its directories, so ours are live whatever their age;
 * - one whose owner's pid is this process's but whose token is not: that process died and the
 *   restarted runtime got the same pid back (common in a sandbox, where few processes run);
 * - one whose owner's pid runs no process any more;
 * - one without an owner file, older than a minute.
 * One of another live process (a command-line run beside the function on a workstation) is left
 * alone. Never throws: a directory that cannot be read or removed now is tried the next time.
 */
export async function removeDeadTempDirs(
  parent: string,
  prefixes: readonly string[],
): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names.filter((n) => prefixes.some((prefix) => n.startsWith(prefix)))) {
    const directory = join(parent, name);
    if (!(await isDead(directory))) continue;
    await rm(directory, { recursive: true, force: true })
      .then(() => removed.push(directory))
      .catch(() => undefined);
  }
  return removed;
}

async function isDead(directory: string): Promise<boolean> {
  try {
    const owner = JSON.parse(await readFile(join(directory, OWNER_FILE), 'utf8')) as {
      pid?: unknown;
      token?: unknown;
    };
    if (owner.token === THIS_PROCESS.token) return false;
    if (owner.pid === THIS_PROCESS.pid) return true;
    return typeof owner.pid !== 'number' || !processRuns(owner.pid);
  } catch {
    const made = await stat(directory).catch(() => undefined);
    return made !== undefined && Date.now() - made.mtimeMs > OWNERLESS_GRACE_MS;
  }
}

/** Whether a process with this pid runs (one of another user's counts: EPERM). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
