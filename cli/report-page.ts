import { dirname, relative, sep } from 'node:path';
import { SETTINGS } from '../functions/config/settings.js';
import type { Rejection } from '../functions/contacts/contact.js';
import type { UnusableFileError } from '../functions/contacts/errors.js';
import type { EngineSummary } from '../functions/contacts/process-contacts.js';
import { noValidContacts } from '../functions/pipeline/file-run.js';
import {
  type Manifest,
  ManifestBuilder,
  ManifestStatus,
  statusFromUploads,
} from '../functions/pipeline/manifest.js';
import { sessionEnding } from '../functions/pipeline/run-ending.js';
import { type ReportLanguage, renderReport } from '../functions/report/render-report.js';
import type { ChunkOutcome, ErrorSummary } from '../functions/ucontact/results.js';
import type { SessionReport } from '../functions/ucontact/upload-session.js';
import { UsageError } from './errors.js';
import { openTextFile } from './text-file.js';
import { INTERRUPTED } from './upload-report.js';

/**
 * `--html <file>` for `validate` and `upload`: what the command found, as a manifest like the
 * function's (the file's path as its key, no bucket), drawn by the function's own renderReport.
 */

/** What the command knows of the file before any upload. */
export interface LocalRead {
  readonly file: string;
  readonly size: number;
  readonly campaign: string;
  readonly startedAt: Date;
}

/** The engine's summary and first refused rows, or the engine's refusal of the whole file. */
export type ReadOutcome =
  | { readonly summary: EngineSummary; readonly rejections: readonly Rejection[] }
  | { readonly refusal: UnusableFileError };

function builderFor(read: LocalRead, outcome: ReadOutcome): ManifestBuilder {
  const builder = new ManifestBuilder({
    source: { bucket: '', key: read.file, size: read.size },
    campaign: read.campaign,
    startedAt: read.startedAt,
  });
  if ('refusal' in outcome) return builder;
  const { summary } = outcome;
  builder
    .setInput(summary.input)
    .setColumns(summary.columns)
    .setCounts(summary.counts)
    .setRejectionCodes(summary.rejectionCodes)
    .setSuppression(summary.suppression);
  for (const rejection of outcome.rejections) builder.addRejection(rejection);
  for (const warning of summary.warnings) builder.addWarning(warning);
  return builder;
}

/** A file refused as a whole, or with nothing to load, ends `rejected`, as in the function. */
function rejection(outcome: ReadOutcome): { status: ManifestStatus; error: ErrorSummary } | null {
  if ('refusal' in outcome) {
    const { code, message } = outcome.refusal;
    return { status: ManifestStatus.Rejected, error: { code, message } };
  }
  if (outcome.summary.counts.accepted > 0) return null;
  const ending = noValidContacts(outcome.summary.counts.rows);
  return { status: ManifestStatus.Rejected, error: ending.error! };
}

/** `validate`: the chunks an upload would send, and no outcome (the page says nothing was sent). */
export function checkManifest(
  read: LocalRead,
  outcome: ReadOutcome,
  chunks: readonly ChunkOutcome[],
): Manifest {
  const builder = builderFor(read, outcome);
  for (const chunk of chunks) builder.addUpload(chunk);
  return builder.build(rejection(outcome) ?? { status: ManifestStatus.Succeeded });
}

/** `upload`: every chunk's outcome and how the session ended, with the function's statuses. */
export function uploadManifest(
  read: LocalRead,
  outcome: ReadOutcome,
  uploads: readonly ChunkOutcome[],
  session: SessionReport | undefined,
  interrupted: boolean,
): Manifest {
  const builder = builderFor(read, outcome);
  const refused = rejection(outcome);
  if (refused || !session) return builder.build(refused ?? {});
  for (const { part, filename, records, bytes, outcome, attempts, durationMs } of uploads)
    builder.addUpload({ part, filename, records, bytes, outcome, attempts, durationMs });
  builder.setSession(session.endSession);
  const error = session.login.ok
    ? (sessionEnding(session, uploads, '').error ??
      (interrupted && uploads.some((u) => u.attempts === 0)
        ? { code: INTERRUPTED.reason.toUpperCase(), message: INTERRUPTED.message }
        : undefined))
    : (session.login.error ?? { code: 'AUTH_FAILED', message: 'uContact refused the login' });
  return builder.build({
    status: statusFromUploads(uploads, error !== undefined),
    ...(error ? { error } : {}),
  });
}

/** REPORT_LANGUAGE, read as the function reads it; a wrong value is a usage error. */
export function reportLanguage(env: NodeJS.ProcessEnv = process.env): ReportLanguage {
  const setting = SETTINGS.reportLanguage;
  const parsed = setting.parse(env[setting.name] || setting.default, setting.default);
  if ('problem' in parsed)
    throw new UsageError(`Environment variable ${setting.name} ${parsed.problem}`);
  return parsed.value;
}

/**
 * Writes the page to `path` (whole or not at all). The link to the refused rows points to
 * `rejectedPath`, relative to the page, when the command wrote them. Throws UsageError when the
 * file cannot be written.
 */
export async function writeReportHtml(
  path: string,
  manifest: Manifest,
  options: {
    readonly language: ReportLanguage;
    readonly checkOnly: boolean;
    readonly rejectedPath: string | undefined;
  },
): Promise<void> {
  const rejectedHref =
    options.rejectedPath === undefined
      ? null
      : relative(dirname(path), options.rejectedPath).split(sep).map(encodeURIComponent).join('/');
  const page = renderReport(manifest, {
    language: options.language,
    checkOnly: options.checkOnly,
    rejectedHref,
  });
  const out = await openTextFile(path);
  await out.write(page);
  await out.close();
}
