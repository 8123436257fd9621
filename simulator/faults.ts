/** The API calls a fault can be attached to. */
export const FaultCall = {
  Login: 'login',
  Uploadbase: 'uploadbase',
  Endsession: 'endsession',
} as const;
export type FaultCall = (typeof FaultCall)[keyof typeof FaultCall];

/**
 * What a faulty call does instead of its normal answer. Apart from `timeout` on uploadbase, the
 * call is not carried out: no session opened or closed, no base recorded.
 */
export const FaultKind = {
  Http500: '500',
  Http503: '503',
  Http429: '429',
  Http401: '401',
  /** Never answers. On uploadbase the base is recorded first: loaded, but the client cannot know. */
  Timeout: 'timeout',
  /** Resets the connection before reading the request body. */
  Reset: 'reset',
  /** Answers `0`. */
  Zero: 'zero',
  /** Answers an HTML page with status 200, as a proxy or login page would. */
  Garbage: 'garbage',
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

/**
 * Parses `<call>:<kind>[:<times>]`, e.g. `uploadbase:timeout` or `login:503:2`.
 * Throws an Error naming the accepted values when the text does not fit.
 */
export function parseFault(text: string): Fault {
  const [call = '', kind = '', times = '1', ...rest] = text.trim().toLowerCase().split(':');
  const usage =
    `Fault "${text}" is not <call>:<kind>[:<times>] with call one of ${[...CALLS].join('|')} ` +
    `and kind one of ${[...KINDS].join('|')}`;
  if (rest.length > 0 || !CALLS.has(call) || !KINDS.has(kind) || !/^[1-9]\d*$/.test(times)) {
    throw new Error(usage);
  }
  return { call: call as FaultCall, kind: kind as FaultKind, times: Number(times) };
}

/** Faults still to be served, consumed in the order they were given. */
export class FaultQueue {
  private readonly pending: { call: FaultCall; kind: FaultKind; left: number }[] = [];

  add(fault: Fault | string): void {
    const parsed = typeof fault === 'string' ? parseFault(fault) : fault;
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
