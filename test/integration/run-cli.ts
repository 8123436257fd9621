import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '../../bin/ucontact-loader.js');

/**
 * Runs the real command line in a child process to its end, asynchronously (so servers in this
 * process keep answering); resolves its exit code, stdout and stderr. `env` adds to this
 * process's environment; an undefined value removes a variable.
 */
export async function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data) => (stdout += data));
  child.stderr.on('data', (data) => (stderr += data));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
