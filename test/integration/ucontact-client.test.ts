import { afterEach, describe, expect, it } from 'vitest';
import { type Credentials, UcontactClient } from '../../functions/ucontact/client.js';
import type { UploadBase } from '../../functions/ucontact/results.js';
import { runUploadSession, type SessionReport } from '../../functions/ucontact/upload-session.js';
import type { SimulatorProfile } from '../../simulator/answers.js';
import { type RunningSimulator, startSimulator } from '../../simulator/simulator.js';

const USER = 'ApiUser';
const PASSWORD = 's3cret-Pa55';
let simulator: RunningSimulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

function base(part: number, lines = 2): UploadBase {
  const content = Array.from(
    { length: lines },
    (_, i) => `TestDialer<-;0991${part}${String(i).padStart(4, '0')};;;9999;\n`,
  ).join('');
  return {
    part,
    filename: `base.part-00${part}-of-002.csv`,
    campaign: 'TestDialer',
    content,
    records: lines,
    bytes: Buffer.byteLength(content),
  };
}

async function session(options: {
  faults?: string[];
  bases?: UploadBase[];
  credentials?: (refresh: boolean) => Credentials;
  maxFormBytes?: number;
  logs?: string[];
  profile?: SimulatorProfile;
  tokenFormat?: 'json' | 'text';
}): Promise<SessionReport> {
  simulator = await startSimulator({
    users: [{ user: USER, password: PASSWORD, profile: options.profile ?? 'supervisor' }],
    ...(options.tokenFormat ? { tokenFormat: options.tokenFormat } : {}),
    campaigns: ['TestDialer'],
    faults: options.faults ?? [],
    retryAfterSeconds: 0,
    ...(options.maxFormBytes ? { maxFormBytes: options.maxFormBytes } : {}),
    log: (line) => options.logs?.push(line),
  });
  const client = new UcontactClient({
    baseUrl: simulator.url,
    callTimeoutMs: 300,
    uploadTimeoutMs: 300,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
  });
  return runUploadSession({
    client,
    getCredentials: options.credentials ?? (() => ({ user: USER, password: PASSWORD })),
    bases: options.bases ?? [base(1), base(2)],
    deadline: Date.now() + 20_000,
    endSessionReserveMs: 2_000,
    minUploadWindowMs: 500,
  });
}

interface Expected {
  login: boolean;
  outcomes: string[];
  attempts: number[];
  endSession: boolean | undefined;
  openSessions: number;
  recorded: number;
}

