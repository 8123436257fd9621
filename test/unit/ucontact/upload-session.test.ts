import { describe, expect, it } from 'vitest';
import type {
  Credentials,
  LoginResult,
  UcontactClient,
  UploadCallResult,
} from '../../../functions/ucontact/client.js';
import { AuthFailedError, NetworkError } from '../../../functions/ucontact/errors.js';
import type { ChunkResult, UploadBase } from '../../../functions/ucontact/results.js';
import { runUploadSession, StopReason } from '../../../functions/ucontact/upload-session.js';

const ok = (token: string): LoginResult => ({ ok: true, token, attempts: 1, durationMs: 1 });
const refused: LoginResult = {
  ok: false,
  error: new AuthFailedError('refused'),
  attempts: 1,
  durationMs: 1,
};
const upload = (
  outcome: UploadCallResult['outcome'],
  extra: Partial<UploadCallResult> = {},
): UploadCallResult => ({
  outcome,
  attempts: 1,
  durationMs: 1,
  authRejected: false,
  ...extra,
});

/** A client that answers from scripts and records every call (the token only as an id). */
function stubClient(script: {
  logins?: LoginResult[];
  uploads?: UploadCallResult[];
  now?: () => number;
}) {
  const calls: string[] = [];
  const logins = [...(script.logins ?? [ok('T1')])];
  const uploads = [...(script.uploads ?? [])];
  const client = {
    now: script.now ?? (() => 0),
    login: async (credentials: Credentials) => {
      calls.push(`login ${credentials.user}/${credentials.password}`);
      return logins.shift() ?? ok('T?');
    },
    uploadBase: async (token: string, fields: { filename: string }) => {
      calls.push(`upload ${fields.filename} ${token}`);
      return uploads.shift() ?? upload('accepted');
    },
    endSession: async (user: string, token: string) => {
      calls.push(`end ${user} ${token}`);
      return { ok: true, attempts: 1, durationMs: 1 };
    },
  };
  return { client: client as unknown as UcontactClient, calls };
}

function bases(count: number): UploadBase[] {
  return Array.from({ length: count }, (_, i) => ({
    part: i + 1,
    filename: `p${i + 1}.csv`,
    campaign: 'TestDialer',
    content: 'TestDialer<-;099124484;;;9999;\n',
    records: 1,
    bytes: 31,
  }));
}

const credentials = (refresh: boolean): Credentials => ({
  user: 'ApiUser',
  password: refresh ? 'new' : 'old',
});

