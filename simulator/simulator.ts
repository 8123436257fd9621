import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loginAnswer, SimulatorProfile, TokenFormat } from './answers.js';
import { Base64Decoder, type RecordedBase, recordBase } from './base-record.js';
import { campaignMatcher } from './campaigns.js';
import { carriedOut, type Fault, FaultCall, FaultKind, FaultQueue, faultAnswer } from './faults.js';
import { type FormBody, readFormBody } from './form-body.js';
import { type Answer, errorPage, LOGIN_PAGE, LOGIN_PAGE_PATH } from './pages.js';

export interface SimulatorUser {
  readonly user: string;
  readonly password: string;
  readonly profile: SimulatorProfile;
}

export interface SimulatorOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly users?: readonly SimulatorUser[];
  /**
   * Campaigns uploadbase accepts. A name with its `<-` or `->` suffix also takes uploads naming it
   * without one; a name without a suffix takes either (see campaignMatcher).
   */
  readonly campaigns?: readonly string[];
  /** Accept any campaign name (handy for rehearsals). */
  readonly anyCampaign?: boolean;
  /** How a successful login carries the token: the profile's JSON shape, or the token as text. */
  readonly tokenFormat?: TokenFormat;
  /** Form bodies larger than this lose every field, as with Tomcat's maxPostSize. */
  readonly maxFormBytes?: number;
  /** `<call>:<kind>[:<times>]` strings or parsed faults, served in order. */
  readonly faults?: readonly (Fault | string)[];
  /** Retry-After (seconds) sent with the 429 and 503 faults. */
  readonly retryAfterSeconds?: number;
  /**
   * Keep each base's decoded text in memory (state().bases[].text); off by default, as a
   * rehearsal of a large file would otherwise hold all of it.
   */
  readonly keepText?: boolean;
  /** Receives one line per call; never a password or token. */
  readonly log?: (line: string) => void;
}

export const DEFAULT_SIMULATOR_OPTIONS = {
  port: 0,
  host: '127.0.0.1',
  users: [{ user: 'ApiUser', password: 'simulator', profile: SimulatorProfile.Supervisor }],
  campaigns: [],
  anyCampaign: false,
  tokenFormat: TokenFormat.Json,
  maxFormBytes: 2 * 1024 * 1024,
  retryAfterSeconds: 1,
  keepText: false,
} as const;

export interface SimulatorState {
  readonly bases: readonly RecordedBase[];
  readonly openSessions: number;
  readonly calls: { login: number; uploadbase: number; endsession: number };
}

export interface RunningSimulator {
  /** The base URL to give a client, with a trailing slash. */
  readonly url: string;
  readonly port: number;
  state(): SimulatorState;
  /** Adds a fault while running (`<call>:<kind>[:<times>]`). */
  addFault(fault: Fault | string): void;
  close(): Promise<void>;
}

const ROUTES: Readonly<Record<string, FaultCall>> = {
  '/Integra/resources/auth/UserLogin': FaultCall.Login,
  '/Integra/resources/auth/getUserToken': FaultCall.Login,
  '/Integra/resources/Dialers/uploadbase': FaultCall.Uploadbase,
  '/Integra/resources/auth/EndSession': FaultCall.Endsession,
};

const text = (body: string): Answer => ({ status: 200, body, type: 'text/plain' });
const page = (status: number): Answer => ({ status, body: errorPage(status), type: 'text/html' });

/** Where a redirect fault points: the login page on the host the caller asked for (Host). */
function loginUrl(request: IncomingMessage): string {
  const { localAddress, localPort } = request.socket;
  return `http://${request.headers.host ?? `${localAddress}:${localPort}`}${LOGIN_PAGE_PATH}`;
}

/**
 * A base's records as uContact splits them: on `\n`, a `\r` ending one not being content (the
 * empty last record of a base ending in a line break included).
 */
