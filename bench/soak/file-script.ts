import { FaultCall, type FaultKind } from '../../simulator/faults.js';
import { CrashPoint, type FilePlan } from './soak-plan.js';

/** What the function asks for, as the soak's proxy tells it from the request line and headers. */
export const Request = {
  /** Creating `state.json` (If-None-Match): the claim. */
  Claim: 'claim',
  /** Rewriting `state.json` (If-Match): a checkpoint, a takeover, or closing the claim. */
  StateWrite: 'state-write',
  Manifest: 'manifest',
  Login: 'login',
  Uploadbase: 'uploadbase',
  Endsession: 'endsession',
  Other: 'other',
} as const;
export type Request = (typeof Request)[keyof typeof Request];

/** What the proxy does with a request. */
export type Action =
  | { readonly kind: 'pass' }
  /** Kill the function now; the request goes nowhere. */
  | { readonly kind: 'kill' }
  /** Pass it on, then kill the function instead of answering. */
  | { readonly kind: 'kill-after-answer' }
  /** Pass it on and answer; kill the function at its next `state.json` write. */
  | { readonly kind: 'kill-at-next-state-write' }
  /** Serve this simulator fault in place of the call. */
  | { readonly kind: 'fault'; readonly fault: FaultKind };

const PASS: Action = { kind: 'pass' };
/** The simulator call each uContact request is. */
export const FAULT_CALLS: Partial<Record<Request, FaultCall>> = {
  [Request.Login]: FaultCall.Login,
  [Request.Uploadbase]: FaultCall.Uploadbase,
  [Request.Endsession]: FaultCall.Endsession,
};

/**
 * A file's plan as it plays out over all its invocations (several deliveries, retries): counts
 * its uploadbase requests and fires its crash and its fault once, at the first request of any of
 * its invocations that reaches them.
 */
export class FileScript {
  private uploads = 0;
  private crashFired = false;
  private faultLeft: number;
  /** What actually happened, for the report. */
  readonly fired: { crash?: string; faults: number } = { faults: 0 };

  constructor(readonly plan: FilePlan) {
    this.faultLeft = plan.fault?.fault.times ?? 0;
  }

  /** The action for the next request of one of the file's invocations. */
  next(request: Request): Action {
    const upload = request === Request.Uploadbase ? ++this.uploads : 0;
    return this.crashAt(request, upload) ?? this.faultAt(request, upload) ?? PASS;
  }

  private crashAt(request: Request, upload: number): Action | undefined {
    const crash = this.plan.crash;
    if (!crash || this.crashFired) return undefined;
    const atUpload = request === Request.Uploadbase && upload === crash.upload;
    const action = (
      {
        [CrashPoint.BeforeClaim]: request === Request.Claim ? 'kill' : undefined,
        [CrashPoint.MidUpload]: atUpload ? 'kill' : undefined,
        [CrashPoint.MidUploadLoaded]: atUpload ? 'kill-after-answer' : undefined,
        [CrashPoint.BeforeCheckpoint]: atUpload ? 'kill-at-next-state-write' : undefined,
        [CrashPoint.BeforeManifest]: request === Request.Manifest ? 'kill' : undefined,
      } as const
    )[crash.point];
    if (action === undefined) return undefined;
    this.crashFired = true;
    this.fired.crash = crash.point;
    return { kind: action };
  }

  private faultAt(request: Request, upload: number): Action | undefined {
    const planned = this.plan.fault;
    if (!planned || this.faultLeft === 0 || FAULT_CALLS[request] !== planned.fault.call) {
      return undefined;
    }
    // A fault on uploadbase starts at its planned request and hits the ones after it.
    const started = this.faultLeft < planned.fault.times;
    if (request === Request.Uploadbase && !started && upload < planned.upload) return undefined;
    this.faultLeft--;
    this.fired.faults++;
    return { kind: 'fault', fault: planned.fault.kind };
  }
}
