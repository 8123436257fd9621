import { describe, expect, it } from 'vitest';
import { UcontactClient } from '../../../functions/ucontact/client.js';
import { FORM_CONTENT_TYPE } from '../../../functions/ucontact/form.js';
import type { Attempt, PostForm } from '../../../functions/ucontact/http-call.js';
import { UploadOutcome } from '../../../functions/ucontact/results.js';
import type { RetryClock } from '../../../functions/ucontact/retry.js';

const TOKEN = 'QXBpVXNlcjo2MGEzYWUzYS1lNzI2LTRlMGQtOTQxYy1jMGM4OGM4NTgyNDE=';
const FIELDS = { filename: 'base.csv', campaign: 'TestDialer', cant: 1, username: 'ApiUser' };
const CONTENT = 'TestDialer<-;099124484;;;9999;\n';

type Step = Response | Attempt;

/**
 * A transport that plays `steps` in order and records each request. A Response stands for an
 * answer; connection failures and timeouts are given as the Attempt postFormOverHttp reports.
 */
function fakePost(steps: Step[]) {
  const requests: { url: string; headers: Headers; body: string }[] = [];
  const post: PostForm = async (url, body, headers) => {
    requests.push({
      url: String(url),
      headers: new Headers({ ...headers, 'Content-Type': FORM_CONTENT_TYPE }),
      body: typeof body === 'string' ? body : Buffer.from(body).toString(),
    });
    const step = steps.shift() ?? new Response('1');
    if (!(step instanceof Response)) return step;
    return {
      kind: 'answer',
      status: step.status,
      body: await step.text(),
      retryAfter: step.headers.get('retry-after'),
      location: step.headers.get('location'),
    };
  };
  return { post, requests };
}

const HANG: Attempt = { kind: 'timeout' };

function notReached(code: string): Attempt {
  return { kind: 'not-reached', detail: code };
}

function lost(code: string): Attempt {
  return { kind: 'lost', detail: code };
}

function fakeClock(): RetryClock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
}

function clientWith(
  steps: Step[],
  extra: Partial<ConstructorParameters<typeof UcontactClient>[0]> = {},
) {
  const fake = fakePost(steps);
  const clock = fakeClock();
  const client = new UcontactClient({
    baseUrl: 'https://acme.ucontactcloud.com',
    post: fake.post,
    clock,
    uploadTimeoutMs: 50,
    callTimeoutMs: 50,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    ...extra,
  });
  return { client, clock, requests: fake.requests, deadline: clock.now() + 60_000 };
}

describe('UcontactClient.login', () => {
  it('posts user and password as a UTF-8 form to the default login path', async () => {
    const { client, requests, deadline } = clientWith([
      new Response(JSON.stringify([{}, {}, TOKEN])),
    ]);
    const result = await client.login({ user: 'ApiUser', password: 'pa ss&word' }, deadline);
    expect(result).toMatchObject({ ok: true, token: TOKEN, attempts: 1 });
    expect(requests[0]?.url).toBe(
      'https://acme.ucontactcloud.com/Integra/resources/auth/UserLogin',
    );
    expect(requests[0]?.headers.get('content-type')).toBe(
      'application/x-www-form-urlencoded; charset=UTF-8',
    );
    expect(new URLSearchParams(requests[0]?.body).get('password')).toBe('pa ss&word');
  });

  it('uses a configured login path such as getUserToken', async () => {
    const { client, requests, deadline } = clientWith([new Response('{"md5secret":"abc"}')], {
      loginPath: 'Integra/resources/auth/getUserToken',
    });
    await client.login({ user: 'u', password: 'p' }, deadline);
    expect(requests[0]?.url).toMatch(/auth\/getUserToken$/);
  });

  it('reports the answer 0 as AUTH_FAILED without retrying', async () => {
    const { client, requests, deadline } = clientWith([new Response('0')]);
    const result = await client.login({ user: 'u', password: 'p' }, deadline);
    expect(result).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' }, attempts: 1 });
    expect(requests).toHaveLength(1);
  });

  it('retries network errors and 5xx, then succeeds', async () => {
    const { client, deadline } = clientWith([
      lost('ECONNRESET'),
      new Response('down', { status: 500 }),
      new Response(JSON.stringify([TOKEN])),
    ]);
    expect(await client.login({ user: 'u', password: 'p' }, deadline)).toMatchObject({
      ok: true,
      attempts: 3,
    });
  });

  it('stops retrying after the configured attempts', async () => {
    const { client, requests, deadline } = clientWith(
      Array.from({ length: 6 }, () => new Response('', { status: 503 })),
    );
    const result = await client.login({ user: 'u', password: 'p' }, deadline);
    expect(result).toMatchObject({ ok: false, attempts: 4, error: { code: 'HTTP_STATUS' } });
    expect(requests).toHaveLength(4);
  });
});

