import { describe, expect, it } from 'vitest';
import { sessionEnding } from '../../../functions/pipeline/run-ending.js';
import type { SessionReport } from '../../../functions/ucontact/upload-session.js';

const loginOk = { ok: true, attempts: 1, durationMs: 5 };
const report = (overrides: Partial<SessionReport>): SessionReport => ({
  results: [],
  login: loginOk,
  relogins: 0,
  ...overrides,
});
const loginFailed = (code: string): SessionReport =>
  report({
    login: { ok: false, attempts: 1, durationMs: 5, error: { code, message: 'no' } },
    stopped: { reason: 'login-failed', message: 'no', error: { code, message: 'no' } },
  });

describe('sessionEnding', () => {
  it('ends for good when the login is refused: retrying cannot fix a wrong password', () => {
    const ending = sessionEnding(loginFailed('AUTH_FAILED'), [], 'my/secret');
    expect(ending.retry).toBeUndefined();
    expect(ending.error?.code).toBe('AUTH_FAILED');
    expect(ending.error?.message).toContain('my/secret');
  });

  it('asks for a retry when uContact cannot be reached', () => {
    expect(sessionEnding(loginFailed('NETWORK'), [], 's')).toMatchObject({
      retry: true,
      error: { code: 'NETWORK' },
    });
  });

  it('asks for a retry when time runs out, to resume after the accepted parts', () => {
    const ending = sessionEnding(
      report({ stopped: { reason: 'deadline', message: 'late' } }),
      [{ part: 1, outcome: 'accepted' }],
      's',
    );
    expect(ending).toMatchObject({ retry: true, error: { code: 'OUT_OF_TIME' } });
  });

  it('ends for good with an unknown part, naming it', () => {
    const ending = sessionEnding(
      report({ stopped: { reason: 'unknown-outcome', message: 'part 2' } }),
      [
        { part: 1, outcome: 'accepted' },
        { part: 2, outcome: 'unknown' },
      ],
      's',
    );
    expect(ending.retry).toBeUndefined();
    expect(ending.error?.code).toBe('UNKNOWN_OUTCOME');
    expect(ending.error?.message).toContain('part 2');
  });

  it('asks for a retry when uContact could not take a part for now, resuming with that part', () => {
    const ending = sessionEnding(
      report({
        results: [
          {
            part: 2,
            filename: 'a.part-002-of-003.csv',
            records: 10,
            bytes: 100,
            outcome: 'failed',
            attempts: 4,
            durationMs: 9,
            retryable: true,
            error: { code: 'HTTP_STATUS', message: 'uploadbase answered HTTP 503' },
          },
        ],
        stopped: {
          reason: 'unavailable',
          message: 'uContact could not take part 2 for now',
          error: { code: 'HTTP_STATUS', message: 'uploadbase answered HTTP 503' },
        },
      }),
      [
        { part: 1, outcome: 'accepted' },
        { part: 2, outcome: 'failed' },
      ],
      's',
    );
    expect(ending).toMatchObject({ retry: true, error: { code: 'HTTP_STATUS' } });
    expect(ending.error?.message).toMatch(/part 2 .*resumes with it after 1 accepted parts/);
  });

  it('has nothing to say when every part was accepted', () => {
    expect(sessionEnding(report({}), [{ part: 1, outcome: 'accepted' }], 's')).toEqual({});
  });
});
