import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { startLoopbackServer } from '../../local-aws/loopback-server.js';
import { carriedOut, type FaultCall, FaultKind, faultAnswer } from '../../simulator/faults.js';
import { type Action, FAULT_CALLS, type FileScript, Request } from './file-script.js';

/** What one invocation did, as its proxy saw it. */
export interface InvocationTrace {
  /** Set when the proxy killed it: the action that did. */
  killed?: string;
  /** Logins answered with a token, and EndSessions answered `1`. */
  logins: number;
  endSessions: number;
  /** Faults served in place of a call (`uploadbase:503`...). */
  readonly faults: string[];
}

export interface InvocationProxyOptions {
  readonly script: FileScript;
  /** moto's (or the embedded S3's) endpoint, `http://host:port`. */
  readonly s3: string;
  /** The simulator's base URL. */
  readonly ucontact: string;
  /** Kills the function's process at once (SIGKILL). */
  readonly kill: () => void;
  readonly retryAfterSeconds: number;
}

export interface InvocationProxy {
  /** `http://127.0.0.1:<port>`: the function's S3_ENDPOINT and uContact base URL. */
  readonly url: string;
  readonly trace: InvocationTrace;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const UCONTACT_CALLS: Readonly<Record<string, Request>> = {
  '/Integra/resources/auth/UserLogin': Request.Login,
  '/Integra/resources/auth/getUserToken': Request.Login,
  '/Integra/resources/Dialers/uploadbase': Request.Uploadbase,
  '/Integra/resources/auth/EndSession': Request.Endsession,
};

/**
 * Starts the proxy one invocation talks to for S3 and uContact: it passes every request on
 * (uContact paths to the simulator, the rest to S3) and, where the file's script says so, kills
 * the function or serves a simulator fault in place of the call. A crash is thus placed by what
 * the function asks for, not by time, and nothing in the function knows about it.
 */
export async function startInvocationProxy(
  options: InvocationProxyOptions,
): Promise<InvocationProxy> {
  const trace: InvocationTrace = { logins: 0, endSessions: 0, faults: [] };
  let killAtStateWrite = false;
  const killNow = (why: string) => {
    trace.killed ??= why;
    options.kill();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const request = classify(req);
    if (trace.killed) return void req.socket.destroy();
    if (killAtStateWrite && request === Request.StateWrite) {
      killNow('before-checkpoint');
      return void req.socket.destroy();
    }
    const action: Action =
      request === Request.Other ? { kind: 'pass' } : options.script.next(request);
    if (action.kind === 'kill') {
      killNow(request);
      return void req.socket.destroy();
    }
    if (action.kind === 'fault') return serveFault(req, res, request, action.fault);
    const answer = await forward(req, upstreamOf(req, options));
    if (action.kind === 'kill-after-answer') {
      killNow('mid-upload-loaded');
      return void res.destroy();
    }
    if (action.kind === 'kill-at-next-state-write') killAtStateWrite = true;
    noteSession(request, answer, trace);
    send(res, answer, req.method === 'HEAD');
  };

  const serveFault = async (
    req: IncomingMessage,
    res: ServerResponse,
    request: Request,
    kind: FaultKind,
  ) => {
    const call = FAULT_CALLS[request] as FaultCall;
    trace.faults.push(`${call}:${kind}`);
    if (kind === FaultKind.Reset) return void req.socket.resetAndDestroy();
    // As the simulator does: the timeout and after-load kinds load the base first.
    if (carriedOut(call, kind)) await forward(req, upstreamOf(req, options));
    else for await (const _ of req) void _;
    const page = faultAnswer(kind, {
      loginUrl: `${options.ucontact}ucontact/login.jsp`,
      retryAfterSeconds: options.retryAfterSeconds,
    });
    // No answer (timeout): the request is held until the function gives up on it.
    if (!page) return;
    res.writeHead(page.status, {
      ...page.headers,
      'Content-Type': `${page.type}; charset=UTF-8`,
    });
    res.end(page.body);
  };

  const server = await startLoopbackServer(handle);
  return { url: server.origin, trace, close: server.close };
}

function classify(req: IncomingMessage): Request {
  const path = new URL(req.url ?? '/', 'http://proxy').pathname;
  const call = UCONTACT_CALLS[path];
  if (call) return call;
  if (req.method !== 'PUT') return Request.Other;
  if (path.endsWith('/state.json')) {
    return req.headers['if-none-match'] ? Request.Claim : Request.StateWrite;
  }
  return path.endsWith('/manifest.json') ? Request.Manifest : Request.Other;
}

function upstreamOf(req: IncomingMessage, options: InvocationProxyOptions): URL {
  const path = req.url ?? '/';
  const toUcontact = path.startsWith('/Integra/') || path.startsWith('/ucontact/');
  return new URL(path, toUcontact ? options.ucontact : options.s3);
}

/** Sends the request on as it came (body streamed) and reads the whole answer. */
function forward(req: IncomingMessage, target: URL): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 502,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    upstream.on('error', reject);
    req.pipe(upstream);
  });
}

function send(res: ServerResponse, answer: Answer, head: boolean): void {
  const { 'transfer-encoding': _te, connection: _c, ...headers } = answer.headers;
  res.writeHead(answer.status, {
    ...headers,
    ...(head ? {} : { 'content-length': String(answer.body.length) }),
  });
  res.end(head ? undefined : answer.body);
}

/** Counts the sessions the simulator opened and closed for this invocation. */
function noteSession(request: Request, answer: Answer, trace: InvocationTrace): void {
  if (answer.status !== 200) return;
  const body = answer.body.toString('utf8').trim();
  if (request === Request.Login && body !== '0') trace.logins++;
  if (request === Request.Endsession && body === '1') trace.endSessions++;
}
