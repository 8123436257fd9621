import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { Manifest } from '../functions/pipeline/manifest.js';
import type { LocalRunResult } from '../local-aws/local-run.js';
import { parseFault } from '../simulator/faults.js';
import { UsageError } from './errors.js';

interface LocalFlags {
  file: string[];
  key: string[];
  event?: string;
  deliver: string;
  concurrent?: boolean;
  fault: string[];
  json?: boolean;
  dialerContent?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `local`: runs the function end to end on embedded parts and reports what it wrote. */
export function localCommand(): Command {
  return new Command('local')
    .description(
      'Run the S3-triggered function on this machine: embedded S3, uContact simulator and local ' +
        'Secrets Manager. With no options, drops the sample files of events/files/.',
    )
    .option('--file <path>', 'a contact file to put (needs --key); repeatable', collect, [])
    .option(
      '--key <s3 key>',
      'the exact key to put it at, e.g. "incoming/Ventas Norte/lista.csv"; one per --file, in order',
      collect,
      [],
    )
    .option('--event <json file>', 'a Lambda event (SQS or S3) to deliver as it is')
    .option('--deliver <n>', 'deliver each event this many times', '1')
    .option(
      '--concurrent',
      'deliver all events at once instead of one after another, in the order given',
    )
    .option(
      '--fault <call:kind[:times]>',
      'simulator fault, e.g. uploadbase:timeout; repeatable',
      collect,
      [],
    )
    .option('--json', 'print { "manifests": [...], "dialer": <simulator state> }')
    .option('--dialer-content', "add each base's lines to the dialer state (with --json)")
    .action(async (flags: LocalFlags) => {
      if (flags.file.length !== flags.key.length) {
        throw new UsageError(
          '--file and --key go together, one --key per --file: each file is put at exactly its key',
        );
      }
      if (!/^[1-9]\d{0,3}$/.test(flags.deliver)) {
        throw new UsageError(
          `--deliver must be a whole number from 1 to 9999 (got "${flags.deliver}")`,
        );
      }
      for (const fault of flags.fault) {
        try {
          parseFault(fault);
        } catch (error) {
          throw new UsageError((error as Error).message, { cause: error });
        }
      }
      const event = flags.event === undefined ? undefined : await readEventFile(flags.event);
      for (const file of flags.file) {
        await access(file, constants.R_OK).catch((error: unknown) => {
          throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, {
            cause: error,
          });
        });
      }
      const drops = flags.file.map((file, i) => ({ file, key: flags.key[i]! }));
      // Loaded here: the embedded S3 and the SDK take most of a second, which other commands need not pay.
      const { runLocal } = await import('../local-aws/local-run.js');
      const result = await runLocal({
        ...(drops.length > 0 ? { drops } : {}),
        dialerContent: flags.dialerContent === true,
        ...(event !== undefined ? { event } : {}),
        deliver: Number(flags.deliver),
        concurrent: flags.concurrent === true,
        faults: flags.fault,
        // Function log lines only when asked for, on stderr: stdout holds the report.
        ...(process.env.POWERTOOLS_LOG_LEVEL
          ? { logLine: (line: string) => process.stderr.write(`${line}\n`) }
          : {}),
      });
      if (flags.json) {
        const manifests = result.manifests.map((m) => m.manifest);
        process.stdout.write(`${JSON.stringify({ manifests, dialer: result.dialer }, null, 2)}\n`);
      } else {
        process.stdout.write(localReport(result));
      }
    });
}

async function readEventFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON`, { cause: error });
  }
}

/** The readable report: per manifest its status, counts, chunks and where it is; then the dialer. */
export function localReport(result: LocalRunResult): string {
  const lines: string[] = [];
  const where = (key: string) => `s3://${result.bucket}/${key}`;
  if (result.manifests.length === 0) lines.push('No manifest was written.');
  for (const { key, manifest } of result.manifests) {
    lines.push(`${manifest.source.key}: ${manifest.status}`);
    lines.push(`  ${countsLine(manifest)}`);
    if (manifest.uploads.length > 0) lines.push(`  ${chunksLine(manifest)}`);
    if (manifest.error) lines.push(`  error: ${manifest.error.code}: ${manifest.error.message}`);
    lines.push(`  manifest: ${where(key)}`);
    if (manifest.rejectedFile) lines.push(`  refused rows: ${where(manifest.rejectedFile)}`);
    const cut = manifest.rejectedFileTruncated;
    if (cut) lines.push(`  (the first ${cut.rowsWritten} only: the file stops at its ceiling)`);
  }
  const { dialer } = result;
  const contacts = dialer.bases.reduce((sum, base) => sum + base.records, 0);
  lines.push(
    `uContact simulator: ${dialer.bases.length} base(s) received, ${contacts} contacts, ` +
      `${dialer.openSessions} session(s) left open`,
  );
  const retried = result.responses.reduce((sum, r) => sum + r.batchItemFailures.length, 0);
  if (retried > 0)
    lines.push(`${retried} message(s) would be delivered again (batch item failures)`);
  return `${lines.join('\n')}\n`;
}

function countsLine(manifest: Manifest): string {
  const c = manifest.counts;
  return (
    `rows ${c.rows}: ${c.accepted} accepted (${c.modified} modified), ` +
    `${c.rejected} refused (${c.duplicates} duplicates` +
    (manifest.reloadWindow ? `, ${c.recentlyLoaded} recently loaded` : '') +
    `); ${c.uploaded} uploaded`
  );
}

function chunksLine(manifest: Manifest): string {
  const by = (outcome: string) => manifest.uploads.filter((u) => u.outcome === outcome).length;
  const parts = [`${by('accepted')} accepted`];
  if (by('failed') > 0) parts.push(`${by('failed')} failed`);
  if (by('unknown') > 0) parts.push(`${by('unknown')} unknown`);
  return `chunks: ${manifest.uploads.length} (${parts.join(', ')})`;
}
