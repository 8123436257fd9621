import { type Chunk, Chunker } from '../contacts/chunk.js';
import type { Rejection } from '../contacts/contact.js';
import type { ChunkCeilings, EngineOptions } from '../contacts/options.js';
import { type EngineSummary, processContacts } from '../contacts/process-contacts.js';
import { baseFilename } from '../ucontact/base-filename.js';
import { chunkOf, type UploadBase, type UploadChunk } from '../ucontact/results.js';
import { ChunkSpool } from './chunk-spool.js';

/** One chunk written to the spool file: where its text starts there (its length is `bytes`). */
export interface PlannedChunk extends UploadChunk {
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
  /** Most bytes the spool may take (see ChunkSpool.write); default no limit. */
  readonly spoolLimitBytes?: number;
}

/** What is sent is text: a workbook's bases are named as CSV files (`lista.xlsx` as `lista.csv`). */
export function uploadedName(sourceName: string, summary: EngineSummary): string {
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
  const spool = await ChunkSpool.create(options.spoolDir, options.spoolLimitBytes);
  const chunker = new Chunker(options.ceilings);
  const cut: Omit<PlannedChunk, 'filename'>[] = [];
  const rejections: Rejection[] = [];
  const store = async (chunk: Chunk | undefined) => {
    if (!chunk) return;
    options.onChunk?.(chunk);
    const offset = await spool.write(chunk);
    cut.push({ part: chunk.part, records: chunk.records, bytes: chunk.bytes, offset });
  };
  let summary: EngineSummary;
  try {
    summary = await processContacts(
      source,
      // A workbook's sheets go beside the chunks, where dead runs' spools are looked for.
      options.spoolDir ? { ...options.engine, spoolDir: options.spoolDir } : options.engine,
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
    await spool.close();
  } catch (error) {
    await spool.remove();
    throw error;
  }
  const uploadName = uploadedName(options.engine.sourceName, summary);
  const chunks: PlannedChunk[] = cut.map((chunk) => ({
    ...chunk,
    filename: baseFilename(uploadName, chunk.part, cut.length),
  }));
  return spooledPlan(chunks, summary, rejections, spool);
}

function spooledPlan(
  chunks: readonly PlannedChunk[],
  summary: EngineSummary,
  rejections: readonly Rejection[],
  spool: ChunkSpool,
): UploadPlan {
  const readChunk = (chunk: PlannedChunk) => spool.read(chunk.offset, chunk.bytes, chunk.part);
  return {
    chunks,
    summary,
    rejections,
    readChunk,
    async *bases(campaign, { chunks: selected = chunks, shouldStop = () => false } = {}) {
      for (const chunk of selected) {
        if (shouldStop()) return;
        yield { ...chunkOf(chunk), campaign, content: await readChunk(chunk) };
      }
    },
    remove: () => spool.remove(),
  };
}
