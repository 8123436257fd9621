import { describe, expect, it } from 'vitest';
import { UcontactClient } from '../../../functions/ucontact/client.js';
import { UploadOutcome } from '../../../functions/ucontact/results.js';
import type { RetryClock } from '../../../functions/ucontact/retry.js';

const TOKEN = 'QXBpVXNlcjo2MGEzYWUzYS1lNzI2LTRlMGQtOTQxYy1jMGM4OGM4NTgyNDE=';
const FIELDS = { filename: 'base.csv', campaign: 'TestDialer', cant: 1, username: 'ApiUser' };
const CONTENT = 'TestDialer<-;099124484;;;9999;\n';

type Step = Response | Error | 'hang';

/** A fetch that plays `steps` in order and records each request. */
function fakeFetch(steps: Step[]) {
  const requests: { url: string; headers: Headers; body: string }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({
      url: String(input),
      headers: new Headers(init?.headers),
      body: String(init?.body),
    });
    const step = steps.shift() ?? new Response('1');
    if (step === 'hang') {
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    if (step instanceof Error) throw step;
    return step;
  }) as typeof fetch;
  return { fetchImpl, requests };
}

function fetchFailed(code: string): Error {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error(`connect ${code}`), { code }),
  });
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
  const fake = fakeFetch(steps);
  const clock = fakeClock();
  const client = new UcontactClient({
    baseUrl: 'https://acme.ucontactcloud.com',
    fetch: fake.fetchImpl,
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
      fetchFailed('ECONNRESET'),
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
    const { client, deadline } = clientWith([fetchFailed('ECONNREFUSED'), new Response('1')]);
    expect(await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline)).toMatchObject({
      outcome: UploadOutcome.Accepted,
      attempts: 2,
    });
  });

  it.each([429, 502, 503])('retries HTTP %i', async (status) => {
    const { client, deadline } = clientWith([new Response('', { status }), new Response('1')]);
    expect(await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline)).toMatchObject({
      outcome: 'accepted',
      attempts: 2,
    });
  });

  it('reports a gateway timeout (504) as unknown and does not resend', async () => {
    const { client, requests, deadline } = clientWith([
      new Response('', { status: 504 }),
      new Response('1'),
    ]);
    expect(await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline)).toMatchObject({
      outcome: 'unknown',
      attempts: 1,
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

  it('does not retry HTTP 500: the base may have been partly handled', async () => {
    const { client, requests, deadline } = clientWith([
      new Response('<h1>Error 500</h1>', { status: 500 }),
    ]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result).toMatchObject({
      outcome: 'failed',
      attempts: 1,
      error: { code: 'HTTP_STATUS' },
    });
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['stays unavailable (503)', () => new Response('', { status: 503 })],
    ['answers 500', () => new Response('<h1>Error 500</h1>', { status: 500 })],
    ['cannot be reached', () => fetchFailed('ECONNREFUSED')],
  ])('marks a failed base as worth sending later when uContact %s', async (_, step) => {
    const { client, deadline } = clientWith([step(), step(), step(), step()]);
    expect(await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline)).toMatchObject({
      outcome: 'failed',
      retryable: true,
    });
  });

  it.each([
    ['answers 0', () => new Response('0')],
    ['answers an HTML page', () => new Response('<html>error</html>')],
    ['answers 400', () => new Response('bad', { status: 400 })],
  ])('marks a base as refused for good when uContact %s', async (_, step) => {
    const { client, deadline } = clientWith([step()]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result.outcome).toBe('failed');
    expect(result.retryable).toBeUndefined();
  });

  it('reports any answer but 1 as failed, with a sanitized excerpt', async () => {
    const { client, deadline } = clientWith([
      new Response(`error: campaign for 099124484 ${TOKEN}`),
    ]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result.outcome).toBe('failed');
    expect(result.answer).toBe('error: campaign for ######### [redacted]');
  });

  it('reports a timeout as unknown and does not resend the base', async () => {
    const { client, requests, deadline } = clientWith(['hang', new Response('1')]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result).toMatchObject({
      outcome: UploadOutcome.Unknown,
      attempts: 1,
      error: { code: 'TIMEOUT' },
    });
    expect(requests).toHaveLength(1);
  });

  it('reports a connection reset as unknown and does not resend the base', async () => {
    const { client, requests, deadline } = clientWith([
      fetchFailed('ECONNRESET'),
      new Response('1'),
    ]);
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result).toMatchObject({
      outcome: UploadOutcome.Unknown,
      attempts: 1,
      error: { code: 'NETWORK' },
    });
    expect(requests).toHaveLength(1);
  });

  it('resends after a timeout only when retryUnknownUploads is on', async () => {
    const { client, requests, deadline } = clientWith(['hang', new Response('1')], {
      retryUnknownUploads: true,
    });
    const result = await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline);
    expect(result).toMatchObject({ outcome: UploadOutcome.Accepted, attempts: 2 });
    expect(requests).toHaveLength(2);
  });

  it('flags 401 and 403 as a refused token', async () => {
    const { client, deadline } = clientWith([new Response('', { status: 403 })]);
    expect(await client.uploadBase(TOKEN, FIELDS, CONTENT, deadline)).toMatchObject({
      outcome: 'failed',
      authRejected: true,
      error: { code: 'AUTH_REJECTED' },
    });
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
    const { client, deadline } = clientWith(['hang', new Response('1')]);
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
