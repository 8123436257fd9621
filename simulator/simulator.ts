import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { errorPage, GARBAGE_PAGE, loginAnswer, SimulatorProfile } from './answers.js';
import { Base64Decoder, type RecordedBase, recordBase } from './base-record.js';
import { type Fault, FaultCall, FaultKind, FaultQueue } from './faults.js';
import { readFormBody } from './form-body.js';

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
  /** Campaigns uploadbase accepts, with or without the `<-` suffix. */
  readonly campaigns?: readonly string[];
  /** Accept any campaign name (handy for rehearsals). */
  readonly anyCampaign?: boolean;
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

/**
 * Starts a uContact Integra API stand-in on `host:port`: UserLogin (and getUserToken), uploadbase
 * and EndSession as ucontact-api.md describes, plus `GET /_simulator/state`.
 * Rejects when the port cannot be bound or a fault does not parse.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const settings = { ...DEFAULT_SIMULATOR_OPTIONS, ...options };
  const log = options.log ?? ((line: string) => console.log(line));
  const users = new Map(settings.users.map((user) => [user.user, user]));
  const campaigns = new Set(settings.campaigns.map((name) => name.replace(/<-$/, '')));
  const faults = new FaultQueue();
  for (const fault of settings.faults ?? []) faults.add(fault);
  const sessions = new Map<string, string>();
  const bases: RecordedBase[] = [];
  const calls = { login: 0, uploadbase: 0, endsession: 0 };
  const sockets = new Set<Socket>();

  const knownCampaign = (name: string) =>
    settings.anyCampaign ? name.trim() !== '' : campaigns.has(name.replace(/<-$/, ''));

  const send = (response: ServerResponse, status: number, body: string, type = 'text/plain') => {
    response.writeHead(status, { 'Content-Type': `${type}; charset=UTF-8` });
    response.end(body);
  };

  const sessionUser = (request: IncomingMessage): { token: string; user: string } | undefined => {
    const match = /^Basic (\S+)$/.exec(request.headers.authorization ?? '');
    const user = match?.[1] ? sessions.get(match[1]) : undefined;
    return match?.[1] && user !== undefined ? { token: match[1], user } : undefined;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    if (request.method === 'GET' && path === '/_simulator/state') {
      const { bases: recorded, ...rest } = state();
      const summary = recorded.map(({ text: _text, ...base }) => base);
      send(response, 200, JSON.stringify({ bases: summary, ...rest }), 'application/json');
      return;
    }
    const call = ROUTES[path];
    if (!call) return send(response, 404, errorPage(404, 'Not Found'), 'text/html');
    if (request.method !== 'POST')
      return send(response, 405, errorPage(405, 'Method Not Allowed'), 'text/html');
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
    const field = (name: string) => form.fields.get(name) ?? '';
    const sizeNote = form.overCap
      ? ` body=${form.bytes}B over the ${settings.maxFormBytes}B cap: fields dropped`
      : '';

    if (fault && fault !== FaultKind.Timeout) {
      log(`${call} fault=${fault}`);
      if (fault === FaultKind.Zero) return send(response, 200, '0');
      if (fault === FaultKind.Garbage) return send(response, 200, GARBAGE_PAGE, 'text/html');
      const status = Number(fault);
      if (status === 429 || status === 503)
        response.setHeader('Retry-After', String(settings.retryAfterSeconds));
      const reason = {
        401: 'Unauthorized',
        429: 'Too Many Requests',
        500: 'Internal Server Error',
        503: 'Service Unavailable',
      }[status];
      return send(response, status, errorPage(status, reason ?? 'Error'), 'text/html');
    }
    // A timed-out call on uploadbase is carried out first: the dangerous case the client must survive.
    const hang = fault === FaultKind.Timeout;
    if (hang && call !== FaultCall.Uploadbase) {
      log(`${call} fault=timeout: no answer`);
      return;
    }

    if (call === FaultCall.Login) {
      const user = users.get(field('user'));
      if (!user || user.password !== field('password')) {
        log(`login user=${field('user') || '(none)'} -> 0 (refused)${sizeNote}`);
        return send(response, 200, '0');
      }
      const token = Buffer.from(`${user.user}:${randomUUID()}`).toString('base64');
      sessions.set(token, user.user);
      log(`login user=${user.user} -> 200 (${user.profile})`);
      return send(response, 200, loginAnswer(user.user, user.profile, token), 'application/json');
    }

    const session = sessionUser(request);
    if (!session) {
      log(`${call} -> 401 (missing or unknown Basic token)${sizeNote}`);
      return send(response, 401, errorPage(401, 'Unauthorized'), 'text/html');
    }

    if (call === FaultCall.Endsession) {
      if (field('token') !== session.token || field('user') !== session.user) {
        log(`endsession user=${field('user') || '(none)'} -> 0 (user or token does not match)`);
        return send(response, 200, '0');
      }
      sessions.delete(session.token);
      log(`endsession user=${session.user} -> 1`);
      return send(response, 200, '1');
    }

    if (!decoder || !form.streamed.has('fileb64') || !form.fields.has('campaign')) {
      log(`uploadbase -> 500 (form fields missing)${sizeNote}`);
      return send(response, 500, errorPage(500, 'Internal Server Error'), 'text/html');
    }
    const described = `campaign=${field('campaign')} filename=${field('filename')} cant=${field('cant')}`;
    if (!knownCampaign(field('campaign'))) {
      log(`uploadbase ${described} -> 0 (unknown campaign)`);
      return send(response, 200, '0');
    }
    const base = recordBase(
      { campaign: field('campaign'), filename: field('filename'), cant: field('cant') },
      decoder.end(),
    );
    if (!base) {
      log(`uploadbase ${described} -> 0 (fileb64 is not base64)`);
      return send(response, 200, '0');
    }
    bases.push(base);
    const note = base.cantMatches ? '' : ' (cant differs from the line count)';
    if (hang) {
      log(
        `uploadbase ${described} records=${base.records}${note} -> recorded, fault=timeout: no answer`,
      );
      return;
    }
    log(`uploadbase ${described} records=${base.records}${note} -> 1`);
    send(response, 200, '1');
  };

  const state = (): SimulatorState => ({
    bases: [...bases],
    openSessions: sessions.size,
    calls: { ...calls },
  });

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent)
        send(response, 500, errorPage(500, 'Internal Server Error'), 'text/html');
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
