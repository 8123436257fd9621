import { randomUUID } from 'node:crypto';
import {
  type FileHandle,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Chunk } from '../contacts/chunk.js';
import { FileRefusedError, PipelineErrorCode } from './errors.js';

/** Every spool directory's name starts so; the rest is mkdtemp's. */
export const SPOOL_PREFIX = 'ucontact-plan-';
/** In each spool directory: which process made it. */
const OWNER_FILE = 'owner.json';
/**
 * A spool directory without an owner file is another process's between its two calls, or was left
 * by a run that died right between them (or by a version that wrote none): dead once this old.
 */
const OWNERLESS_GRACE_MS = 60_000;

const MIB = 1024 * 1024;
/** Of the temporary storage, what is left to other files: a workbook's spooled sheets, the runtime's. */
const STORAGE_MARGIN = 0.1;

/**
 * How many bytes one run's spool may take: the temporary storage less a margin, shared by the runs
 * one process handles at once (RECORD_CONCURRENCY), since their spools live there together.
 */
export function spoolRoomBytes(storageMb: number, runsAtOnce: number): number {
  return Math.floor((storageMb * MIB * (1 - STORAGE_MARGIN)) / Math.max(1, runsAtOnce));
}

/** The spool passed its room (or a file's size says it would): refused, nothing is sent. */
export function tooLargeForStorage(roomBytes: number, why: string): FileRefusedError {
  return new FileRefusedError(
    PipelineErrorCode.TooLargeForStorage,
    `${why}: more than the ${inMib(roomBytes)} of temporary storage a file's chunks may take; split it into smaller files.`,
  );
}

/** In MiB with one decimal: a count of bytes would read as a phone number and be masked. */
export function inMib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** This process: its pid, and a token no other process (nor this pid reused after a restart) has. */
const THIS_PROCESS = { pid: process.pid, token: randomUUID() } as const;

/**
 * Removes the spools of dead runs under `parent`. A spool holds full phone numbers (up to the
 * ephemeral storage's size), and Lambda keeps `/tmp` across the invocations of a warm sandbox, also
 * after the runtime was killed (timeout, out of memory) and restarted. Which spools are dead:
 * - never one of this process: RECORD_CONCURRENCY lets several records of one invocation run in
 *   parallel, each with its spool, so ours are live whatever their age;
 * - one whose owner's pid is this process's but whose token is not: that process died and the
 *   restarted runtime got the same pid back (common in a sandbox, where few processes run);
 * - one whose owner's pid runs no process any more;
 * - one without an owner file, older than a minute.
 * A spool of another live process (a command-line run beside the function on a workstation) is
 * left alone. Never throws: a spool that cannot be read or removed now is tried by the next run.
 */
export async function removeDeadSpools(parent: string = tmpdir()): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names.filter((n) => n.startsWith(SPOOL_PREFIX))) {
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

/**
 * A private temporary file holding a file's chunks one after the other, so memory stays flat
 * however long the file is; each chunk is read back as bytes when its upload comes.
 */
export class ChunkSpool {
  private handle: FileHandle | undefined;
  private length = 0;
  // One buffer for every chunk, each written before the next is cut: joining a chunk's lines
  // into a string and encoding it left two 1-2 MB garbage objects per chunk (bench/RESULTS.md).
  private buffer = Buffer.alloc(0);

  private constructor(
    private readonly directory: string,
    private readonly path: string,
    private readonly limitBytes: number,
  ) {}

  /**
   * Removes dead runs' spools under `parent` (default the system's temporary directory), then
   * makes this one's directory (mode 0700) with its owner file. Throws file-system errors.
   */
  static async create(
    parent: string = tmpdir(),
    limitBytes = Number.POSITIVE_INFINITY,
  ): Promise<ChunkSpool> {
    await removeDeadSpools(parent);
    const directory = await mkdtemp(join(parent, SPOOL_PREFIX));
    try {
      await writeFile(join(directory, OWNER_FILE), JSON.stringify(THIS_PROCESS), { mode: 0o600 });
    } catch (error) {
      await rm(directory, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
    return new ChunkSpool(directory, join(directory, 'chunks.txt'), limitBytes);
  }

  /**
   * Appends a chunk's text and returns where it starts. Throws FileRefusedError
   * (TOO_LARGE_FOR_STORAGE) when the spool would pass its limit: a gzip file's or a workbook's
   * size does not bound its contacts' text, so only writing tells.
   */
  async write(chunk: Chunk): Promise<number> {
    if (this.length + chunk.bytes > this.limitBytes) {
      throw tooLargeForStorage(this.limitBytes, "the file's accepted contacts take");
    }
    if (this.buffer.length < chunk.bytes) this.buffer = Buffer.allocUnsafe(chunk.bytes);
    const length = chunk.encodeInto(this.buffer);
    this.handle ??= await open(this.path, 'w');
    const offset = this.length;
    for (let written = 0; written < length; ) {
      const done = await this.handle.write(
        this.buffer,
        written,
        length - written,
        offset + written,
      );
      written += done.bytesWritten;
    }
    this.length += length;
    return offset;
  }

  /** Closes the file once every chunk is written; never throws. */
  async close(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  /** The `bytes` bytes written at `offset`. Throws when the spool is gone or short. */
  async read(offset: number, bytes: number, part: number): Promise<Buffer> {
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.allocUnsafe(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, offset);
      if (bytesRead !== bytes) throw new Error(`the spool lost part ${part}`);
      return buffer;
    } finally {
      await handle.close();
    }
  }

  /** Deletes the spool. Never throws; call it whatever happened. */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.directory, { recursive: true, force: true }).catch(() => undefined);
  }
}
