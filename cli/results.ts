import { Command, Option } from 'commander';
import { addBucketFlags } from './bucket-flags.js';
import { parseDuration } from './duration.js';
import { wholeNumberOption } from './engine-flags.js';
import { UsageError } from './errors.js';
import type { ResultsFlags } from './results-list.js';
import type { ShowFlags } from './results-show.js';

/** `ucontact-loader results --bucket B`: the latest files' outcomes, newest first; and `show`. */
export function resultsCommand(): Command {
  const command = new Command('results')
    .description('The latest files a deployed stack handled, newest first, from their manifests.')
    .option('--folder <name>', 'only files dropped in this campaign folder')
    .addOption(
      new Option(
        '--since <duration>',
        'only results written within this time (7d, 36h, 30m)',
      ).argParser(parseDuration),
    )
    .addOption(
      new Option(
        '--status <list>',
        'only these statuses, comma-separated: succeeded, partial, failed, rejected, skipped',
      ).argParser((text) => text.split(',').map((part) => part.trim().toLowerCase())),
    )
    .addOption(wholeNumberOption('--limit <n>', 'most files shown', 50))
    .option('--json', 'print {"manifests": [...]}, each as the function wrote it')
    // Options after `show` are show's own, not the listing's (the program enables this too).
    .enablePositionalOptions();
  // Not a required option: commander would then ask for it on `results show` too.
  addBucketFlags(command, false).action(async (flags: ResultsFlags) => {
    if (flags.bucket === undefined) {
      throw new UsageError("required option '--bucket <name>' not specified");
    }
    // Loaded here: the SDK takes most of a second, which other commands need not pay.
    const { listResults } = await import('./results-list.js');
    await listResults({ ...flags, bucket: flags.bucket });
  });
  return command.addCommand(resultsShowCommand());
}

/** `ucontact-loader results show <key>`: one file's outcome, its refused rows, or its page. */
function resultsShowCommand(): Command {
  const command = new Command('show')
    .description(
      "One file's outcome: give the dropped key (incoming/<folder>/<file>: its current version's " +
        'result, or its latest when the file is gone) or a manifest key; s3://<bucket>/<key> works too.',
    )
    .argument('<key>', 'incoming/<folder>/<file>, or results/.../manifest.json')
    .option('--json', 'print the manifest as the function wrote it')
    .option('--rejected <file>', 'download rejected.csv, every refused row, to this file')
    .option('--html <file>', 'download report.html, the page beside the manifest, to this file');
  return addBucketFlags(command, false).action(async (key: string, flags: ShowFlags) => {
    const { showResult } = await import('./results-show.js');
    process.exitCode = await showResult(key, flags);
  });
}
