import { type FileHandle, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Chunk } from '../contacts/chunk.js';
import { WORKBOOK_SPOOL_PREFIX } from '../contacts/read-workbook.js';
import { makeOwnedTempDir, removeDeadTempDirs } from '../shared/owned-temp-dir.js';
import { FileRefusedError, PipelineErrorCode } from './errors.js';

/** Every spool directory's name starts so; the rest is mkdtemp's. */
export const SPOOL_PREFIX = 'ucontact-plan-';

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

/**
 * Removes the spools of dead runs under `parent`: chunk spools and workbooks' spooled sheets whose
 * process is gone, or whose process id was reused by a restarted runtime (owned-temp-dir.ts says
 * which are dead); never one of this process. Lambda keeps `/tmp` across a warm sandbox's
 * invocations, also after a crash, so a run frees what a dead one left before taking room.
 * Never throws.
 */
export function removeDeadSpools(parent: string = tmpdir()): Promise<string[]> {
  return removeDeadTempDirs(parent, [SPOOL_PREFIX, WORKBOOK_SPOOL_PREFIX]);
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
    const directory = await makeOwnedTempDir(parent, SPOOL_PREFIX);
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
