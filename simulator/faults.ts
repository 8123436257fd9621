import {
  type Answer,
  errorPage,
  GARBAGE_PAGE,
  LOGIN_PAGE,
  proxyErrorPage,
  redirectPage,
} from './pages.js';

/** The API calls a fault can be attached to. */
export const FaultCall = {
  Login: 'login',
  Uploadbase: 'uploadbase',
  Endsession: 'endsession',
} as const;
export type FaultCall = (typeof FaultCall)[keyof typeof FaultCall];

/**
 * What a faulty call does instead of its normal answer. The call is not carried out (no session
 * opened or closed, no base recorded), except on uploadbase for `timeout` and the `-after-load`
 * kinds, which load the base first.
 */
export const FaultKind = {
  Http500: '500',
  Http503: '503',
  Http429: '429',
  Http401: '401',
  Http403: '403',
  /** Redirects to the login page, as an authentication filter does for an expired session. */
  Redirect301: '301',
  Redirect302: '302',
  Redirect303: '303',
  Redirect307: '307',
  Redirect308: '308',
  /** Answers the login page itself with status 200, as a filter that does not redirect does. */
  LoginPage: 'loginpage',
  /** Never answers. On uploadbase the base is recorded first: loaded, but the client cannot know. */
  Timeout: 'timeout',
  /** Resets the connection before reading the request body. */
  Reset: 'reset',
  /** Answers `0`. */
  Zero: 'zero',
  /** Answers an HTML page with status 200, as a proxy or maintenance page would. */
  Garbage: 'garbage',
  /** Uploadbase only: the base is loaded, then the application fails (Tomcat's 500 page). */
  Http500AfterLoad: '500-after-load',
  /** Uploadbase only: the base is loaded, then the proxy in front answers 502 Bad Gateway. */
  Http502AfterLoad: '502-after-load',
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

export interface Fault {
  readonly call: FaultCall;
  readonly kind: FaultKind;
  /** How many consecutive calls of that kind it hits. */
  readonly times: number;
}

const CALLS = new Set<string>(Object.values(FaultCall));
const KINDS = new Set<string>(Object.values(FaultKind));
/** Kinds that describe a loaded base: meaningless on any other call. */
const UPLOADBASE_ONLY = new Set<FaultKind>([
  FaultKind.Http500AfterLoad,
  FaultKind.Http502AfterLoad,
]);
const REDIRECTS = new Set<FaultKind>([
  FaultKind.Redirect301,
  FaultKind.Redirect302,
  FaultKind.Redirect303,
  FaultKind.Redirect307,
  FaultKind.Redirect308,
]);

/**
 * Parses `<call>:<kind>[:<times>]`, e.g. `uploadbase:timeout` or `login:503:2`.
 * Throws an Error naming the accepted values when the text does not fit, or naming the one call a
 * kind applies to (`login:500-after-load`).
 */
export function parseFault(text: string): Fault {
  const [call = '', kind = '', times = '1', ...rest] = text.trim().toLowerCase().split(':');
  const usage =
    `Fault "${text}" is not <call>:<kind>[:<times>] with call one of ${[...CALLS].join('|')} ` +
    `and kind one of ${[...KINDS].join('|')}`;
  if (rest.length > 0 || !CALLS.has(call) || !KINDS.has(kind) || !/^[1-9]\d*$/.test(times)) {
    throw new Error(usage);
  }
  if (UPLOADBASE_ONLY.has(kind as FaultKind) && call !== FaultCall.Uploadbase) {
    throw new Error(
      `Fault "${text}": ${kind} applies to uploadbase only (it loads a base, then fails)`,
    );
  }
  return { call: call as FaultCall, kind: kind as FaultKind, times: Number(times) };
}

/** True when a call hit by this fault is still carried out (the base loaded) before it fails. */
export function carriedOut(call: FaultCall, kind: FaultKind): boolean {
  return call === FaultCall.Uploadbase && (kind === FaultKind.Timeout || UPLOADBASE_ONLY.has(kind));
}

/**
 * The answer a fault sends, or undefined for the kinds that send none (`timeout`, `reset`).
 * `loginUrl` is where the redirect kinds point.
 */
export function faultAnswer(
  kind: FaultKind,
  context: { loginUrl: string; retryAfterSeconds: number },
): Answer | undefined {
  if (kind === FaultKind.Timeout || kind === FaultKind.Reset) return undefined;
  if (kind === FaultKind.Zero) return { status: 200, body: '0', type: 'text/plain' };
  if (kind === FaultKind.Garbage) return { status: 200, body: GARBAGE_PAGE, type: 'text/html' };
  if (kind === FaultKind.LoginPage) return { status: 200, body: LOGIN_PAGE, type: 'text/html' };
  if (kind === FaultKind.Http502AfterLoad)
    return { status: 502, body: proxyErrorPage(502), type: 'text/html' };
  if (kind === FaultKind.Http500AfterLoad)
    return { status: 500, body: errorPage(500), type: 'text/html' };
  const status = Number(kind);
  if (REDIRECTS.has(kind)) {
    const body = redirectPage(context.loginUrl);
    return { status, body, type: 'text/html', headers: { Location: context.loginUrl } };
  }
  const retry = status === 429 || status === 503;
  return {
    status,
    body: errorPage(status),
    type: 'text/html',
    ...(retry ? { headers: { 'Retry-After': String(context.retryAfterSeconds) } } : {}),
  };
}

/** Faults still to be served, consumed in the order they were given. */
export class FaultQueue {
  private readonly pending: { call: FaultCall; kind: FaultKind; left: number }[] = [];

  /** Queues a fault; throws as parseFault does when it does not fit. */
  add(fault: Fault | string): void {
    const text = typeof fault === 'string' ? fault : `${fault.call}:${fault.kind}:${fault.times}`;
    const parsed = parseFault(text);
    this.pending.push({ call: parsed.call, kind: parsed.kind, left: parsed.times });
  }

  /** The fault for this call of `call`, if any, counting it as served. */
  take(call: FaultCall): FaultKind | undefined {
    const index = this.pending.findIndex((fault) => fault.call === call);
    const fault = this.pending[index];
    if (!fault) return undefined;
    fault.left--;
    if (fault.left === 0) this.pending.splice(index, 1);
    return fault.kind;
  }
}