export function baseLines(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/**
 * Starts a uContact Integra API stand-in on `host:port`: UserLogin (and getUserToken), uploadbase
 * and EndSession as ucontact-api.md describes, the login page redirect faults point to, plus
 * `GET /_simulator/state`. Rejects when the port cannot be bound or a fault does not parse.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const settings = { ...DEFAULT_SIMULATOR_OPTIONS, ...options };
  const log = options.log ?? ((line: string) => console.log(line));
  const users = new Map(settings.users.map((user) => [user.user, user]));
  const knownCampaign = campaignMatcher(settings.campaigns, settings.anyCampaign);
  const faults = new FaultQueue();
  for (const fault of settings.faults ?? []) faults.add(fault);
  const sessions = new Map<string, string>();
  const bases: RecordedBase[] = [];
  const calls = { login: 0, uploadbase: 0, endsession: 0 };
  const sockets = new Set<Socket>();

  const send = (response: ServerResponse, answer: Answer) => {
    response.writeHead(answer.status, {
      ...answer.headers,
      'Content-Type': `${answer.type}; charset=UTF-8`,
    });
    response.end(answer.body);
  };

  const sessionUser = (request: IncomingMessage): { token: string; user: string } | undefined => {
    const match = /^Basic (\S+)$/.exec(request.headers.authorization ?? '');
    const user = match?.[1] ? sessions.get(match[1]) : undefined;
    return match?.[1] && user !== undefined ? { token: match[1], user } : undefined;
  };

  const sizeNote = (form: FormBody) =>
    form.overCap
      ? ` body=${form.bytes}B over the ${settings.maxFormBytes}B cap: fields dropped`
      : '';

  const faultReply = (fault: FaultKind, request: IncomingMessage) =>
    faultAnswer(fault, {
      loginUrl: loginUrl(request),
      retryAfterSeconds: settings.retryAfterSeconds,
    });

  const login = (form: FormBody): Answer => {
    const field = (name: string) => form.fields.get(name) ?? '';
    const user = users.get(field('user'));
    if (!user || user.password !== field('password')) {
      log(`login user=${field('user') || '(none)'} -> 0 (refused)${sizeNote(form)}`);
      return text('0');
    }
    const token = Buffer.from(`${user.user}:${randomUUID()}`).toString('base64');
    sessions.set(token, user.user);
    log(`login user=${user.user} -> 200 (${user.profile}, ${settings.tokenFormat})`);
    return loginAnswer(user.user, user.profile, token, settings.tokenFormat);
  };

  const endSession = (session: { token: string; user: string }, form: FormBody): Answer => {
    const field = (name: string) => form.fields.get(name) ?? '';
    if (field('token') !== session.token || field('user') !== session.user) {
      log(`endsession user=${field('user') || '(none)'} -> 0 (user or token does not match)`);
      return text('0');
    }
    sessions.delete(session.token);
    log(`endsession user=${session.user} -> 1`);
    return text('1');
  };

  /** Undefined when the answer is never sent (a timeout fault). */
  const uploadbase = (
    request: IncomingMessage,
    form: FormBody,
    decoder: Base64Decoder | undefined,
    fault: FaultKind | undefined,
  ): Answer | undefined => {
    const field = (name: string) => form.fields.get(name) ?? '';
    if (!decoder || !form.streamed.has('fileb64') || !form.fields.has('campaign')) {
      log(`uploadbase -> 500 (form fields missing)${sizeNote(form)}`);
      return page(500);
    }
    const described = `campaign=${field('campaign')} filename=${field('filename')} cant=${field('cant')}`;
    if (!knownCampaign(field('campaign'))) {
      log(`uploadbase ${described} -> 0 (unknown campaign)`);
      return text('0');
    }
    const base = recordBase(
      { campaign: field('campaign'), filename: field('filename'), cant: field('cant') },
      decoder.end(),
    );
    if (!base) {
      log(`uploadbase ${described} -> 0 (fileb64 is not base64)`);
      return text('0');
    }
    bases.push(base);
    const loaded = `uploadbase ${described} records=${base.records}${base.cantMatches ? '' : ' (cant differs from the record count)'}`;
    if (!fault) {
      log(`${loaded} -> 1`);
      return text('1');
    }
    const answer = faultReply(fault, request);
    log(`${loaded} -> recorded, fault=${fault}${answer ? `: ${answer.status}` : ': no answer'}`);
    return answer;
  };

  /** The page redirect faults point to; a client that follows one lands here, and the log says so. */
  const serveLoginPage = async (request: IncomingMessage, response: ServerResponse) => {
    let bytes = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) bytes += chunk.length;
    log(`login page ${request.method}${bytes > 0 ? ` with a ${bytes}B body` : ''} -> 200`);
    send(response, { status: 200, body: LOGIN_PAGE, type: 'text/html' });
  };

  /** Carries out one API call, or serves the fault that replaces it. */
  const serveCall = async (call: FaultCall, request: IncomingMessage, response: ServerResponse) => {
    calls[call]++;
    const fault = faults.take(call);
    if (fault === FaultKind.Reset) {
      log(`${call} fault=reset: connection reset before the body was read`);
      request.socket.resetAndDestroy();
      return;
    }
    // The file streams through a decoder as it arrives: neither the 2 MB form nor the base's text
    // is held, unless the texts are kept.
    let decoder: Base64Decoder | undefined;
    const stream = {
      fileb64: () => {
        decoder = new Base64Decoder(settings.keepText);
        return decoder;
      },
    };
    const form = await readFormBody(request, {
      maxBytes: settings.maxFormBytes,
      ...(call === FaultCall.Uploadbase ? { stream } : {}),
    });
    if (fault && !carriedOut(call, fault)) {
      const answer = faultReply(fault, request);
      log(`${call} fault=${fault}${answer ? '' : ': no answer'}`);
      if (answer) send(response, answer);
      return;
    }
    if (call === FaultCall.Login) return send(response, login(form));
    const session = sessionUser(request);
    if (!session) {
      log(`${call} -> 401 (missing or unknown Basic token)${sizeNote(form)}`);
      return send(response, page(401));
    }
    if (call === FaultCall.Endsession) return send(response, endSession(session, form));
    const answer = uploadbase(request, form, decoder, fault);
    if (answer) send(response, answer);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const path = url.pathname;
    if (request.method === 'GET' && path === '/_simulator/state') {
      const { bases: recorded, ...rest } = state();
      // `?content=1` adds each base's text and its decoded lines (kept only with keepText), to check
      // what was loaded number by number.
      const content = url.searchParams.get('content') === '1';
      const summary = recorded.map(({ text, ...base }) =>
        content ? { ...base, text, lines: settings.keepText ? baseLines(text) : null } : base,
      );
      const body = JSON.stringify({ bases: summary, ...rest });
      return send(response, { status: 200, body, type: 'application/json' });
    }
    if (path === LOGIN_PAGE_PATH) return serveLoginPage(request, response);
    const call = ROUTES[path];
    if (!call) return send(response, page(404));
    if (request.method !== 'POST') return send(response, page(405));
    return serveCall(call, request, response);
  };

  const state = (): SimulatorState => ({
    bases: [...bases],
    openSessions: sessions.size,
    calls: { ...calls },
  });

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) send(response, page(500));
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;

  return {
    url: `http://${host}:${port}/`,
    port,
    state,
    addFault: (fault) => faults.add(fault),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
