import { Command, Option } from 'commander';
import { addBucketFlags } from './bucket-flags.js';
import type { DropFlags } from './drop-file.js';
import { parseDuration } from './duration.js';

/** `ucontact-loader drop <file> --bucket B --folder F`: check, upload to incoming/, and wait. */
export function dropCommand(): Command {
  const command = new Command('drop')
    .description(
      "Check a contact file, then put it into a deployed stack's bucket at incoming/<folder>/<name>; " +
        'with --wait, print its result when the function has handled it.',
    )
    .argument('<file>', 'the contact file (.csv, .txt, .csv.gz or .xlsx)')
    .requiredOption('--folder <name>', 'the campaign folder under incoming/ (the campaign)')
    .option('--wait', 'wait for the result and print it; exit 0 only when it succeeded')
    .addOption(
      new Option('--timeout <duration>', 'how long --wait waits (90s, 15m, 1h)')
        .argParser(parseDuration)
        .default(15 * 60_000, '15m'),
    )
    .option('--force', 'upload even when the check finds nothing loadable')
    .option('--json', 'with --wait: print the manifest as the function wrote it');
  return addBucketFlags(command).action(async (file: string, flags: DropFlags) => {
    // Loaded here: the SDK takes most of a second, which other commands need not pay.
    const { drop } = await import('./drop-file.js');
    process.exitCode = await drop(file, flags);
  });
}
