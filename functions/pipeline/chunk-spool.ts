import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Chunk } from '../contacts/chunk.js';

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
  ) {}

  /** Makes the spool's directory (mode 0700) under `parent`, default the system's. */
  static async create(parent: string = tmpdir()): Promise<ChunkSpool> {
    const directory = await mkdtemp(join(parent, 'ucontact-plan-'));
    return new ChunkSpool(directory, join(directory, 'chunks.txt'));
  }

  /** Appends a chunk's text and returns where it starts. */
  async write(chunk: Chunk): Promise<number> {
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
