import { createRequire } from 'node:module';
import { type Command, Command as CommandClass } from 'commander';
import { dropCommand } from './drop.js';
import { reportError } from './errors.js';
import { localCommand } from './local.js';
import { profilesCommand } from './profiles.js';
import { resultsCommand } from './results.js';
import { simulateCommand } from './simulate.js';
import { uploadCommand } from './upload.js';
import { validateCommand } from './validate.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new CommandClass('ucontact-loader')
  .description('Check partner contact files and load them into uContact dialer campaigns.')
  .version(version)
  // Each command's options follow its name (`results show` and `results` both take --bucket).
  .enablePositionalOptions();

// One line per command: import its factory above and add it here.
program.addCommand(validateCommand());
program.addCommand(simulateCommand());
program.addCommand(uploadCommand());
program.addCommand(localCommand());
program.addCommand(dropCommand());
program.addCommand(resultsCommand());
program.addCommand(profilesCommand());

/** Commander settings every command needs, applied after all commands are added. */
function applyDefaults(command: Command): void {
  // Commander exits 1 on its own errors; ours are usage errors (exit 2), mapped in reportError.
  command.exitOverride();
  for (const sub of command.commands) applyDefaults(sub);
}

applyDefaults(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}
