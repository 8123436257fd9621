import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { LocalRunResult } from '../local-aws/local-run.js';
import { MOTO_INSTALL_HINT } from '../local-aws/moto/errors.js';
import { findMotoServer } from '../local-aws/moto/moto-server.js';
import { parseFault } from '../simulator/faults.js';
import { UsageError } from './errors.js';
import { manifestLines } from './manifest-report.js';

interface LocalFlags {
  file: string[];
  key: string[];
  event?: string;
  deliver: string;
  concurrent?: boolean;
  fault: string[];
  put: string[];
  json?: boolean;
  dialerContent?: boolean;
  aws: string;
}

/** Where `local` runs the AWS side. */
const LocalAws = { Embedded: 'embedded', Moto: 'moto' } as const;
type LocalAws = (typeof LocalAws)[keyof typeof LocalAws];

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
    .option(
      '--put <key=file>',
      'put a file at a key before the drops (e.g. config/campaigns.json=campaigns.json); repeatable',
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
    .option(
      '--aws <kind>',
      'embedded: fauxqs and local stand-ins, in-process; moto: moto_server, S3 notifications into SQS and the built bundle',
      LocalAws.Embedded,
    )
    .action(async (flags: LocalFlags) => {
      const aws = checkAws(flags);
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
      const puts = await Promise.all(flags.put.map(readPut));
      const event = flags.event === undefined ? undefined : await readEventFile(flags.event);
      for (const file of flags.file) await assertReadable(file);
      const drops = flags.file.map((file, i) => ({ file, key: flags.key[i]! }));
      const common = {
        ...(drops.length > 0 ? { drops } : {}),
        puts,
        deliver: Number(flags.deliver),
        concurrent: flags.concurrent === true,
        faults: flags.fault,
        // Function log lines only when asked for, on stderr: stdout holds the report.
        ...(process.env.POWERTOOLS_LOG_LEVEL
          ? { logLine: (line: string) => process.stderr.write(`${line}\n`) }
          : {}),
      };
      // Loaded here: the embedded S3 and the SDK take most of a second, which other commands need not pay.
      const result =
        aws === LocalAws.Moto
          ? await (await import('../local-aws/moto/moto-local-run.js')).runLocalOnMoto(common)
          : await (await import('../local-aws/local-run.js')).runLocal({
              ...common,
              dialerContent: flags.dialerContent === true,
              ...(event !== undefined ? { event } : {}),
            });
      if (flags.json) {
        const manifests = result.manifests.map((m) => m.manifest);
        process.stdout.write(`${JSON.stringify({ manifests, dialer: result.dialer }, null, 2)}\n`);
      } else {
        process.stdout.write(localReport(result));
      }
    });
}

/** The `--aws` choice, checked: moto must be installed, and takes no `--event`. */
function checkAws(flags: LocalFlags): LocalAws {
  if (flags.aws === LocalAws.Embedded) return LocalAws.Embedded;
  if (flags.aws !== LocalAws.Moto) {
    throw new UsageError(`--aws must be embedded or moto (got "${flags.aws}")`);
  }
  if (flags.event !== undefined) {
    throw new UsageError('--event cannot go with --aws moto: there, moto itself writes the events');
  }
  if (flags.dialerContent) {
    throw new UsageError('--dialer-content goes with --aws embedded only');
  }
  if (findMotoServer() === undefined) {
    throw new UsageError(
      `--aws moto needs moto_server, which is not on PATH; ${MOTO_INSTALL_HINT}`,
    );
  }
  return LocalAws.Moto;
}

/** `--put <key>=<file>`: the key is what comes before the first `=`. */
async function readPut(value: string): Promise<{ key: string; file: string }> {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) {
    throw new UsageError(
      `--put takes <key>=<file>, e.g. config/campaigns.json=campaigns.json (got "${value}")`,
    );
  }
  const file = value.slice(at + 1);
  await assertReadable(file);
  return { key: value.slice(0, at), file };
}

/** Throws UsageError when `file` cannot be read. */
async function assertReadable(file: string): Promise<void> {
  await access(file, constants.R_OK).catch((error: unknown) => {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
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
  if (result.manifests.length === 0) lines.push('No manifest was written.');
  for (const { key, manifest } of result.manifests) {
    lines.push(...manifestLines(result.bucket, key, manifest));
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
