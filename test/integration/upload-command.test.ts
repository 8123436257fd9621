import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator/simulator.js';

const CLI = join(import.meta.dirname, '../../bin/ucontact-loader.js');
const PASSWORD = 'Upl0ad-Secr3t!';
/** Every simulator token is base64 of `ApiUser:<uuid>`, so it starts with this. */
const TOKEN_PREFIX = Buffer.from('ApiUser:').toString('base64').slice(0, 10);
const LINES = Array.from({ length: 5 }, (_, i) => `Ventas<-;09910000${i};nombre=N${i};;9999;`);

let simulator: RunningSimulator;
let work: string;
let file: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'upload-command-'));
  file = join(work, 'lista.csv');
  await writeFile(file, `${LINES.join('\n')}\n`);
});

afterEach(async () => {
  await simulator?.close();
  await rm(work, { recursive: true, force: true });
});

async function start(faults: string[] = []) {
  simulator = await startSimulator({
    users: [{ user: 'ApiUser', password: PASSWORD, profile: 'agent' }],
    campaigns: ['Ventas<-'],
    faults,
    keepText: true,
    log: () => {},
  });
}

/** Runs the real CLI (asynchronously: the simulator answers from this process). */
function run(
  args: string[],
  env: Record<string, string | undefined> = { UCONTACT_PASSWORD: PASSWORD },
  onSpawn?: (child: ReturnType<typeof spawn>) => void,
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, UCONTACT_PASSWORD: undefined, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => (stdout += data));
    child.stderr.on('data', (data) => (stderr += data));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
    onSpawn?.(child);
  });
}

const uploadArgs = (...extra: string[]) => [
  'upload',
  file,
  '--campaign',
  'Ventas<-',
  '--base-url',
  simulator.url,
  '--user',
  'ApiUser',
  ...extra,
];

