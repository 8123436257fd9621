import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../bin/ucontact-loader.js');
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' };

/** Starts `simulate` with these flags on a free port; resolves its URL once printed. */
async function simulate(flags: string[]) {
  const child = spawn(process.execPath, [CLI, 'simulate', '--port', '0', ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (data) => (stdout += data));
  while (!stdout.includes('\n')) await once(child.stdout, 'data');
  const url = stdout.split('\n')[0]!;
  const post = (path: string, body: Record<string, string>, token?: string) =>
    fetch(new URL(path, url), {
      method: 'POST',
      headers: token ? { ...FORM, Authorization: `Basic ${token}` } : FORM,
      body: new URLSearchParams(body).toString(),
      redirect: 'manual',
    });
  const stop = async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'close');
    return code;
  };
  return { url, post, stop, output: () => stdout };
}

/** Runs the command to its end; resolves its exit code, stdout and stderr. */
async function run(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data) => (stdout += data));
  child.stderr.on('data', (data) => (stderr += data));
  const [code] = await once(child, 'close');
  return { code, stdout, stderr };
}

const LOGIN = 'Integra/resources/auth/UserLogin';
const UPLOAD = 'Integra/resources/Dialers/uploadbase';
const base = (campaign: string) => ({
  filename: 'lista-001.txt',
  fileb64: Buffer.from(`${campaign};099124484;;;9999;`).toString('base64'),
  campaign,
  cant: '1',
  username: 'ApiUser',
});

describe('ucontact-loader simulate', () => {
  it('prints its base URL, serves the API with the given faults and stops cleanly on SIGTERM', async () => {
    const simulator = await simulate([
      ...['--campaign', 'Ventas<-', '--fault', 'login:503', '--retry-after', '0'],
    ]);
    expect(simulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const login = () => simulator.post(LOGIN, { user: 'ApiUser', password: 'simulator' });
    expect((await login()).status).toBe(503);
    expect(JSON.parse(await (await login()).text()).at(-1)).toEqual(expect.any(String));
    const state = await (await fetch(new URL('_simulator/state', simulator.url))).json();
    expect(state).toMatchObject({ openSessions: 1, calls: { login: 2 } });

    expect(await simulator.stop()).toBe(0);
    expect(simulator.output()).toMatch(/login fault=503/);
    expect(simulator.output()).not.toContain('simulator'); // the default password
  });

  it('refuses a fault it does not know, naming the accepted ones', async () => {
    const { code, stderr } = await run(['simulate', '--fault', 'login:teapot']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: Fault "login:teapot" is not <call>:<kind>\[:<times>\]/);
  });

  it('answers the supervisor-phone shape and serves the after-load and redirect faults', async () => {
    const simulator = await simulate([
      ...['--profile', 'supervisor-phone', '--campaign', 'Salida->'],
      ...['--fault', 'uploadbase:502-after-load', '--fault', 'uploadbase:303'],
    ]);
    const login = await simulator.post(LOGIN, { user: 'ApiUser', password: 'simulator' });
    const answer = (await login.json()) as { md5secret?: string }[];
    const token = answer.find((element) => element.md5secret)?.md5secret ?? '';
    expect(typeof answer.at(-1)).toBe('object');
    expect((await simulator.post(UPLOAD, base('Salida->'), token)).status).toBe(502);
    const redirect = await simulator.post(UPLOAD, base('Salida->'), token);
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe(`${simulator.url}ucontact/login.jsp`);
    expect(await (await simulator.post(UPLOAD, base('Salida<-'), token)).text()).toBe('0');
    expect(await (await simulator.post(UPLOAD, base('Salida'), token)).text()).toBe('1');
    const state = (await (await fetch(new URL('_simulator/state', simulator.url))).json()) as {
      bases: { campaign: string }[];
    };
    expect(state.bases.map((b) => b.campaign)).toEqual(['Salida->', 'Salida']);
    expect(await simulator.stop()).toBe(0);
  });

  it('answers the login with the token as text under --token-format text', async () => {
    const simulator = await simulate(['--token-format', 'text']);
    const answer = await simulator.post(LOGIN, { user: 'ApiUser', password: 'simulator' });
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    const token = (await answer.text()).split('\n')[0]!;
    expect(await (await simulator.post(UPLOAD, base('Ventas<-'), token)).text()).toBe('1');
    const refused = await simulator.post(LOGIN, { user: 'ApiUser', password: 'wrong' });
    expect(await refused.text()).toBe('0');
    expect(await simulator.stop()).toBe(0);
  });

  it('lists every fault kind and the new options in its help', async () => {
    const { code, stdout } = await run(['simulate', '--help']);
    expect(code).toBe(0);
    const help = stdout.replace(/\s+/g, ' ');
    for (const text of [
      'supervisor-phone',
      '--token-format',
      '500-after-load',
      '502-after-load',
      '307',
      'loginpage',
    ])
      expect(help).toContain(text);
  });

  it.each([
    [['--profile', 'boss'], /^error: option '--profile <profile>' argument 'boss' is invalid/],
    [
      ['--token-format', 'xml'],
      /^error: option '--token-format <format>' argument 'xml' is invalid/,
    ],
    [
      ['--fault', 'login:500-after-load'],
      /^error: Fault "login:500-after-load": 500-after-load applies to uploadbase only/,
    ],
  ])('refuses %j with one line on stderr and exit code 2', async (flags, message) => {
    const { code, stderr } = await run(['simulate', ...flags]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
