import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command } from 'commander';
import { Chunker } from '../functions/contacts/chunk.js';
import type { Contact, Rejection } from '../functions/contacts/contact.js';
import { UnusableFileError } from '../functions/contacts/errors.js';
import {
  type ContactSink,
  type EngineSummary,
  processContacts,
} from '../functions/contacts/process-contacts.js';
import {
  REJECTED_CSV_HEADER,
  REJECTED_CSV_MAX_BYTES,
  RejectedRowsCeiling,
} from '../functions/contacts/rejected-rows-csv.js';
import { uploadedName } from '../functions/pipeline/plan-upload.js';
import { baseFilename } from '../functions/ucontact/base-filename.js';
import { type ChunkOutcome, UploadOutcome } from '../functions/ucontact/results.js';
import {
  addEngineFlags,
  chunkCeilingsFrom,
  describeFsError,
  type EngineFlags,
  engineOptionsFrom,
} from './engine-flags.js';
import { ExitCode, UsageError } from './errors.js';
import { Progress } from './progress.js';
import { checkManifest, reportLanguage, writeReportHtml } from './report-page.js';
import {
  addSuppressionFlags,
  type SuppressionFlags,
  suppressionFrom,
} from './suppression-flags.js';
import { checkOutputPaths, openTextFile, type TextFileWriter } from './text-file.js';
import { ValidateReport } from './validate-report.js';

const MIB = 1024 * 1024;
/** Rejections kept for the summary and `--json`; `--rejected` writes them all. */
const KEPT_REJECTIONS = 100;
/** Below this size a run takes about a second: no progress bar. */
const PROGRESS_MIN_BYTES = 16 * MIB;

interface ValidateFlags extends EngineFlags, SuppressionFlags {
  json?: boolean;
  out?: string;
  rejected?: string;
  html?: string;
}

/** `ucontact-loader validate <file> --campaign <name>`: what an upload would do, without uploading. */
export function validateCommand(): Command {
  const command = new Command('validate')
    .description('Check a contact file and show what an upload would load, refuse and send.')
    .argument('<file>', 'the contact file (.csv, .txt or .csv.gz)')
    .option('--json', 'print one JSON object on stdout instead of the summary')
    .option('--out <file>', 'write the accepted contacts as uContact lines')
    .option('--rejected <file>', 'write the refused rows as CSV (line,code,message,original)')
    .option('--html <file>', 'write the result as a page to read (REPORT_LANGUAGE: es or en)');
  return addEngineFlags(addSuppressionFlags(command)).action(
    async (file: string, flags: ValidateFlags) => {
      process.exitCode = await validate(file, flags);
    },
  );
}

async function validate(file: string, flags: ValidateFlags): Promise<ExitCode> {
  const startedAt = new Date();
  const size = await fileSize(file);
  const engine = await engineOptionsFrom(file, flags);
  const { set: suppression, warnings } = await suppressionFrom(flags, engine);
  const options = { ...engine, sizeHint: size, ...(suppression ? { suppression } : {}) };
  const ceilings = chunkCeilingsFrom(flags);
  await checkOutputPaths(file, [
    { flag: '--out', path: flags.out },
    { flag: '--rejected', path: flags.rejected },
    { flag: '--html', path: flags.html },
  ]);
  const page = flags.html && {
    path: flags.html,
    language: reportLanguage(),
    read: { file, size, campaign: options.campaign, startedAt },
  };
  const report = new ValidateReport(file, options.campaign, ceilings);
  const sink = new ValidateSink(new Chunker(ceilings), report);
  try {
    sink.out = flags.out === undefined ? undefined : await openTextFile(flags.out);
    sink.rejected = flags.rejected === undefined ? undefined : await openTextFile(flags.rejected);
    sink.rejected?.write(REJECTED_CSV_HEADER);
    const progress =
      process.stderr.isTTY && size >= PROGRESS_MIN_BYTES
        ? new Progress(size, 'validating')
        : undefined;
    let summary: EngineSummary;
    try {
      summary = await processContacts(
        createReadStream(file),
        options,
        sink,
        progress && ((bytes) => progress.update(bytes)),
      );
    } finally {
      progress?.clear();
    }
    summary.warnings.push(...warnings);
    sink.finish();
    await Promise.all([sink.out?.close(), sink.rejected?.close()]);
    report.print(summary, flags.json === true);
    if (page) {
      const chunks = checkChunks(
        report.result(summary).chunks,
        uploadedName(basename(file), summary),
      );
      const manifest = checkManifest(page.read, { summary, rejections: report.rejections }, chunks);
      await writeReportHtml(page.path, manifest, {
        ...page,
        checkOnly: true,
        rejectedPath: flags.rejected,
      });
    }
    if (sink.ceiling.truncated)
      process.stderr.write(`${cutNotice(sink.ceiling, flags.rejected!)}\n`);
    return summary.counts.accepted > 0 ? ExitCode.Ok : ExitCode.Failed;
  } catch (error) {
    // A file refused halfway must not leave an output that looks complete.
    await Promise.all([sink.out?.discard(), sink.rejected?.discard()]);
    if (!(error instanceof UnusableFileError)) throw error;
    report.printRefusal(error, flags.json === true);
    if (page) {
      const manifest = checkManifest(page.read, { refusal: error }, []);
      await writeReportHtml(page.path, manifest, {
        ...page,
        checkOnly: true,
        rejectedPath: undefined,
      });
    }
    return ExitCode.Failed;
  }
}

/** Collects what the summary needs; writes `--out` and `--rejected` as the engine goes. */
class ValidateSink implements ContactSink {
  out: TextFileWriter | undefined;
  rejected: TextFileWriter | undefined;
  readonly ceiling = new RejectedRowsCeiling();
  private readonly chunker: Chunker;
  private readonly report: ValidateReport;

  constructor(chunker: Chunker, report: ValidateReport) {
    this.chunker = chunker;
    this.report = report;
  }

  accept(line: string, _contact: Contact): void | Promise<void> {
    const done = this.chunker.add(line);
    if (done) this.report.addChunk(done);
    return this.out?.write(line + '\n');
  }

  reject(rejection: Rejection): void | Promise<void> {
    if (this.report.rejections.length < KEPT_REJECTIONS) this.report.rejections.push(rejection);
    if (this.rejected === undefined) return;
    const admitted = this.ceiling.admit(rejection);
    return admitted && this.rejected.write(admitted.row);
  }

  finish(): void {
    const last = this.chunker.finish();
    if (last) this.report.addChunk(last);
  }
}

/** The chunks an upload would send, named as it would name them, with no outcome yet. */
function checkChunks(
  chunks: readonly { readonly records: number; readonly bytes: number }[],
  name: string,
): ChunkOutcome[] {
  return chunks.map((chunk, i) => ({
    part: i + 1,
    filename: baseFilename(name, i + 1, chunks.length),
    records: chunk.records,
    bytes: chunk.bytes,
    outcome: UploadOutcome.Failed,
    attempts: 0,
    durationMs: 0,
  }));
}

/** The line saying `--rejected` holds only the first refused rows. */
function cutNotice(ceiling: RejectedRowsCeiling, file: string): string {
  const mib = REJECTED_CSV_MAX_BYTES / (1024 * 1024);
  const all = ceiling.rowsWritten + ceiling.rowsLeftOut;
  return `${file} holds the first ${ceiling.rowsWritten} of ${all} refused rows: it stops at ${mib} MiB.`;
}

/** The size of a file to read; a missing file or a folder is a usage error. */
export async function fileSize(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${describeFsError(error)}`, { cause: error });
  }
}
