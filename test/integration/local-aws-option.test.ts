import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../bin/ucontact-loader.js', import.meta.url));
const run = promisify(execFile);

describe('local --aws', () => {
  it('says in one line how to install moto when moto_server is missing, and exits 2', async () => {
    const failed = await run(process.execPath, [CLI, 'local', '--aws', 'moto'], {
      env: { ...process.env, PATH: '/nonexistent' },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2, stdout: '' });
    const lines = (failed as { stderr: string }).stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("pip install 'moto[server]'");
  });

  it('refuses an AWS side it does not know, exit 2', async () => {
    const failed = await run(process.execPath, [CLI, 'local', '--aws', 'localstack']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('--aws must be embedded or moto');
  });
});