describe('runUploadSession', () => {
  it('logs in, uploads every base in order and ends the session', async () => {
    const { client, calls } = stubClient({});
    const seen: ChunkResult[] = [];
    const report = await runUploadSession({
      client,
      getCredentials: credentials,
      bases: bases(2),
      deadline: 60_000,
      onResult: (result) => {
        seen.push(result);
      },
    });
    expect(calls).toEqual([
      'login ApiUser/old',
      'upload p1.csv T1',
      'upload p2.csv T1',
      'end ApiUser T1',
    ]);
    expect(seen.map((r) => r.outcome)).toEqual(['accepted', 'accepted']);
    expect(report).toMatchObject({ login: { ok: true }, endSession: { ok: true }, relogins: 0 });
    expect(report.stopped).toBeUndefined();
  });

  it('retries a refused login once with refreshed credentials', async () => {
    const { client, calls } = stubClient({ logins: [refused, ok('T2')] });
    const report = await runUploadSession({
      client,
      getCredentials: credentials,
      bases: bases(1),
      deadline: 60_000,
    });
    expect(calls.slice(0, 2)).toEqual(['login ApiUser/old', 'login ApiUser/new']);
    expect(report.login).toMatchObject({ ok: true, attempts: 2 });
  });

  it('does not repeat a refused login when the refreshed credentials are the same', async () => {
    const { client, calls } = stubClient({ logins: [refused] });
    const report = await runUploadSession({
      client,
      getCredentials: () => ({ user: 'ApiUser', password: 'same' }),
      bases: bases(1),
      deadline: 60_000,
    });
    expect(calls).toEqual(['login ApiUser/same']);
    expect(report).toMatchObject({
      login: { ok: false, error: { code: 'AUTH_FAILED' } },
      results: [],
    });
    expect(report.stopped?.reason).toBe(StopReason.LoginFailed);
    expect(report.endSession).toBeUndefined();
  });

  it('logs in again after a 401 mid-session and sends that base once more', async () => {
    const { client, calls } = stubClient({
      logins: [ok('T1'), ok('T2')],
      uploads: [upload('failed', { authRejected: true }), upload('accepted')],
    });
    const report = await runUploadSession({
      client,
      getCredentials: credentials,
      bases: bases(2),
      deadline: 60_000,
    });
    expect(calls).toEqual([
      'login ApiUser/old',
      'upload p1.csv T1',
      'end ApiUser T1',
      'login ApiUser/old',
      'upload p1.csv T2',
      'upload p2.csv T2',
      'end ApiUser T2',
    ]);
    expect(report.results[0]).toMatchObject({ outcome: 'accepted', attempts: 2 });
    expect(report.relogins).toBe(1);
  });

  it('stops after an unknown outcome and reports why', async () => {
    const { client, calls } = stubClient({ uploads: [upload('accepted'), upload('unknown')] });
    let pulled = 0;
    async function* source() {
      for (const base of bases(4)) {
        pulled++;
        yield base;
      }
    }
    const report = await runUploadSession({
      client,
      getCredentials: credentials,
      bases: source(),
      deadline: 60_000,
    });
    expect(report.results.map((r) => r.outcome)).toEqual(['accepted', 'unknown']);
    expect(report.stopped?.reason).toBe(StopReason.UnknownOutcome);
    expect(pulled).toBe(2);
    expect(calls.at(-1)).toBe('end ApiUser T1');
  });

  it('takes no further base when the deadline leaves too little time', async () => {
    let now = 0;
    const { client, calls } = stubClient({ now: () => now });
    const report = await runUploadSession({
      client,
      getCredentials: credentials,
      bases: bases(3),
      deadline: 30_000,
      endSessionReserveMs: 5_000,
      minUploadWindowMs: 10_000,
      onResult: () => {
        now += 8_000;
      },
    });
    expect(report.results).toHaveLength(2);
    expect(report.stopped?.reason).toBe(StopReason.Deadline);
    expect(calls.at(-1)).toBe('end ApiUser T1');
  });

  it('ends the session and rethrows when the source of bases fails', async () => {
    const { client, calls } = stubClient({});
    async function* source() {
      yield bases(1)[0]!;
      throw new NetworkError(true, 'S3 read failed');
    }
    await expect(
      runUploadSession({ client, getCredentials: credentials, bases: source(), deadline: 60_000 }),
    ).rejects.toThrow('S3 read failed');
    expect(calls.at(-1)).toBe('end ApiUser T1');
  });

  it('refuses a base whose form fields overflow the reserve, still ending the session', async () => {
    const { client, calls } = stubClient({});
    const [base] = bases(1);
    await expect(
      runUploadSession({
        client,
        getCredentials: credentials,
        bases: [{ ...base!, filename: 'x'.repeat(500) }],
        deadline: 60_000,
        overheadReserveBytes: 256,
      }),
    ).rejects.toThrow(/reserved/);
    expect(calls).toEqual(['login ApiUser/old', 'end ApiUser T1']);
  });

  it('stops after a base uContact could not take for now, so a retry resumes with it', async () => {
    const { client, calls } = stubClient({
      uploads: [upload('accepted'), upload('failed', { retryable: true })],
    });
    const report = await runUploadSession({
      client,
      getCredentials: credentials,
      bases: bases(3),
      deadline: 60_000,
      stopWhenUnavailable: true,
    });
    expect(calls).toEqual([
      'login ApiUser/old',
      'upload p1.csv T1',
      'upload p2.csv T1',
      'end ApiUser T1',
    ]);
    expect(report.results.map((r) => [r.outcome, r.retryable])).toEqual([
      ['accepted', undefined],
      ['failed', true],
    ]);
    expect(report.stopped).toMatchObject({ reason: StopReason.Unavailable });
  });

  it('keeps going after a failed base: the server answered, so nothing is in doubt', async () => {
    const { client } = stubClient({ uploads: [upload('failed'), upload('accepted')] });
    const report = await runUploadSession({
      client,
      getCredentials: credentials,
      bases: bases(2),
      deadline: 60_000,
    });
    expect(report.results.map((r) => r.outcome)).toEqual(['failed', 'accepted']);
  });
});