describe('UcontactClient.uploadBase', () => {
  it('sends the five fields with a Basic header holding exactly one space', async () => {
    const { client, requests, deadline } = clientWith([new Response(' 1\n')]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result).toMatchObject({ outcome: UploadOutcome.Accepted, attempts: 1, answer: '1' });
    expect(requests[0]?.headers.get('authorization')).toBe(`Basic ${TOKEN}`);
    const form = new URLSearchParams(requests[0]?.body);
    expect(form.get('cant')).toBe('1');
    expect(form.get('username')).toBe('ApiUser');
  });

  it('retries when the connection was refused, since the server never saw the request', async () => {
    const { client, deadline } = clientWith([notReached('ECONNREFUSED'), new Response('1')]);
    expect(await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline)).toMatchObject({
      outcome: UploadOutcome.Accepted,
      attempts: 2,
    });
  });

  it.each([429, 503])('retries HTTP %i: uContact did not process the base', async (status) => {
    const { client, deadline } = clientWith([new Response('', { status }), new Response('1')]);
    expect(await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline)).toMatchObject({
      outcome: 'accepted',
      attempts: 2,
    });
  });

  it.each([500, 502, 504, 507, 599])(
    'reports HTTP %i as unknown and never resends: the base may have been loaded first',
    async (status) => {
      const { client, requests, deadline } = clientWith([
        new Response('<h1>Error</h1>', { status }),
        new Response('1'),
      ]);
      const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
      expect(result).toMatchObject({
        outcome: 'unknown',
        attempts: 1,
        error: { code: 'HTTP_STATUS', message: expect.stringMatching(/may or may not/) },
      });
      expect(result.retryable).toBeUndefined();
      expect(requests).toHaveLength(1);
    },
  );

  it.each([
    ['an HTML page', '<html><body>Mantenimiento</body></html>'],
    ['text other than 0 or 1', 'OK'],
    ['nothing', ''],
  ])('reports an answer of %s with status 200 as unknown', async (_, body) => {
    const { client, requests, deadline } = clientWith([new Response(body), new Response('1')]);
    expect(await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline)).toMatchObject({
      outcome: 'unknown',
      error: { code: 'BAD_ANSWER' },
    });
    expect(requests).toHaveLength(1);
  });

  it('waits as long as Retry-After asks', async () => {
    const { client, clock, deadline } = clientWith([
      new Response('', { status: 429, headers: { 'Retry-After': '7' } }),
      new Response('1'),
    ]);
    await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(clock.sleeps).toEqual([7_000]);
  });

  it('backs off with jitter between retries when no Retry-After is given', async () => {
    const { client, clock, deadline } = clientWith([
      new Response('', { status: 503 }),
      new Response('', { status: 503 }),
      new Response('1'),
    ]);
    await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it.each([
    ['stays unavailable (503)', () => new Response('', { status: 503 })],
    ['keeps answering 429', () => new Response('', { status: 429 })],
    ['cannot be reached', () => notReached('ECONNREFUSED')],
  ])('marks a failed base as worth sending later when uContact %s', async (_, step) => {
    const { client, requests, deadline } = clientWith([step(), step(), step(), step()]);
    expect(await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline)).toMatchObject({
      outcome: 'failed',
      attempts: 4,
      retryable: true,
    });
    expect(requests).toHaveLength(4);
  });

  it.each([
    ['answers 0', () => new Response('0')],
    ['answers 400', () => new Response('bad', { status: 400 })],
    ['answers 404', () => new Response('not found', { status: 404 })],
    ['answers 413', () => new Response('too large', { status: 413 })],
  ])('marks a base as refused for good when uContact %s', async (_, step) => {
    const { client, requests, deadline } = clientWith([step(), new Response('1')]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result.outcome).toBe('failed');
    expect(result.retryable).toBeUndefined();
    expect(result.authRejected).toBe(false);
    expect(requests).toHaveLength(1);
  });

  it('keeps a sanitized excerpt of the answer', async () => {
    const { client, deadline } = clientWith([
      new Response(`error: campaign for 099124484 ${TOKEN}`),
    ]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result.outcome).toBe('unknown');
    expect(result.answer).toBe('error: campaign for ######### [redacted]');
  });

  it('reports a timeout as unknown and does not resend the base', async () => {
    const { client, requests, deadline } = clientWith([HANG, new Response('1')]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result).toMatchObject({
      outcome: UploadOutcome.Unknown,
      attempts: 1,
      error: { code: 'TIMEOUT' },
    });
    expect(requests).toHaveLength(1);
  });

  it('reports a connection reset as unknown and does not resend the base', async () => {
    const { client, requests, deadline } = clientWith([lost('ECONNRESET'), new Response('1')]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result).toMatchObject({
      outcome: UploadOutcome.Unknown,
      attempts: 1,
      error: { code: 'NETWORK' },
    });
    expect(requests).toHaveLength(1);
  });

  it.each<[string, () => Response]>([
    ['401', () => new Response('', { status: 401 })],
    ['403', () => new Response('', { status: 403 })],
    ...[301, 302, 303, 307, 308].map(
      (status) =>
        [
          `a ${status} redirect`,
          () =>
            new Response('<a href="/login.jsp">moved</a>', {
              status,
              headers: { Location: '/ucontact/login.jsp;jsessionid=ABC123?next=x' },
            }),
        ] as [string, () => Response],
    ),
    [
      'a login page with status 200',
      () =>
        new Response(
          '<!DOCTYPE html><html><body><form method="post" action="j_security_check">' +
            '<input name="j_username"><input type="password" name="j_password"></form></body></html>',
          { headers: { 'Content-Type': 'text/html' } },
        ),
    ],
  ])('reads %s as a refused session token, without sending again itself', async (_, step) => {
    const { client, requests, deadline } = clientWith([step(), new Response('1')]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result).toMatchObject({
      outcome: 'failed',
      authRejected: true,
      error: { code: 'AUTH_REJECTED' },
    });
    expect(result.retryable).toBeUndefined();
    expect(JSON.stringify(result)).not.toMatch(/jsessionid|ABC123/);
    expect(requests).toHaveLength(1);
  });

  it('sends nothing when the deadline has passed', async () => {
    const { client, clock, requests } = clientWith([]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, clock.now() - 1);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 0, error: { code: 'DEADLINE' } });
    expect(requests).toHaveLength(0);
  });

  it('stops retrying when the next wait would pass the deadline', async () => {
    const { client, clock, requests } = clientWith([
      new Response('', { status: 503, headers: { 'Retry-After': '30' } }),
      new Response('1'),
    ]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, clock.now() + 10_000);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 1 });
    expect(requests).toHaveLength(1);
  });
});

