import { UsageError } from './errors.js';

export const PASSWORD_ENV = 'UCONTACT_PASSWORD';

/**
 * The uContact password: from UCONTACT_PASSWORD, else asked for on the terminal without echo.
 * Throws UsageError when neither is possible (no variable and no terminal) or the prompt is
 * interrupted; the password itself never appears in a message.
 */
export async function readPassword(user: string): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `No password: set ${PASSWORD_ENV} or run in a terminal to be asked for it (it is never taken as a flag)`,
    );
  }
  return promptHidden(`uContact password for ${user}: `);
}

function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004')
          return finish(new UsageError('Password prompt interrupted'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
