import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { REQUEST_OVERHEAD_RESERVE } from '../functions/contacts/chunk.js';
import { UnusableFileError } from '../functions/contacts/errors.js';
import {
  type PlannedChunk,
  planUpload,
  type UploadPlan,
} from '../functions/pipeline/plan-upload.js';
import { DEFAULT_CLIENT_OPTIONS, UcontactClient } from '../functions/ucontact/client.js';
import { UcontactError } from '../functions/ucontact/errors.js';
import { assertUploadOverheadFits } from '../functions/ucontact/form.js';
import { DEFAULT_RETRY_POLICY } from '../functions/ucontact/retry.js';
import { runUploadSession, type SessionReport } from '../functions/ucontact/upload-session.js';
import {
  addEngineFlags,
  chunkCeilingsFrom,
  type EngineFlags,
  engineOptionsFrom,
  wholeNumberOption,
} from './engine-flags.js';
import { ExitCode, UsageError } from './errors.js';
import { readPassword } from './read-password.js';
import { reportLanguage, uploadManifest, writeReportHtml } from './report-page.js';
import {
  addSuppressionFlags,
  type SuppressionFlags,
  suppressionFrom,
} from './suppression-flags.js';
import { checkOutputPaths } from './text-file.js';
import { sessionSummary, uploadLines, uploadText } from './upload-report.js';
import { ValidateReport } from './validate-report.js';

interface UploadFlags extends EngineFlags, SuppressionFlags {
  baseUrl: string;
  user: string;
  json?: boolean;
  loginPath: string;
  callTimeout: number;
  uploadTimeout: number;
  attempts: number;
  password?: string;
  html?: string;
}

/** A CLI run has no Lambda deadline; calls are still bounded by their own timeouts. */
const RUN_BUDGET_MS = 24 * 60 * 60 * 1000;

/** `ucontact-loader upload <file>`: validate, then load every chunk in one uContact session. */
export function uploadCommand(): Command {
  const command = new Command('upload')
    .description(
      'Check a contact file and load it into a uContact campaign: one session, every chunk, then EndSession. ' +
        'The password comes from UCONTACT_PASSWORD or a prompt.',
    )
    .argument('<file>', 'the contact file (.csv, .txt or .csv.gz)')
    .requiredOption(
      '--base-url <url>',
      'uContact address, https://<tenant>.ucontactcloud.com/ (http only on loopback)',
    )
    .requiredOption('--user <name>', 'API user with a Supervisor or Administrator profile')
    .option('--json', 'print one JSON object: validate\'s, plus "uploads" and "session"')
    .option('--html <file>', 'write the result as a page to read (REPORT_LANGUAGE: es or en)')
    .option(
      '--login-path <path>',
      'login path under the base URL',
      DEFAULT_CLIENT_OPTIONS.loginPath,
    )
    .addOption(
      wholeNumberOption(
        '--call-timeout <ms>',
        'timeout of one login or EndSession request',
        DEFAULT_CLIENT_OPTIONS.callTimeoutMs,
      ),
    )
    .addOption(
      wholeNumberOption(
        '--upload-timeout <ms>',
        'timeout of one uploadbase request',
        DEFAULT_CLIENT_OPTIONS.uploadTimeoutMs,
      ),
    )
    .addOption(
      wholeNumberOption(
        '--attempts <n>',
        'attempts per call, the first included',
        DEFAULT_RETRY_POLICY.maxAttempts,
      ),
    )
    .addOption(new Option('--password <text>').hideHelp());
  return addEngineFlags(addSuppressionFlags(command)).action(
    async (file: string, flags: UploadFlags) => {
      process.exitCode = await upload(file, flags);
    },
  );
}

