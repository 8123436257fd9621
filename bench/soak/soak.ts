import { parseArgs } from 'node:util';
import { reportMarkdown, reportSoak } from './soak-report.js';
import { runSoak } from './soak-run.js';
import type { SoakOptions } from './soak-types.js';

/**
 * `npm run soak -- [--files 100] [--deliveries 3] [--seed 7] [--concurrency 4] [--aws moto]`:
 * loads generated files through the deployed path while killing the function and serving
 * uContact faults, then prints the table. Exit 0 when no contact was loaded twice or lost, 1
 * when one was, 2 for a wrong option or a run that could not finish.
 */
const USAGE =
  'usage: npm run soak -- [--files n] [--deliveries n] [--seed n] [--concurrency n] ' +
  '[--max-records n] [--crash-rate 0..1] [--fault-rate 0..1] [--function-timeout s] ' +
  '[--settle-minutes n] [--aws auto|moto|embedded]';

/** Sized to run in a few minutes on a loaded 2-core machine. */
const DEFAULTS = {
  files: 20,
  deliveries: 3,
  seed: 7,
  concurrency: 4,
  campaigns: ['Soak Norte', 'Soak Sur', 'Soak Este'],
  maxRecords: 100,
  maxChunks: 5,
  crashRate: 0.25,
  faultRate: 0.3,
  functionTimeoutSeconds: 45,
  settleMinutes: 30,
  aws: 'auto',
} as const;

function readOptions(argv: readonly string[]): SoakOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      files: { type: 'string' },
      deliveries: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      'max-records': { type: 'string' },
      'crash-rate': { type: 'string' },
      'fault-rate': { type: 'string' },
      'function-timeout': { type: 'string' },
      'settle-minutes': { type: 'string' },
      aws: { type: 'string' },
    },
    strict: true,
  });
  const number = (name: keyof typeof values, fallback: number, min: number, max: number) => {
    const text = values[name];
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new Error(`--${name} must be a number from ${min} to ${max}`);
    }
    return value;
  };
  const aws = values.aws ?? DEFAULTS.aws;
  if (aws !== 'auto' && aws !== 'moto' && aws !== 'embedded') {
    throw new Error('--aws must be auto, moto or embedded');
  }
  const functionTimeoutSeconds = number(
    'function-timeout',
    DEFAULTS.functionTimeoutSeconds,
    30,
    900,
  );
  return {
    ...DEFAULTS,
    files: number('files', DEFAULTS.files, 1, 10_000),
    deliveries: number('deliveries', DEFAULTS.deliveries, 1, 10),
    seed: number('seed', DEFAULTS.seed, 0, 2 ** 32 - 1),
    concurrency: number('concurrency', DEFAULTS.concurrency, 1, 64),
    maxRecords: number('max-records', DEFAULTS.maxRecords, 1, 100_000),
    crashRate: number('crash-rate', DEFAULTS.crashRate, 0, 1),
    faultRate: number('fault-rate', DEFAULTS.faultRate, 0, 1),
    functionTimeoutSeconds,
    // As the stack's queue outlasts the function, so a crashed run's claim is stale on return.
    visibilitySeconds: functionTimeoutSeconds + 15,
    settleMinutes: number('settle-minutes', DEFAULTS.settleMinutes, 1, 600),
    aws,
  };
}

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const run = await runSoak(options);
  const report = reportSoak(run);
  process.stdout.write(`${reportMarkdown(report, run, options)}\n`);
  process.stdout.write(
    report.passed
      ? 'soak passed: no contact loaded twice, none lost\n'
      : 'soak FAILED: a contact was loaded twice or lost (see above)\n',
  );
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`soak: ${message}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(2);
  },
);
