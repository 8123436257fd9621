import { Command, Option } from 'commander';
import { SimulatorProfile, TokenFormat } from '../simulator/answers.js';
import { FaultCall, FaultKind, parseFault } from '../simulator/faults.js';
import { DEFAULT_SIMULATOR_OPTIONS, startSimulator } from '../simulator/simulator.js';
import { UsageError } from './errors.js';

interface SimulateFlags {
  port: string;
  host: string;
  user: string;
  password: string;
  profile: SimulatorProfile;
  tokenFormat: TokenFormat;
  campaign: string[];
  fault: string[];
  maxFormBytes: string;
  retryAfter: string;
  quiet?: boolean;
  keepContent?: boolean;
}

const DEFAULT_PORT = 8765;
const [DEFAULT_USER] = DEFAULT_SIMULATOR_OPTIONS.users;

const collect = (value: string, previous: string[]) => [...previous, value];

function wholeNumber(name: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new UsageError(`--${name} must be a whole number from 0 to ${max} (got "${text}")`);
  }
  return Number(text);
}

/** `simulate`: runs the local uContact simulator until SIGINT or SIGTERM. */
export function simulateCommand(): Command {
  return new Command('simulate')
    .description('Run a local uContact API simulator to rehearse uploads (prints its base URL).')
    .option('--port <n>', 'port to listen on (0 picks a free one)', String(DEFAULT_PORT))
    .option('--host <address>', 'address to listen on', DEFAULT_SIMULATOR_OPTIONS.host)
    .option('--user <name>', 'API user that may log in', DEFAULT_USER.user)
    .option('--password <text>', "that user's password", DEFAULT_USER.password)
    .addOption(
      new Option('--profile <profile>', "that user's profile (decides the login answer's shape)")
        .choices(Object.values(SimulatorProfile))
        .default(DEFAULT_USER.profile),
    )
    .addOption(
      new Option('--token-format <format>', 'login answer: the JSON shape, or the token as text')
        .choices(Object.values(TokenFormat))
        .default(DEFAULT_SIMULATOR_OPTIONS.tokenFormat),
    )
    .option(
      '--campaign <name>',
      'a campaign uploadbase accepts (suffix <-, -> or none); repeatable (none: any campaign)',
      collect,
      [],
    )
    .option(
      '--fault <call:kind[:times]>',
      `inject a fault, e.g. uploadbase:timeout; repeatable. call: ${Object.values(FaultCall).join(', ')}; ` +
        `kind: ${Object.values(FaultKind).join(', ')} (the -after-load kinds on uploadbase only)`,
      collect,
      [],
    )
    .option(
      '--max-form-bytes <n>',
      'form bodies larger than this lose their fields',
      String(DEFAULT_SIMULATOR_OPTIONS.maxFormBytes),
    )
    .option(
      '--retry-after <seconds>',
      'Retry-After sent with the 429 and 503 faults',
      String(DEFAULT_SIMULATOR_OPTIONS.retryAfterSeconds),
    )
    .option('--quiet', 'do not log each call')
    .option(
      '--keep-content',
      "keep each base's text, so GET /_simulator/state?content=1 shows its lines",
    )
    .action(async (flags: SimulateFlags) => {
      const faults = flags.fault.map((text) => {
        try {
          return parseFault(text);
        } catch (error) {
          throw new UsageError((error as Error).message, { cause: error });
        }
      });
      const simulator = await startSimulator({
        port: wholeNumber('port', flags.port, 65_535),
        host: flags.host,
        users: [{ user: flags.user, password: flags.password, profile: flags.profile }],
        tokenFormat: flags.tokenFormat,
        campaigns: flags.campaign,
        anyCampaign: flags.campaign.length === 0,
        faults,
        maxFormBytes: wholeNumber('max-form-bytes', flags.maxFormBytes),
        retryAfterSeconds: wholeNumber('retry-after', flags.retryAfter),
        keepText: flags.keepContent === true,
        log: flags.quiet ? () => {} : (line) => process.stdout.write(`${line}\n`),
      });
      const campaigns = flags.campaign.length > 0 ? flags.campaign.join(', ') : 'any';
      process.stdout.write(`${simulator.url}\n`);
      process.stderr.write(
        `uContact simulator running: user ${flags.user} (${flags.profile}, token as ${flags.tokenFormat}), campaigns: ${campaigns}; ` +
          `state at ${simulator.url}_simulator/state; Ctrl-C stops it\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await simulator.close();
    });
}
