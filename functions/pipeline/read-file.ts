import { basename } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/config.js';
import { UnchunkableLineError, UnusableFileError } from '../contacts/errors.js';
import { DEFAULT_ENGINE_OPTIONS, type RecentlyLoaded } from '../contacts/options.js';
import { FileRefusedError, PipelineErrorCode } from './errors.js';
import type { ManifestBuilder } from './manifest.js';
import { planUpload, type UploadPlan } from './plan-upload.js';
import type { S3ObjectRef } from './read-event.js';
import { openRejectedCsv } from './rejected-csv.js';
import { withObjectStream } from './storage.js';

export interface ReadFileInput {
  readonly s3: S3Client;
  readonly config: Config;
  readonly object: S3ObjectRef;
  readonly campaign: string;
  readonly rejectedKey: string;
  /** Where chunks are spooled; default the system's temporary directory. */
  readonly spoolDir?: string | undefined;
  /** The campaign's reload window, when on. */
  readonly recentlyLoaded?: RecentlyLoaded | undefined;
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
  const rejected = openRejectedCsv(s3, object.bucket, input.rejectedKey);
  let plan: UploadPlan | undefined;
  try {
    plan = await withObjectStream(s3, object, (body) =>
      planUpload(body, {
        engine: {
          ...DEFAULT_ENGINE_OPTIONS,
          ...config.engine,
          campaign: input.campaign,
          sourceName: basename(object.key),
          // The object's size lets the duplicate check reserve its table once.
          sizeHint: object.size,
          ...(input.recentlyLoaded ? { recentlyLoaded: input.recentlyLoaded } : {}),
        },
        ceilings: config.chunkCeilings,
        onRejection: (rejection) => rejected.write(rejection),
        ...(input.spoolDir ? { spoolDir: input.spoolDir } : {}),
      }),
    );
    const written = await rejected.close();
    builder
      .setInput(plan.summary.input)
      .setColumns(plan.summary.columns)
      .setCounts(plan.summary.counts)
      .setRejectedFile(
        written?.key ?? null,
        written?.truncated ? { rowsWritten: written.rows } : undefined,
      );
    for (const rejection of plan.rejections) builder.addRejection(rejection);
    return plan;
  } catch (error) {
    await rejected.abort();
    await plan?.remove();
    throw refusal(error);
  }
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
