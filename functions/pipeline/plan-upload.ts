import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Chunk, Chunker } from '../contacts/chunk.js';
import type { Rejection } from '../contacts/contact.js';
import type { ChunkCeilings, EngineOptions } from '../contacts/options.js';
import { type EngineSummary, processContacts } from '../contacts/process-contacts.js';
import { baseFilename } from '../ucontact/base-filename.js';
import type { UploadBase } from '../ucontact/results.js';

/** One chunk written to the spool file: where its text is, and what it holds. */
export interface PlannedChunk {
  /** 1-based, in file order. */
  readonly part: number;
  /** The name uContact shows for this base (see baseFilename). */
  readonly filename: string;
  readonly records: number;
  /** UTF-8 bytes of the chunk's text, which is also its length in the spool. */
  readonly bytes: number;
  /** Where the chunk's text starts in the spool. */
  readonly offset: number;
}

/** What the engine made of a file, with its accepted lines waiting on disk. */
export interface UploadPlan {
  readonly chunks: readonly PlannedChunk[];
  readonly summary: EngineSummary;
  /** The first `maxRejections` refused rows (every one went to `onRejection`). */
  readonly rejections: readonly Rejection[];
  /**
   * The UTF-8 bytes of one chunk's text, read back from the spool (kept as bytes: uploading
   * sends them in base64, so decoding them would only have them encoded again). Throws when the
   * spool is gone.
   */
  readChunk(chunk: PlannedChunk): Promise<Buffer>;
  /**
   * The chunks (all, or `chunks`) as uploadbase calls, each read from the spool only when the
   * session asks for it; stops early once `shouldStop` answers true.
   */
  bases(
    campaign: string,
    options?: { chunks?: readonly PlannedChunk[]; shouldStop?: () => boolean },
  ): AsyncIterable<UploadBase>;
  /** Deletes the spool. Never throws; call it whatever happened. */
  remove(): Promise<void>;
}

export interface PlanUploadOptions {
  readonly engine: EngineOptions;
  readonly ceilings: ChunkCeilings;
  /** Every refused row, in order; a returned promise is awaited (backpressure). */
  readonly onRejection?: (rejection: Rejection) => void | Promise<void>;
  readonly onProgress?: (bytesRead: number) => void;
  /** Told of every chunk as it is cut (reports show their request sizes). */
  readonly onChunk?: (chunk: Chunk) => void;
  /** How many rejections the plan keeps in memory; default 100. */
  readonly maxRejections?: number;
  /** Where the spool directory is made; default the system's temporary directory. */
  readonly spoolDir?: string;
}

/** What is sent is text: a workbook's bases are named as CSV files (`lista.xlsx` as `lista.csv`). */
function uploadedName(sourceName: string, summary: EngineSummary): string {
  if (summary.input.container !== 'xlsx') return sourceName;
  return sourceName.replace(/\.xls[xm]$/i, '.csv');
}

/**
 * Runs the contacts engine over `source` and groups the accepted lines into upload chunks written
 * to a spool file, so memory stays flat however long the file is and uploading can start once the
 * number of chunks (hence their names) is known. Throws what processContacts throws
 * (UnusableFileError for a file that cannot be read), UnchunkableLineError for a line no request
 * can carry, and file-system errors; the spool is removed before any throw.
 */
export async function planUpload(
  source: AsyncIterable<Uint8Array>,
  options: PlanUploadOptions,
): Promise<UploadPlan> {
  const maxRejections = options.maxRejections ?? 100;
  const directory = await mkdtemp(join(options.spoolDir ?? tmpdir(), 'ucontact-plan-'));
  const spoolPath = join(directory, 'chunks.txt');
  const remove = () => rm(directory, { recursive: true, force: true }).catch(() => undefined);
  const chunker = new Chunker(options.ceilings);
  const cut: Omit<PlannedChunk, 'filename'>[] = [];
  const rejections: Rejection[] = [];
  let offset = 0;
  let spool: FileHandle | undefined;
  // One buffer for every chunk, each written before the next is cut: joining a chunk's lines
  // into a string and encoding it left two 1-2 MB garbage objects per chunk (bench/RESULTS.md).
  let buffer = Buffer.alloc(0);

  const store = async (chunk: Chunk | undefined) => {
    if (!chunk) return;
    options.onChunk?.(chunk);
    cut.push({ part: chunk.part, records: chunk.records, bytes: chunk.bytes, offset });
    if (buffer.length < chunk.bytes) buffer = Buffer.allocUnsafe(chunk.bytes);
    const length = chunk.encodeInto(buffer);
    spool ??= await open(spoolPath, 'w');
    for (let written = 0; written < length; ) {
      const done = await spool.write(buffer, written, length - written, offset + written);
      written += done.bytesWritten;
    }
    offset += length;
  };

  let summary: EngineSummary;
  try {
    summary = await processContacts(
      source,
      options.engine,
      {
        // Nothing to wait for until a chunk is cut: a promise per line would have the engine
        // await a million of them (bench/RESULTS.md).
        accept: (line) => {
          const chunk = chunker.add(line);
          return chunk ? store(chunk) : undefined;
        },
        reject: (rejection) => {
          if (rejections.length < maxRejections) rejections.push(rejection);
          return options.onRejection?.(rejection);
        },
      },
      options.onProgress,
    );
    await store(chunker.finish());
    await spool?.close();
  } catch (error) {
    await spool?.close().catch(() => undefined);
    await remove();
    throw error;
  }

  const uploadName = uploadedName(options.engine.sourceName, summary);
  const chunks: PlannedChunk[] = cut.map((chunk) => ({
    ...chunk,
    filename: baseFilename(uploadName, chunk.part, cut.length),
  }));
  const readChunk = async (chunk: PlannedChunk): Promise<Buffer> => {
    const handle = await open(spoolPath, 'r');
    try {
      const buffer = Buffer.allocUnsafe(chunk.bytes);
      const { bytesRead } = await handle.read(buffer, 0, chunk.bytes, chunk.offset);
      if (bytesRead !== chunk.bytes) throw new Error(`the spool lost part ${chunk.part}`);
      return buffer;
    } finally {
      await handle.close();
    }
  };
  return {
    chunks,
    summary,
    rejections,
    readChunk,
    async *bases(campaign, { chunks: selected = chunks, shouldStop = () => false } = {}) {
      for (const chunk of selected) {
        if (shouldStop()) return;
        yield {
          part: chunk.part,
          filename: chunk.filename,
          campaign,
          content: await readChunk(chunk),
          records: chunk.records,
          bytes: chunk.bytes,
        };
      }
    },
    remove,
  };
}