describe('UcontactClient.endSession', () => {
  it('sends user and token with the Basic header and reads 1 as ended', async () => {
    const { client, requests, deadline } = clientWith([new Response('1')]);
    expect(await client.endSession('ApiUser', TOKEN, deadline)).toMatchObject({
      ok: true,
      attempts: 1,
    });
    expect(requests[0]?.url).toMatch(/auth\/EndSession$/);
    expect(requests[0]?.headers.get('authorization')).toBe(`Basic ${TOKEN}`);
    expect(Object.fromEntries(new URLSearchParams(requests[0]?.body))).toEqual({
      user: 'ApiUser',
      token: TOKEN,
    });
  });

  it('retries a timeout, since ending a session twice is harmless', async () => {
    const { client, deadline } = clientWith([HANG, new Response('1')]);
    expect(await client.endSession('ApiUser', TOKEN, deadline)).toMatchObject({
      ok: true,
      attempts: 2,
    });
  });

  it('reports 0 as a failure without the token in it, after asking again', async () => {
    const { client, deadline } = clientWith([new Response('0'), new Response('0')], {
      retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1_000 },
    });
    const report = await client.endSession('ApiUser', TOKEN, deadline);
    expect(report).toMatchObject({ ok: false, attempts: 2, error: { code: 'BAD_ANSWER' } });
    expect(JSON.stringify(report)).not.toContain(TOKEN);
  });

  it('asks again when the first answer is not 1, so the session gets closed', async () => {
    const { client, deadline } = clientWith([new Response('0'), new Response('1')]);
    expect(await client.endSession('ApiUser', TOKEN, deadline)).toMatchObject({
      ok: true,
      attempts: 2,
    });
  });
});
