import { basename } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/config.js';
import { UnchunkableLineError, UnusableFileError } from '../contacts/errors.js';
import {
  DEFAULT_ENGINE_OPTIONS,
  type EngineOptions,
  type RecentlyLoaded,
} from '../contacts/options.js';
import { listNotFoundWarnings } from '../contacts/suppression-set.js';
import { inMib, spoolRoomBytes, tooLargeForStorage } from './chunk-spool.js';
import { FileRefusedError, PipelineErrorCode } from './errors.js';
import type { ManifestBuilder } from './manifest.js';
import { planUpload, type UploadPlan } from './plan-upload.js';
import type { S3ObjectRef } from './read-event.js';
import { openRejectedCsv } from './rejected-csv.js';
import { withObjectStream } from './storage.js';
import { SUPPRESSION_PREFIX } from './suppression-keys.js';
import type { SuppressionStore } from './suppression-store.js';

export interface ReadFileInput {
  readonly s3: S3Client;
  readonly config: Config;
  readonly object: S3ObjectRef;
  readonly campaign: string;
  /** A campaign profile's engine options, over the function's settings. */
  readonly engine?: Partial<EngineOptions>;
  readonly rejectedKey: string;
  /** Where chunks are spooled; default the system's temporary directory. */
  readonly spoolDir?: string | undefined;
  /** The campaign's reload window, when on. */
  readonly recentlyLoaded?: RecentlyLoaded | undefined;
  /** Where suppression lists come from; without it the file is not scrubbed. */
  readonly suppression?: SuppressionStore | undefined;
  /** The lists to apply by name; undefined: every list in the bucket. */
  readonly suppressionLists?: readonly string[] | undefined;
}

/**
 * The read stage: the engine over the exact object version, accepted contacts cut into spooled
 * chunks, refused rows streamed to rejected.csv; what it found goes into the manifest builder.
 * Throws FileRefusedError for a file that cannot be loaded as it is (unreadable, a line no request
 * can carry), and storage errors; nothing is left behind (spool removed, rejected.csv aborted).
 */
export async function readFile(
  input: ReadFileInput,
  builder: ManifestBuilder,
): Promise<UploadPlan> {
  const { s3, object, config } = input;
  const spoolLimitBytes = spoolRoomBytes(config.ephemeralStorageMb, config.recordConcurrency);
  checkSpoolFits(object, spoolLimitBytes);
  const rejected = openRejectedCsv(s3, object.bucket, input.rejectedKey, {
    maxBytes: config.rejectedCsvMaxBytes,
  });
  let plan: UploadPlan | undefined;
  try {
    const engine = {
      ...DEFAULT_ENGINE_OPTIONS,
      ...config.engine,
      ...input.engine,
      campaign: input.campaign,
      sourceName: basename(object.key),
      // The object's size lets the duplicate check reserve its table once.
      sizeHint: object.size,
      ...(input.recentlyLoaded ? { recentlyLoaded: input.recentlyLoaded } : {}),
    };
    const suppression = await input.suppression?.forFile(
      object.bucket,
      engine,
      input.suppressionLists,
    );
    plan = await withObjectStream(s3, object, (body) =>
      planUpload(body, {
        engine: suppression ? { ...engine, suppression } : engine,
        ceilings: config.chunkCeilings,
        onRejection: (rejection) => rejected.write(rejection),
        ...(input.spoolDir ? { spoolDir: input.spoolDir } : {}),
        spoolLimitBytes,
      }),
    );
    const written = await rejected.close();
    builder
      .setInput(plan.summary.input)
      .setColumns(plan.summary.columns)
      .setCounts(plan.summary.counts)
      .setRejectionCodes(plan.summary.rejectionCodes)
      .setSuppression(plan.summary.suppression)
      .setRejectedFile(
        written?.key ?? null,
        written?.truncated ? { rowsWritten: written.rows } : undefined,
      );
    for (const rejection of plan.rejections) builder.addRejection(rejection);
    const notFound = listNotFoundWarnings(suppression, (name) => `${SUPPRESSION_PREFIX}${name}/`);
    for (const warning of [...plan.summary.warnings, ...notFound]) builder.addWarning(warning);
    return plan;
  } catch (error) {
    await rejected.abort();
    await plan?.remove();
    throw refusal(error);
  }
}

/** Compressed: the object's size says nothing of its text's. */
const COMPRESSED_NAME = /\.(?:gz|xlsx|xlsm)$/i;

/**
 * Refuses up front a plain-text file larger than the spool's room. A normalized line keeps every
 * field of its row and adds the campaign and the priority, so the accepted contacts' text is about
 * the file's size or more; such a file could fit only if most of it were refused, and would
 * otherwise fail after reading gigabytes. Compressed files are checked while they are read.
 */
function checkSpoolFits(object: S3ObjectRef, roomBytes: number): void {
  if (object.size === undefined || COMPRESSED_NAME.test(object.key)) return;
  if (object.size > roomBytes)
    throw tooLargeForStorage(roomBytes, `the file is ${inMib(object.size)}`);
}

/** The engine's verdict on a whole file, as the pipeline error that ends the run `rejected`. */
function refusal(error: unknown): unknown {
  if (error instanceof UnusableFileError)
    return new FileRefusedError(error.code, error.message, { cause: error });
  if (error instanceof UnchunkableLineError) {
    const code = PipelineErrorCode.LineTooLargeForRequest;
    return new FileRefusedError(code, error.message, { cause: error });
  }
  return error;
}
