import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { startLoopbackServer } from '../../local-aws/loopback-server.js';

/** What the proxy does to an uploadbase call it was told to spoil, after uContact answered it. */
export type SpoiledAnswer =
  | { readonly status: number; readonly body?: string }
  | { readonly reset: true };

export interface AnswerAfterLoadProxy {
  /** Base URL to give the client, with a trailing slash. */
  readonly url: string;
  /** uploadbase calls forwarded so far. */
  uploads(): number;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a uContact (the simulator): it forwards every call as it
 * is and passes the answers back, except for the uploadbase calls numbered in `spoil` (1-based):
 * those are forwarded and carried out by uContact, and the client then gets `answer` instead of
 * uContact's `1`, as from a gateway or servlet that fails after the base was loaded.
 */
export async function startAnswerAfterLoadProxy(
  target: string,
  spoil: ReadonlySet<number>,
  answer: SpoiledAnswer,
): Promise<AnswerAfterLoadProxy> {
  const upstream = new URL(target);
  let uploads = 0;

  const forward = (request: IncomingMessage, response: ServerResponse) => {
    const isUpload = (request.url ?? '').endsWith('/uploadbase');
    const spoiled = isUpload && spoil.has(++uploads);
    const outgoing = httpRequest(
      new URL(request.url ?? '/', upstream),
      { method: request.method, headers: request.headers },
      (answered) => {
        if (!spoiled) {
          response.writeHead(answered.statusCode ?? 502, answered.headers);
          answered.pipe(response);
          return;
        }
        answered.resume();
        answered.on('end', () => spoilAnswer(request, response, answer));
      },
    );
    outgoing.on('error', () => response.destroy());
    request.pipe(outgoing);
  };

  const server = await startLoopbackServer(forward);
  return { url: `${server.origin}/`, uploads: () => uploads, close: server.close };
}

function spoilAnswer(request: IncomingMessage, response: ServerResponse, answer: SpoiledAnswer) {
  if ('reset' in answer) {
    request.socket.resetAndDestroy();
    return;
  }
  response.writeHead(answer.status, { 'Content-Type': 'text/html; charset=UTF-8' });
  response.end(answer.body ?? `<html><body><h1>${answer.status}</h1></body></html>`);
}