async function upload(file: string, flags: UploadFlags): Promise<ExitCode> {
  if (flags.password !== undefined) {
    throw new UsageError(
      'The password is never taken as a flag (shell history and process lists would keep it): set UCONTACT_PASSWORD or answer the prompt',
    );
  }
  const json = flags.json === true;
  const startedAt = new Date();
  const client = buildClient(flags);
  const size = await checkFile(file);
  // The size lets the duplicate check reserve its table once instead of regrowing.
  const engine = await engineOptionsFrom(file, flags);
  const { set: suppression, warnings } = await suppressionFrom(flags, engine);
  const options = { ...engine, sizeHint: size, ...(suppression ? { suppression } : {}) };
  await checkOutputPaths(file, [{ flag: '--html', path: flags.html }]);
  const page = flags.html && {
    path: flags.html,
    language: reportLanguage(),
    checkOnly: false,
    rejectedPath: undefined,
    read: { file, size, campaign: options.campaign, startedAt },
  };
  const ceilings = chunkCeilingsFrom(flags);
  const report = new ValidateReport(file, options.campaign, ceilings);
  let plan: UploadPlan | undefined;
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(
      'Stopping after the current chunk, then ending the session (Ctrl-C again quits now)\n',
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    try {
      plan = await planUpload(createReadStream(file), {
        engine: options,
        ceilings,
        onChunk: (chunk) => report.addChunk(chunk),
      });
      report.rejections.push(...plan.rejections);
      plan.summary.warnings.push(...warnings);
    } catch (error) {
      if (!(error instanceof UnusableFileError)) throw error;
      report.printRefusal(error, json);
      if (page)
        await writeReportHtml(
          page.path,
          uploadManifest(page.read, { refusal: error }, [], undefined, false),
          page,
        );
      return ExitCode.Failed;
    }
    const total = plan.chunks.length;
    const filenameOf = (chunk: PlannedChunk) => chunk.filename;
    let session: SessionReport | undefined;
    if (total > 0) {
      for (const chunk of plan.chunks) {
        const fields = {
          filename: filenameOf(chunk),
          campaign: options.campaign,
          cant: chunk.records,
          username: flags.user,
        };
        try {
          assertUploadOverheadFits(fields, REQUEST_OVERHEAD_RESERVE);
        } catch (error) {
          throw new UsageError((error as Error).message, { cause: error });
        }
      }
      // Asked only now: a file with nothing to upload never needs it.
      const password = await readPassword(flags.user);
      session = await runUploadSession({
        client,
        getCredentials: () => ({ user: flags.user, password }),
        bases: plan.bases(options.campaign, { shouldStop: () => interrupted }),
        deadline: Date.now() + RUN_BUDGET_MS,
        overheadReserveBytes: REQUEST_OVERHEAD_RESERVE,
        // Progress, retries and new logins show on a terminal; the final report says the rest.
        logger: {
          info: () => {},
          warn: (message, extra) => {
            if (process.stderr.isTTY) process.stderr.write(`${message}${describe(extra)}\n`);
          },
        },
        onResult: (result) => {
          if (process.stderr.isTTY) {
            process.stderr.write(`part ${result.part} of ${total}: ${result.outcome}\n`);
          }
        },
      });
    }
    const lines = uploadLines(plan.chunks, filenameOf, session);
    if (json) {
      const result = {
        ...report.result(plan.summary),
        uploads: lines,
        session: sessionSummary(session, interrupted && lines.some((line) => !line.sent)),
      };
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      report.print(plan.summary, false);
      if (session)
        process.stdout.write(
          uploadText(
            lines,
            session,
            `${options.campaign} at ${client.baseUrl.origin} as ${flags.user}`,
            interrupted,
          ),
        );
    }
    if (page) {
      const found = { summary: plan.summary, rejections: plan.rejections };
      const manifest = uploadManifest(page.read, found, lines, session, interrupted);
      await writeReportHtml(page.path, manifest, page);
    }
    if (total === 0)
      process.stderr.write('error: nothing to upload: no contact in the file was accepted\n');
    else if (session && !session.login.ok)
      process.stderr.write(
        `error: uContact login failed (${session.login.error?.code}): ${session.login.error?.message}\n`,
      );
    const allAccepted = total > 0 && lines.every((line) => line.outcome === 'accepted');
    return allAccepted ? ExitCode.Ok : ExitCode.Failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await plan?.remove();
  }
}

function buildClient(flags: UploadFlags): UcontactClient {
  try {
    return new UcontactClient({
      baseUrl: flags.baseUrl,
      loginPath: flags.loginPath,
      callTimeoutMs: flags.callTimeout,
      uploadTimeoutMs: flags.uploadTimeout,
      retry: { maxAttempts: flags.attempts },
    });
  } catch (error) {
    if (error instanceof UcontactError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/** Returns the file's size; a missing file or a folder is a usage error. */
async function checkFile(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code;
    throw new UsageError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`,
      { cause: error },
    );
  }
}

function describe(extra: Readonly<Record<string, unknown>> | undefined): string {
  if (!extra) return '';
  const pairs = Object.entries(extra).map(([key, value]) => `${key}=${String(value)}`);
  return pairs.length > 0 ? ` (${pairs.join(', ')})` : '';
}