describe('ucontact-loader upload', () => {
  it('loads every chunk in one session, names the parts and leaves no temporary file', async () => {
    await start();
    const temp = await mkdtemp(join(work, 'tmp-'));
    const result = await run(uploadArgs('--max-records', '2'), {
      UCONTACT_PASSWORD: PASSWORD,
      TMPDIR: temp,
    });
    const state = simulator.state();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/3 of 3 parts accepted/);
    expect(state.bases.map((b) => [b.filename, b.records])).toEqual([
      ['lista.part-001-of-003.csv', 2],
      ['lista.part-002-of-003.csv', 2],
      ['lista.part-003-of-003.csv', 1],
    ]);
    // No line break after a base's last line: uContact sees no empty last record.
    expect(state.bases.map((b) => b.text)).toEqual([
      LINES.slice(0, 2).join('\n'),
      LINES.slice(2, 4).join('\n'),
      LINES[4],
    ]);
    expect(state.bases.every((b) => b.cantMatches && !b.emptyLastRecord)).toBe(true);
    expect(state.calls).toEqual({ login: 1, uploadbase: 3, endsession: 1 });
    expect(state.openSessions).toBe(0);
    // Only tsx's own cache may remain; the chunk file's folder is gone.
    expect((await readdir(temp)).filter((name) => name.startsWith('ucontact-upload-'))).toEqual([]);
  });

  it("adds each chunk's outcome to validate's JSON, a single chunk keeping the file's name", async () => {
    await start();
    const result = await run(uploadArgs('--json'));
    const json = JSON.parse(result.stdout);
    expect(result.code).toBe(0);
    expect(json.counts).toMatchObject({ rows: 5, accepted: 5 });
    expect(json.uploads).toEqual([
      expect.objectContaining({
        part: 1,
        filename: 'lista.csv',
        records: 5,
        outcome: 'accepted',
        attempts: 1,
      }),
    ]);
    expect(json.uploads[0].bytes).toBe(Buffer.byteLength(LINES.join('\n')));
    expect(json.session).toMatchObject({ login: 'ok', endSession: 'ok' });
  });

  it('exits 1 on an unknown outcome and prints neither the password nor a token', async () => {
    await start(['uploadbase:401', 'uploadbase:timeout']);
    const result = await run(uploadArgs('--max-records', '2', '--upload-timeout', '300'), {
      UCONTACT_PASSWORD: PASSWORD,
      DEBUG: '1',
    });
    const output = result.stdout + result.stderr;
    const state = simulator.state();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/part 1 .*unknown/);
    expect(result.stdout).toMatch(/part 2 .*not sent/);
    expect(state.bases).toHaveLength(1);
    expect(state.openSessions).toBe(0);
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(TOKEN_PREFIX);
    expect(output).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it.each(['500-after-load', '502-after-load'])(
    'reports a part uContact loaded before answering an error (%s) as unknown, loaded once',
    async (fault) => {
      await start([`uploadbase:${fault}`]);
      const result = await run(uploadArgs('--max-records', '2', '--json'));
      const json = JSON.parse(result.stdout);
      const state = simulator.state();
      expect(result.code).toBe(1);
      expect(json.uploads.map((u: { outcome: string }) => u.outcome)).toEqual([
        'unknown',
        'failed',
        'failed',
      ]);
      expect(json.uploads.map((u: { attempts: number }) => u.attempts)).toEqual([1, 0, 0]);
      expect(json.session.stopped).toMatchObject({ reason: 'unknown-outcome' });
      expect(state.calls.uploadbase).toBe(1);
      expect(state.bases.map((b) => b.filename)).toEqual(['lista.part-001-of-003.csv']);
      expect(state.openSessions).toBe(0);
    },
  );

  it('exits 1 with one line when uContact refuses the login, without echoing the password', async () => {
    await start();
    const result = await run(uploadArgs(), { UCONTACT_PASSWORD: 'wrong-Pa55word' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: uContact login failed (AUTH_FAILED): uContact refused the user or password (login answered 0)\n',
    );
    expect(result.stdout + result.stderr).not.toContain('wrong-Pa55word');
  });

  it('refuses to start without UCONTACT_PASSWORD when there is no terminal to ask on', async () => {
    await start();
    const result = await run(uploadArgs(), {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: No password: set UCONTACT_PASSWORD/);
    expect(simulator.state().calls.login).toBe(0);
  });

  it('refuses plain http to a host that is not loopback', async () => {
    await start();
    const args = uploadArgs();
    args[args.indexOf('--base-url') + 1] = 'http://ucontact.example.com/';
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must use https:\/\//);
  });

  it.each([
    ['longer than the dialer takes', 'V'.repeat(101), 'CAMPAIGN_TOO_LONG'],
    ['holding a slash', 'Ventas/<-', 'CAMPAIGN_RESERVED_CHARACTER'],
  ])('refuses a --campaign %s in one line, before any call', async (_, campaign, code) => {
    await start();
    const args = uploadArgs();
    args[args.indexOf('--campaign') + 1] = campaign;
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^error: --campaign .*\\(${code}\\)\n$`));
    expect(simulator.state().calls.login).toBe(0);
  });

  it('never sends a number on a --suppression-dir or --suppress list', async () => {
    await start();
    await mkdir(join(work, 'lists', 'bajas'), { recursive: true });
    await writeFile(join(work, 'lists', 'bajas', 'bajas.txt'), '099100001\n');
    await writeFile(join(work, 'propia.txt'), '099100003\n');
    const lists = [
      '--suppression-dir',
      join(work, 'lists'),
      '--suppress',
      join(work, 'propia.txt'),
    ];
    const result = await run(uploadArgs(...lists, '--json'));
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.counts).toMatchObject({ accepted: 3, suppressed: 2 });
    expect(json.suppression.map((l: { list: string; hits: number }) => [l.list, l.hits])).toEqual([
      ['bajas', 1],
      ['propia', 1],
    ]);
    expect(simulator.state().bases.map((b) => b.text)).toEqual([
      [LINES[0], LINES[2], LINES[4]].join('\n'),
    ]);
  });

  it('does not ask for the password when the file holds nothing to upload', async () => {
    await start();
    await writeFile(file, 'Otra<-;099100000;;;9999;\n');
    const result = await run(uploadArgs('--json'), {});
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).counts).toMatchObject({ accepted: 0, rejected: 1 });
    expect(result.stderr).toBe('error: nothing to upload: no contact in the file was accepted\n');
    expect(simulator.state().calls.login).toBe(0);
  });

  it('says in --json that Ctrl-C stopped the session, and sends nothing after the current chunk', async () => {
    // The first upload waits a second for its retry: time to press Ctrl-C mid-session.
    simulator = await startSimulator({
      users: [{ user: 'ApiUser', password: PASSWORD, profile: 'agent' }],
      campaigns: ['Ventas<-'],
      faults: ['uploadbase:429'],
      retryAfterSeconds: 1,
      log: () => {},
    });
    const result = await run(uploadArgs('--json', '--max-records', '1'), undefined, (child) => {
      const poll = setInterval(() => {
        if (simulator.state().calls.uploadbase > 0) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 10);
    });
    const json = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(json.session).toMatchObject({
      endSession: 'ok',
      stopped: { reason: 'interrupted' },
    });
    expect(json.session.interrupted).toBeUndefined();
    expect(
      json.uploads.map((u: { outcome: string; sent: boolean }) => [u.outcome, u.sent]),
    ).toEqual([['accepted', true], ...Array.from({ length: 4 }, () => ['failed', false])]);
    expect(simulator.state()).toMatchObject({ openSessions: 0, calls: { uploadbase: 2 } });
  });
});

describe('ucontact-loader upload --html', () => {
  it('writes the page of the upload: status, each chunk with its outcome, the session', async () => {
    await start(['uploadbase:timeout']);
    const page = join(work, 'lista.html');
    const result = await run(
      uploadArgs('--max-records', '2', '--upload-timeout', '300', '--html', page),
    );
    const html = await readFile(page, 'utf8');

    expect(result.code).toBe(1);
    expect(html).toContain('data-status="partial"');
    expect(html).toContain('<code>UNKNOWN_OUTCOME</code>');
    expect([...html.matchAll(/class="o-(\w+)"/g)].map((m) => m[1])).toEqual([
      'unknown',
      'failed',
      'failed',
    ]);
    expect(html).toContain('Revise la campaña en uContact antes de enviar esa parte otra vez');
    expect(html).not.toContain(PASSWORD);
  });

  it('writes a failed page when uContact refuses the login', async () => {
    await start();
    const page = join(work, 'lista.html');
    const result = await run(uploadArgs('--html', page), { UCONTACT_PASSWORD: 'wrong' });
    const html = await readFile(page, 'utf8');

    expect(result.code).toBe(1);
    expect(html).toContain('data-status="failed"');
    expect(html).toContain('<code>AUTH_FAILED</code>');
  });
});