// Each fault hits once. "not carried out" faults leave nothing behind; uploadbase:timeout loads
// the base and never answers, the case the client must report as unknown without resending.
const MATRIX: [string, Expected][] = [
  [
    'login:500',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'login:503',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'login:429',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'login:401',
    {
      login: false,
      outcomes: [],
      attempts: [],
      endSession: undefined,
      openSessions: 0,
      recorded: 0,
    },
  ],
  [
    'login:timeout',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'login:reset',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'login:zero',
    {
      login: false,
      outcomes: [],
      attempts: [],
      endSession: undefined,
      openSessions: 0,
      recorded: 0,
    },
  ],
  [
    'login:garbage',
    {
      login: false,
      outcomes: [],
      attempts: [],
      endSession: undefined,
      openSessions: 0,
      recorded: 0,
    },
  ],
  [
    'uploadbase:500',
    {
      login: true,
      outcomes: ['unknown'],
      attempts: [1],
      endSession: true,
      openSessions: 0,
      recorded: 0,
    },
  ],
  [
    'uploadbase:503',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [2, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'uploadbase:429',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [2, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'uploadbase:401',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [2, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'uploadbase:reset',
    {
      login: true,
      outcomes: ['unknown'],
      attempts: [1],
      endSession: true,
      openSessions: 0,
      recorded: 0,
    },
  ],
  [
    'uploadbase:zero',
    {
      login: true,
      outcomes: ['failed', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 1,
    },
  ],
  [
    'uploadbase:garbage',
    {
      login: true,
      outcomes: ['unknown'],
      attempts: [1],
      endSession: true,
      openSessions: 0,
      recorded: 0,
    },
  ],
  [
    'endsession:500',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'endsession:503',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'endsession:429',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'endsession:timeout',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'endsession:reset',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  // The server refuses to end the session: the client reports it and the uploads stand.
  [
    'endsession:401',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: false,
      openSessions: 1,
      recorded: 2,
    },
  ],
  [
    'endsession:zero',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
  [
    'endsession:garbage',
    {
      login: true,
      outcomes: ['accepted', 'accepted'],
      attempts: [1, 1],
      endSession: true,
      openSessions: 0,
      recorded: 2,
    },
  ],
];

// A refused session (403, a redirect, a login page): one new login, that base sent once more.
const RELOGIN_THEN_ACCEPTED: Expected = {
  login: true,
  outcomes: ['accepted', 'accepted'],
  attempts: [2, 1],
  endSession: true,
  openSessions: 0,
  recorded: 2,
};
// uContact loaded the base and the answer never said so: unknown, recorded once, nothing after it.
const LOADED_THEN_UNKNOWN: Expected = {
  login: true,
  outcomes: ['unknown'],
  attempts: [1],
  endSession: true,
  openSessions: 0,
  recorded: 1,
};
for (const kind of ['timeout', '500-after-load', '502-after-load']) {
  MATRIX.push([`uploadbase:${kind}`, LOADED_THEN_UNKNOWN]);
}
for (const kind of ['403', '301', '302', '303', '307', '308', 'loginpage']) {
  MATRIX.push([`uploadbase:${kind}`, RELOGIN_THEN_ACCEPTED]);
}

describe('the uContact client against the simulator', () => {
  it.each(MATRIX)('survives %s as expected', async (fault, expected) => {
    const report = await session({ faults: [fault] });
    const state = simulator!.state();
    expect(report.login.ok).toBe(expected.login);
    expect(report.results.map((r) => r.outcome)).toEqual(expected.outcomes);
    expect(report.results.map((r) => r.attempts)).toEqual(expected.attempts);
    expect(report.endSession?.ok).toBe(expected.endSession);
    expect(state.openSessions).toBe(expected.openSessions);
    expect(state.bases).toHaveLength(expected.recorded);
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
  });

  it('loads a timed-out base exactly once, reports it unknown and sends nothing after it', async () => {
    const report = await session({ faults: ['uploadbase:timeout'] });
    const state = simulator!.state();
    expect(report.results).toEqual([
      expect.objectContaining({
        part: 1,
        outcome: 'unknown',
        error: expect.objectContaining({ code: 'TIMEOUT' }),
      }),
    ]);
    expect(report.stopped?.reason).toBe('unknown-outcome');
    expect(state.calls.uploadbase).toBe(1);
    expect(state.bases.map((b) => b.filename)).toEqual(['base.part-001-of-002.csv']);
    expect(state.openSessions).toBe(0);
  });

  it('logs in again with a fresh session after a 401 mid-session and ends both sessions', async () => {
    const report = await session({ faults: ['uploadbase:401'] });
    const state = simulator!.state();
    expect(report.relogins).toBe(1);
    expect(state.calls).toEqual({ login: 2, uploadbase: 3, endsession: 2 });
    expect(state.openSessions).toBe(0);
  });

  it.each(['301', '302', '303', '307', '308'])(
    'never follows a %s redirect, so the form body goes nowhere but uploadbase',
    async (status) => {
      const logs: string[] = [];
      await session({ faults: [`uploadbase:${status}`], logs });
      expect(logs.some((line) => line.startsWith('login page'))).toBe(false);
      expect(simulator!.state().bases).toHaveLength(2);
    },
  );

  it.each(['302', 'loginpage'])(
    'stops when uContact refuses a fresh session too (%s twice): the part was not loaded',
    async (kind) => {
      const report = await session({ faults: [`uploadbase:${kind}:2`] });
      const state = simulator!.state();
      expect(report.results).toEqual([
        expect.objectContaining({
          part: 1,
          outcome: 'failed',
          attempts: 2,
          error: expect.objectContaining({ code: 'AUTH_REJECTED' }),
        }),
      ]);
      expect(report.stopped?.reason).toBe('auth-rejected');
      expect(state.calls).toEqual({ login: 2, uploadbase: 2, endsession: 2 });
      expect(state.bases).toEqual([]);
      expect(state.openSessions).toBe(0);
    },
  );

  it.each([
    ['a supervisor (array, token last)', 'supervisor', 'json'],
    ['a supervisor with a phone (md5secret in an array element)', 'supervisor-phone', 'json'],
    ['an agent (object with md5secret)', 'agent', 'json'],
    ['plain text', 'supervisor', 'text'],
  ] as const)('logs in and uploads when the login answers as %s', async (_, profile, format) => {
    const report = await session({ profile, tokenFormat: format });
    expect(report.login.ok).toBe(true);
    expect(report.results.map((r) => r.outcome)).toEqual(['accepted', 'accepted']);
    expect(report.endSession?.ok).toBe(true);
    expect(simulator!.state()).toMatchObject({ openSessions: 0 });
    expect(simulator!.state().bases).toHaveLength(2);
  });

  it('loads a part exactly once when uContact fails after loading it, and sends nothing after it', async () => {
    const report = await session({ faults: ['uploadbase:502-after-load'] });
    const state = simulator!.state();
    expect(report.results).toEqual([
      expect.objectContaining({ part: 1, outcome: 'unknown', attempts: 1 }),
    ]);
    expect(report.stopped?.reason).toBe('unknown-outcome');
    expect(state.calls.uploadbase).toBe(1);
    expect(state.bases.map((b) => b.filename)).toEqual(['base.part-001-of-002.csv']);
  });

  it('logs in with refreshed credentials when the first password was rotated away', async () => {
    const report = await session({
      credentials: (refresh) => ({ user: USER, password: refresh ? PASSWORD : 'old-password' }),
    });
    expect(report.login).toMatchObject({ ok: true, attempts: 2 });
    expect(simulator!.state().bases).toHaveLength(2);
  });

  it('reports a base whose request passes the form cap as unknown: a 500 proves nothing', async () => {
    const big = base(1, 2_000);
    const report = await session({ bases: [big, base(2)], maxFormBytes: 64 * 1024 });
    const state = simulator!.state();
    expect(report.results.map((r) => r.outcome)).toEqual(['unknown']);
    expect(report.results[0]?.error?.code).toBe('HTTP_STATUS');
    expect(report.stopped?.reason).toBe('unknown-outcome');
    expect(state.bases).toEqual([]);
    expect(state.openSessions).toBe(0);
  });

  it('never writes the password or a token to the simulator log', async () => {
    const logs: string[] = [];
    await session({ faults: ['uploadbase:401', 'endsession:zero'], logs });
    const tokens = logs.join('\n');
    expect(logs.length).toBeGreaterThan(4);
    expect(tokens).not.toContain(PASSWORD);
    expect(tokens).not.toMatch(/QXBpVXNlcj/);
  });

  it('gives up cleanly when nothing listens at the base URL', async () => {
    simulator = await startSimulator({ log: () => {} });
    const url = simulator.url;
    await simulator.close();
    simulator = undefined;
    const client = new UcontactClient({
      baseUrl: url,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
    });
    const report = await runUploadSession({
      client,
      getCredentials: () => ({ user: USER, password: PASSWORD }),
      bases: [base(1)],
      deadline: Date.now() + 10_000,
      endSessionReserveMs: 1_000,
      minUploadWindowMs: 500,
    });
    expect(report.login).toMatchObject({ ok: false, attempts: 2, error: { code: 'NETWORK' } });
    expect(report.stopped?.reason).toBe('login-failed');
  });
});
