import { Command } from 'commander';
import { profilesJsonSchema } from '../functions/profiles/json-schema.js';
import { ExitCode } from './errors.js';
import { folderProfile, problemLines, readProfilesFile } from './profiles-file.js';

/** `ucontact-loader profiles check|show|schema`: the campaign profiles file, before it is dropped. */
export function profilesCommand(): Command {
  const command = new Command('profiles').description(
    'Check the campaign profiles file (config/campaigns.json) and show what applies to a folder.',
  );
  command
    .command('check')
    .description('Check a profiles file: every problem, one line each with its JSON path.')
    .argument('<file>', 'the profiles file (JSON)')
    .action(async (file: string) => {
      const parsed = await readProfilesFile(file);
      if (!parsed.ok) {
        process.stdout.write(problemLines(parsed));
        process.exitCode = ExitCode.Failed;
        return;
      }
      const count = Object.keys(parsed.file.campaigns).length;
      const mode = parsed.file.strict ? 'strict' : 'not strict: other folders get the defaults';
      process.stdout.write(`${file}: valid, ${count} campaign profile(s), ${mode}\n`);
    });
  command
    .command('show')
    .description("Print the profile that applies to a folder's drops, after the defaults.")
    .argument('<file>', 'the profiles file (JSON)')
    .argument('<folder>', 'the folder under incoming/, as dropped')
    .option(
      '--campaign-suffix <suffix>',
      "the function's CAMPAIGN_SUFFIX: <-, -> or empty (added to a folder name ending in neither)",
      '',
    )
    .action(async (file: string, folder: string, flags: { campaignSuffix: string }) => {
      process.exitCode = await show(file, folder, flags.campaignSuffix);
    });
  command
    .command('schema')
    .description("Print the profiles file's JSON Schema (as in schemas/campaigns.schema.json).")
    .action(() => {
      process.stdout.write(`${JSON.stringify(profilesJsonSchema(), null, 2)}\n`);
    });
  return command;
}

async function show(file: string, folder: string, suffix: string): Promise<ExitCode> {
  const { profile, campaign } = await folderProfile(file, folder, suffix);
  const { name, source, ...rules } = profile;
  process.stdout.write(`${JSON.stringify({ name, source, ...rules, campaign }, null, 2)}\n`);
  return ExitCode.Ok;
}
