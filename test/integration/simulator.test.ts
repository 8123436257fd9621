import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedBase } from '../../simulator/base-record.js';
import { parseFault } from '../../simulator/faults.js';
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../simulator/simulator.js';

const FORM = 'application/x-www-form-urlencoded; charset=UTF-8';
let simulator: RunningSimulator | undefined;
let logs: string[] = [];

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
  logs = [];
});

async function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  simulator = await startSimulator({
    users: [
      { user: 'IntegraUser', password: 'password', profile: 'supervisor' },
      { user: 'AgentUser', password: 'agentpw', profile: 'agent' },
      { user: 'PhoneUser', password: 'phonepw', profile: 'supervisor-phone' },
    ],
    campaigns: ['TestDialer', 'AutomationDialerPD<-'],
    keepText: true,
    log: (line) => logs.push(line),
    ...options,
  });
  return simulator;
}

async function post(
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(new URL(path, simulator!.url), {
    method: 'POST',
    headers: { 'Content-Type': FORM, ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function login(user = 'IntegraUser', password = 'password'): Promise<string> {
  const { text } = await post('Integra/resources/auth/UserLogin', { user, password });
  return JSON.parse(text).at(-1);
}

const upload = (token: string, fields: Record<string, string>) =>
  post('Integra/resources/Dialers/uploadbase', fields, { Authorization: `Basic ${token}` });

describe('the uContact simulator', () => {
  it("answers a supervisor's login with the vendor's array, token last, base64 of user:uuid", async () => {
    await start();
    const { status, text } = await post('Integra/resources/auth/UserLogin', {
      user: 'IntegraUser',
      password: 'password',
    });
    const answer = JSON.parse(text);
    expect(status).toBe(200);
    expect(answer[0]).toMatchObject({ userid: 'IntegraUser', idgroup: 'SuperUser' });
    expect(answer[1]).toMatchObject({ idgroup: 'SuperUser', managedialers: 1 });
    expect(Buffer.from(answer.at(-1), 'base64').toString()).toMatch(/^IntegraUser:[0-9a-f-]{36}$/);
    expect(simulator!.state().openSessions).toBe(1);
  });

  it("answers an agent's login with an object holding md5secret", async () => {
    await start();
    const { text } = await post('Integra/resources/auth/UserLogin', {
      user: 'AgentUser',
      password: 'agentpw',
    });
    const answer = JSON.parse(text);
    expect(answer).toMatchObject({ mailbox: '', pickupgroup: '' });
    expect(Buffer.from(answer.md5secret, 'base64').toString()).toMatch(/^AgentUser:/);
  });

  it('answers 0 to a wrong password and to an unknown user', async () => {
    await start();
    expect(
      (await post('Integra/resources/auth/UserLogin', { user: 'IntegraUser', password: 'nope' }))
        .text,
    ).toBe('0');
    expect(
      (await post('Integra/resources/auth/UserLogin', { user: 'Nobody', password: 'password' }))
        .text,
    ).toBe('0');
    expect(simulator!.state().openSessions).toBe(0);
  });

  it('serves the newer getUserToken login path too', async () => {
    await start();
    const { text } = await post('Integra/resources/auth/getUserToken', {
      user: 'IntegraUser',
      password: 'password',
    });
    expect(JSON.parse(text)).toHaveLength(3);
  });

  it("loads the vendor's uploadbase example and keeps its exact bytes", async () => {
    await start();
    const token = await login();
    const fileb64 = 'UHJ1ZWJhRW5jdWVzdGE7MjUyNTI5NjE7Ozs5OTk5Ow==';
    const answer = await upload(token, {
      filename: 'TestFileBase',
      fileb64,
      campaign: 'TestDialer',
      cant: '1',
      username: 'ApiUser',
    });
    expect(answer).toMatchObject({ status: 200, text: '1' });
    const [base] = simulator!.state().bases;
    expect(base).toMatchObject({
      campaign: 'TestDialer',
      filename: 'TestFileBase',
      cant: 1,
      records: 1,
      cantMatches: true,
    });
    expect(base?.text).toBe('PruebaEncuesta;25252961;;;9999;');
    expect(Buffer.from(base!.text).toString('base64')).toBe(fileb64);
    expect(base?.sha256).toBe(
      createHash('sha256').update(Buffer.from(fileb64, 'base64')).digest('hex'),
    );
  });

  it("decodes the vendor's other base64 example into its documented line", async () => {
    await start();
    const token = await login();
    const fileb64 =
      'cHJ1ZWJhMTswOTgzNDQ0ODQ7dmFyMT12YWwxOnZhcjI9dmFsMjswOTkxMjQ0ODQ6MDk5MTEzMTEwOzk5OTk7MTAwMQ==';
    await upload(token, {
      filename: 'prueba',
      fileb64,
      campaign: 'TestDialer',
      cant: '1',
      username: 'IntegraUser',
    });
    expect(simulator!.state().bases[0]?.text).toBe(
      'prueba1;098344484;var1=val1:var2=val2;099124484:099113110;9999;1001',
    );
  });

  it("loads the public end-to-end test's three-line base to a `<-` campaign", async () => {
    await start();
    const token = await login();
    const text = [
      'AutomationDialerPD<-;999444444;state=KY:variable2=val2;H=0=999555555:W=0=999666666;9999;',
      'AutomationDialerPD<-;999111111;state=NV:variable2=val2;999222222:999333333;9999;',
      'AutomationDialerPD<-;999777777;state=:variable2=val2;999888888:999999999;9999;',
    ].join('\n');
    const fileb64 = Buffer.from(text).toString('base64');
    const answer = await upload(token, {
      filename: 'e2e.csv',
      fileb64,
      campaign: 'AutomationDialerPD<-',
      cant: '3',
      username: 'IntegraUser',
    });
    expect(answer.text).toBe('1');
    const [base] = simulator!.state().bases;
    expect(base).toMatchObject({
      records: 3,
      cant: 3,
      emptyLastRecord: false,
      cantMatches: true,
      text,
    });
    expect(Buffer.from(base!.text).toString('base64')).toBe(fileb64);
  });

  it('counts the empty last record of a base that ends with a line break', async () => {
    await start();
    const token = await login();
    const text = 'TestDialer<-;099124484;;;9999;\nTestDialer<-;099124485;;;9999;\n';
    await upload(token, {
      filename: 'f',
      fileb64: Buffer.from(text).toString('base64'),
      campaign: 'TestDialer',
      cant: '2',
      username: 'u',
    });
    expect(simulator!.state().bases[0]).toMatchObject({
      cant: 2,
      records: 3,
      emptyLastRecord: true,
      cantMatches: false,
    });
    expect(logs.some((line) => line.includes('cant differs from the record count'))).toBe(true);
  });

  it("loads the public PHP client's one-contact calls", async () => {
    await start();
    const token = await login();
    for (const [mobile, name] of [
      ['099111222', 'Ana'],
      ['099333444', 'Luis'],
    ]) {
      const fileb64 = Buffer.from(`TestDialer;${mobile};Name=${name};;9999;`).toString('base64');
      expect(
        (
          await upload(token, {
            filename: `${name}.csv`,
            fileb64,
            campaign: 'TestDialer',
            cant: '1',
            username: 'IntegraUser',
          })
        ).text,
      ).toBe('1');
    }
    expect(simulator!.state().bases.map((b) => b.records)).toEqual([1, 1]);
  });

  it('answers 0 to an unknown campaign and records nothing', async () => {
    await start();
    const token = await login();
    const fileb64 = Buffer.from('Nope<-;099124484;;;9999;\n').toString('base64');
    expect(
      (await upload(token, { filename: 'f', fileb64, campaign: 'Nope', cant: '1', username: 'u' }))
        .text,
    ).toBe('0');
    expect(simulator!.state().bases).toHaveLength(0);
  });

  it('accepts any campaign when told to', async () => {
    await start({ campaigns: [], anyCampaign: true });
    const token = await login();
    const fileb64 = Buffer.from('Whatever<-;099124484;;;9999;\n').toString('base64');
    expect(
      (
        await upload(token, {
          filename: 'f',
          fileb64,
          campaign: 'Whatever<-',
          cant: '1',
          username: 'u',
        })
      ).text,
    ).toBe('1');
  });

  it('notes a cant that differs from the line count, in the state and the log', async () => {
    await start();
    const token = await login();
    const fileb64 = Buffer.from(
      'TestDialer<-;099124484;;;9999;\nTestDialer<-;099124485;;;9999;',
    ).toString('base64');
    await upload(token, {
      filename: 'f',
      fileb64,
      campaign: 'TestDialer',
      cant: '5',
      username: 'u',
    });
    expect(simulator!.state().bases[0]).toMatchObject({ cant: 5, records: 2, cantMatches: false });
    expect(logs.some((line) => line.includes('cant differs from the record count'))).toBe(true);
  });

  it('requires the Basic header with exactly one space on uploadbase and EndSession', async () => {
    await start();
    const token = await login();
    const fields = {
      filename: 'f',
      fileb64: 'MQ==',
      campaign: 'TestDialer',
      cant: '1',
      username: 'u',
    };
    expect((await post('Integra/resources/Dialers/uploadbase', fields)).status).toBe(401);
    expect(
      (
        await post('Integra/resources/Dialers/uploadbase', fields, {
          Authorization: `Basic${token}`,
        })
      ).status,
    ).toBe(401);
    expect(
      (await post('Integra/resources/auth/EndSession', { user: 'IntegraUser', token })).status,
    ).toBe(401);
  });

  it('ends a session with user and token, after which the token no longer works', async () => {
    await start();
    const token = await login();
    const end = await post(
      'Integra/resources/auth/EndSession',
      { token, user: 'IntegraUser' },
      { Authorization: `Basic ${token}` },
    );
    expect(end.text).toBe('1');
    expect(simulator!.state().openSessions).toBe(0);
    expect(
      (
        await upload(token, {
          filename: 'f',
          fileb64: 'MQ==',
          campaign: 'TestDialer',
          cant: '1',
          username: 'u',
        })
      ).status,
    ).toBe(401);
  });

  it("answers 0 to EndSession when the token field does not match the header's", async () => {
    await start();
    const token = await login();
    const end = await post(
      'Integra/resources/auth/EndSession',
      { token: 'other', user: 'IntegraUser' },
      { Authorization: `Basic ${token}` },
    );
    expect(end.text).toBe('0');
    expect(simulator!.state().openSessions).toBe(1);
  });

  it('drops every form field of a body over 2 MiB, as a servlet container does', async () => {
    await start();
    const token = await login();
    const text = 'TestDialer<-;099124484;;;9999;\n'.repeat(60_000);
    const answer = await upload(token, {
      filename: 'big.csv',
      fileb64: Buffer.from(text).toString('base64'),
      campaign: 'TestDialer',
      cant: '60000',
      username: 'u',
    });
    expect(answer.status).toBe(500);
    expect(simulator!.state().bases).toHaveLength(0);
    expect(logs.at(-1)).toMatch(/over the 2097152B cap: fields dropped/);
  });

  it('reads no fields from a body that is not form-encoded', async () => {
    await start();
    const token = await login();
    const response = await fetch(new URL('Integra/resources/Dialers/uploadbase', simulator!.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${token}` },
      body: JSON.stringify({ fileb64: 'MQ==', campaign: 'TestDialer' }),
    });
    expect(response.status).toBe(500);
  });

  it('answers 0 to a fileb64 that is not base64', async () => {
    await start();
    const token = await login();
    expect(
      (
        await upload(token, {
          filename: 'f',
          fileb64: 'not base64!',
          campaign: 'TestDialer',
          cant: '1',
          username: 'u',
        })
      ).text,
    ).toBe('0');
  });

  it('serves its state as JSON, without the texts', async () => {
    await start();
    const token = await login();
    await upload(token, {
      filename: 'TestFileBase',
      fileb64: 'UHJ1ZWJhRW5jdWVzdGE7MjUyNTI5NjE7Ozs5OTk5Ow==',
      campaign: 'TestDialer',
      cant: '1',
      username: 'u',
    });
    const state = await (await fetch(new URL('_simulator/state', simulator!.url))).json();
    expect(state).toEqual({
      bases: [
        {
          campaign: 'TestDialer',
          filename: 'TestFileBase',
          cant: 1,
          records: 1,
          emptyLastRecord: false,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
          cantMatches: true,
        },
      ],
      openSessions: 1,
      calls: { login: 1, uploadbase: 1, endsession: 0 },
    });
  });

  it("adds each base's decoded lines with ?content=1, when it keeps the texts", async () => {
    await start({ keepText: true });
    const token = await login();
    const text = 'TestDialer;25252961;;;9999;\r\nTestDialer;098344484;a=b;;9999;\n';
    await upload(token, {
      filename: 'f',
      fileb64: Buffer.from(text).toString('base64'),
      campaign: 'TestDialer',
      cant: '3',
      username: 'u',
    });
    const state = async (query: string) =>
      (await (await fetch(new URL(`_simulator/state${query}`, simulator!.url))).json()) as {
        bases: { lines?: string[] | null }[];
      };
    expect((await state('?content=1')).bases[0]?.lines).toEqual([
      'TestDialer;25252961;;;9999;',
      'TestDialer;098344484;a=b;;9999;',
      '',
    ]);
    expect((await state('')).bases[0]).not.toHaveProperty('lines');
  });

  it('adds the text of each base to its state with ?content=1', async () => {
    await start();
    const token = await login();
    await upload(token, {
      filename: 'TestFileBase',
      fileb64: Buffer.from('Ventas;099111222;;;9999\nVentas;099333444;;;9999').toString('base64'),
      campaign: 'TestDialer',
      cant: '2',
      username: 'u',
    });
    const url = new URL('_simulator/state?content=1', simulator!.url);
    const state = (await (await fetch(url)).json()) as { bases: RecordedBase[] };
    expect(state.bases).toEqual([
      expect.objectContaining({
        records: 2,
        text: 'Ventas;099111222;;;9999\nVentas;099333444;;;9999',
      }),
    ]);
  });

  it('serves a fault as many times as asked, then behaves again', async () => {
    await start({ faults: ['login:503:2'] });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await post('Integra/resources/auth/UserLogin', {
            user: 'IntegraUser',
            password: 'password',
          })
        ).status,
      );
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('answers HTML for the garbage fault and 0 for the zero fault', async () => {
    await start({ faults: ['login:garbage', 'login:zero'] });
    expect(
      (
        await post('Integra/resources/auth/UserLogin', {
          user: 'IntegraUser',
          password: 'password',
        })
      ).text,
    ).toMatch(/^<html>/);
    expect(
      (
        await post('Integra/resources/auth/UserLogin', {
          user: 'IntegraUser',
          password: 'password',
        })
      ).text,
    ).toBe('0');
  });

  it('logs one line per call and never the password or the token', async () => {
    await start();
    const token = await login();
    await upload(token, {
      filename: 'f',
      fileb64: 'MQ==',
      campaign: 'TestDialer',
      cant: '1',
      username: 'u',
    });
    await post(
      'Integra/resources/auth/EndSession',
      { token, user: 'IntegraUser' },
      { Authorization: `Basic ${token}` },
    );
    expect(logs).toHaveLength(3);
    expect(logs.join('\n')).not.toContain('password');
    expect(logs.join('\n')).not.toContain(token);
  });
});

const BASE = {
  filename: 'lista-001.txt',
  fileb64: Buffer.from('TestDialer<-;099124484;;;9999;').toString('base64'),
  campaign: 'TestDialer',
  cant: '1',
  username: 'IntegraUser',
};

/** The state as `GET /_simulator/state` serves it. */
async function httpState(): Promise<{ bases: Omit<RecordedBase, 'text'>[] }> {
  return (await (await fetch(new URL('_simulator/state', simulator!.url))).json()) as {
    bases: Omit<RecordedBase, 'text'>[];
  };
}

describe('the login answer shapes', () => {
  const logIn = (user: string, password: string) =>
    post('Integra/resources/auth/UserLogin', { user, password });
  const works = async (token: string) => (await upload(token, BASE)).text === '1';

  it('answers a supervisor with a phone with an array whose phone object holds md5secret', async () => {
    await start();
    const answer = JSON.parse((await logIn('PhoneUser', 'phonepw')).text);
    expect(answer).toHaveLength(3);
    expect(answer.every((element: unknown) => typeof element === 'object')).toBe(true);
    expect(answer[0]).toMatchObject({ userid: 'PhoneUser', idgroup: 'SuperUser' });
    const phone = answer.find((element: { md5secret?: string }) => element.md5secret);
    expect(phone).toMatchObject({ name: expect.any(String), mailbox: expect.any(String) });
    expect(Buffer.from(phone.md5secret, 'base64').toString()).toMatch(/^PhoneUser:[0-9a-f-]{36}$/);
    expect(await works(phone.md5secret)).toBe(true);
  });

  it.each([
    ['supervisor', 'IntegraUser', 'password', (body: string) => JSON.parse(body).at(-1)],
    ['agent', 'AgentUser', 'agentpw', (body: string) => JSON.parse(body).md5secret],
    ['supervisor-phone', 'PhoneUser', 'phonepw', (body: string) => JSON.parse(body)[2].md5secret],
  ])('gives a %s a token that works on uploadbase', async (_profile, user, password, read) => {
    await start();
    const answer = await logIn(user, password);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await works(read(answer.text))).toBe(true);
    expect(simulator!.state().bases).toHaveLength(1);
  });

  it.each([
    ['IntegraUser', 'password'],
    ['AgentUser', 'agentpw'],
    ['PhoneUser', 'phonepw'],
  ])('answers %s with the token alone as text when told to', async (user, password) => {
    await start({ tokenFormat: 'text' });
    const answer = await logIn(user, password);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(answer.text).toMatch(/^[A-Za-z0-9+/=]+\n$/);
    const token = answer.text.split('\n')[0]!;
    expect(Buffer.from(token, 'base64').toString()).toMatch(new RegExp(`^${user}:`));
    expect(await works(token)).toBe(true);
  });

  it.each(['json', 'text'] as const)(
    'answers 0 to a wrong password in every shape (token format %s)',
    async (tokenFormat) => {
      await start({ tokenFormat });
      for (const user of ['IntegraUser', 'AgentUser', 'PhoneUser', 'Nobody'])
        expect((await logIn(user, 'wrong')).text).toBe('0');
      expect(simulator!.state().openSessions).toBe(0);
    },
  );
});

describe('the faults of a dialer that fails after loading', () => {
  it.each([
    ['uploadbase:500-after-load', 500, /HTTP Status 500 – Internal Server Error/],
    ['uploadbase:502-after-load', 502, /<h1>502 Bad Gateway<\/h1>/],
  ])('%s records the base exactly once, then answers %i', async (fault, status, page) => {
    await start({ faults: [fault] });
    const token = await login();
    const answer = await upload(token, BASE);
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toMatch(page);
    const state = await httpState();
    expect(state.bases).toEqual([
      {
        campaign: 'TestDialer',
        filename: 'lista-001.txt',
        cant: 1,
        records: 1,
        sha256: createHash('sha256').update('TestDialer<-;099124484;;;9999;').digest('hex'),
        cantMatches: true,
        emptyLastRecord: false,
      },
    ]);
    expect(logs.at(-1)).toMatch(new RegExp(`-> recorded, fault=${status}-after-load: ${status}$`));
    // Served once: the same call again loads a second copy and answers 1.
    expect((await upload(token, BASE)).text).toBe('1');
    expect((await httpState()).bases).toHaveLength(2);
  });

  it('still refuses, and records nothing, where the upload would have been refused', async () => {
    await start({ faults: ['uploadbase:500-after-load'] });
    const token = await login();
    expect((await upload(token, { ...BASE, campaign: 'Nope' })).text).toBe('0');
    expect(simulator!.state().bases).toHaveLength(0);
  });
});

describe('the faults of an authentication filter', () => {
  it.each([301, 302, 303, 307, 308])(
    'uploadbase:%i redirects to the login page, loads nothing and keeps the session',
    async (status) => {
      await start({ faults: [`uploadbase:${status}`] });
      const token = await login();
      const answer = await upload(token, BASE);
      expect(answer.status).toBe(status);
      const location = answer.headers.get('location');
      expect(location).toBe(new URL('ucontact/login.jsp', simulator!.url).href);
      expect(answer.text).toContain(`href="${location}"`);
      expect((await httpState()).bases).toHaveLength(0);
      expect(simulator!.state().openSessions).toBe(1);
      const followed = await fetch(location!);
      expect(followed.status).toBe(200);
      expect(await followed.text()).toMatch(/<input type="password"/);
      expect(logs.at(-1)).toBe('login page GET -> 200');
    },
  );

  it('logs a client that follows a redirect with its form body', async () => {
    await start();
    await fetch(new URL('ucontact/login.jsp', simulator!.url), {
      method: 'POST',
      headers: { 'Content-Type': FORM },
      body: new URLSearchParams(BASE).toString(),
    });
    expect(logs.at(-1)).toMatch(/^login page POST with a \d+B body -> 200$/);
  });

  it('uploadbase:loginpage answers a login form with status 200 and loads nothing', async () => {
    await start({ faults: ['uploadbase:loginpage'] });
    const token = await login();
    const answer = await upload(token, BASE);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toMatch(/<form [^>]*action="j_security_check"/);
    expect(answer.text).toMatch(/<input type="password"/);
    expect((await httpState()).bases).toHaveLength(0);
    expect((await upload(token, BASE)).text).toBe('1');
  });

  it('redirects login and EndSession without opening or closing a session', async () => {
    await start({ faults: ['login:302', 'endsession:loginpage'] });
    const first = await post('Integra/resources/auth/UserLogin', {
      user: 'IntegraUser',
      password: 'password',
    });
    expect(first.status).toBe(302);
    expect(simulator!.state().openSessions).toBe(0);
    const token = await login();
    const end = await post(
      'Integra/resources/auth/EndSession',
      { token, user: 'IntegraUser' },
      { Authorization: `Basic ${token}` },
    );
    expect(end.text).toMatch(/j_security_check/);
    expect(simulator!.state().openSessions).toBe(1);
  });
});

describe('campaign names', () => {
  const to = async (campaign: string) => (await upload(await login(), { ...BASE, campaign })).text;

  it('accepts a Progressive or Preview campaign, with or without its -> suffix', async () => {
    await start({ campaigns: ['Salida->'] });
    expect(await to('Salida->')).toBe('1');
    expect(await to('Salida')).toBe('1');
    expect(simulator!.state().bases.map((base) => base.campaign)).toEqual(['Salida->', 'Salida']);
  });

  it('refuses with 0 an upload whose suffix names the other dialer type', async () => {
    await start({ campaigns: ['Ventas->', 'Cobros<-'] });
    expect(await to('Ventas<-')).toBe('0');
    expect(await to('Cobros->')).toBe('0');
    expect(simulator!.state().bases).toHaveLength(0);
  });

  it('matches a campaign configured without a suffix to either', async () => {
    await start({ campaigns: ['Encuesta'] });
    expect([await to('Encuesta<-'), await to('Encuesta->'), await to('Encuesta')]).toEqual([
      '1',
      '1',
      '1',
    ]);
    expect(await to('Encuesta2<-')).toBe('0');
  });

  it('compares names as given: a decomposed accent is another campaign', async () => {
    await start({ campaigns: ['Campa\u00f1a<-'] });
    expect(await to('Campan\u0303a<-')).toBe('0');
    expect(await to('Campa\u00f1a<-')).toBe('1');
  });
});

describe('parseFault', () => {
  it('reads call, kind and times, times defaulting to 1', () => {
    expect(parseFault('uploadbase:timeout')).toEqual({
      call: 'uploadbase',
      kind: 'timeout',
      times: 1,
    });
    expect(parseFault('login:503:3')).toEqual({ call: 'login', kind: '503', times: 3 });
  });

  it('names the accepted values when the text does not fit', () => {
    expect(() => parseFault('upload:timeout')).toThrow(/login\|uploadbase\|endsession/);
    expect(() => parseFault('login:418')).toThrow(
      /500\|503\|429\|401\|403\|301\|302\|303\|307\|308\|loginpage\|timeout\|reset\|zero\|garbage\|500-after-load\|502-after-load/,
    );
    expect(() => parseFault('login:500:0')).toThrow();
  });

  it('refuses the after-load kinds on any call but uploadbase', () => {
    expect(parseFault('uploadbase:502-after-load:2')).toEqual({
      call: 'uploadbase',
      kind: '502-after-load',
      times: 2,
    });
    expect(() => parseFault('login:500-after-load')).toThrow(
      'Fault "login:500-after-load": 500-after-load applies to uploadbase only',
    );
    expect(() => parseFault('endsession:502-after-load')).toThrow(/uploadbase only/);
  });
});
