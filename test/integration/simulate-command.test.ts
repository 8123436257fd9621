import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../bin/ucontact-loader.js');

describe('ucontact-loader simulate', () => {
  it('prints its base URL, serves the API with the given faults and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'simulate',
        '--port',
        '0',
        '--campaign',
        'Ventas<-',
        '--fault',
        'login:503',
        '--retry-after',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (data) => (stdout += data));
    while (!stdout.includes('\n')) await once(child.stdout, 'data');
    const url = stdout.split('\n')[0]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const login = () =>
      fetch(new URL('Integra/resources/auth/UserLogin', url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body: 'user=ApiUser&password=simulator',
      });
    expect((await login()).status).toBe(503);
    expect(JSON.parse(await (await login()).text()).at(-1)).toEqual(expect.any(String));
    const state = await (await fetch(new URL('_simulator/state', url))).json();
    expect(state).toMatchObject({ openSessions: 1, calls: { login: 2 } });

    child.kill('SIGTERM');
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    expect(stdout).toMatch(/login fault=503/);
    expect(stdout).not.toContain('simulator'); // the default password
  });

  it('refuses a fault it does not know, naming the accepted ones', async () => {
    const child = spawn(process.execPath, [CLI, 'simulate', '--fault', 'login:teapot'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data) => (stderr += data));
    const [code] = await once(child, 'close');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: Fault "login:teapot" is not <call>:<kind>\[:<times>\]/);
  });
});
