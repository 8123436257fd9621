import { type Fault, parseFault } from '../../simulator/faults.js';
import type { Random } from '../generate-files.js';
import type { SoakFile } from './soak-files.js';

/** Where the function's process is killed (SIGKILL), judged from outside it by its requests. */
export const CrashPoint = {
  /** When it sends the claim (`state.json`, If-None-Match): the claim is never written. */
  BeforeClaim: 'before-claim',
  /** When an uploadbase request arrives: the base is not loaded, the chunk was in flight. */
  MidUpload: 'mid-upload',
  /** After uContact loaded the base, before its answer reaches the function. */
  MidUploadLoaded: 'mid-upload-loaded',
  /** After the function got uploadbase's `1`, when it sends the checkpoint that records it. */
  BeforeCheckpoint: 'before-checkpoint',
  /** When it sends `manifest.json`: every upload is over, the result never written. */
  BeforeManifest: 'before-manifest',
} as const;
export type CrashPoint = (typeof CrashPoint)[keyof typeof CrashPoint];

/** One planned crash of a file: the first of its invocations to reach the point is killed. */
export interface PlannedCrash {
  readonly point: CrashPoint;
  /** For the upload points: the file's n-th uploadbase request, counted over its invocations. */
  readonly upload: number;
}

/** One planned fault: the simulator's fault kinds, served in its place for this file's calls. */
export interface PlannedFault {
  readonly fault: Fault;
  /** For uploadbase: the file's n-th uploadbase request it starts at; else its first call. */
  readonly upload: number;
}

export interface FilePlan {
  readonly crash?: PlannedCrash;
  readonly fault?: PlannedFault;
}

/**
 * The faults the plan draws from, as the simulator's `--fault` takes them. `:4` outlasts the
 * client's four attempts: the file is retried on a later delivery, or its session left open.
 */
const FAULTS = [
  'uploadbase:503',
  'uploadbase:503:4',
  'uploadbase:429:4',
  'uploadbase:timeout',
  'uploadbase:reset',
  'uploadbase:401',
  'uploadbase:500-after-load',
  'endsession:503:4',
  'endsession:timeout',
  'login:503',
  'login:503:4',
].map(parseFault);

const CRASH_POINTS = Object.values(CrashPoint);

export interface PlanOptions {
  /** Share of files whose function is killed once (0 to 1). */
  readonly crashRate: number;
  /** Share of files that meet a fault (0 to 1). */
  readonly faultRate: number;
}

/**
 * Draws each file's crash and fault from `random`: the same seed and files give the same plan.
 * Upload points are drawn within the file's chunks, so each can be reached.
 */
export function planSoak(
  files: readonly SoakFile[],
  random: Random,
  options: PlanOptions,
): Map<string, FilePlan> {
  const plans = new Map<string, FilePlan>();
  for (const file of files) {
    const crashes = random.next() < options.crashRate;
    const faulty = random.next() < options.faultRate;
    const crash: PlannedCrash = {
      point: random.pick(CRASH_POINTS),
      upload: 1 + random.below(file.chunks),
    };
    const fault: PlannedFault = {
      fault: random.pick(FAULTS),
      upload: 1 + random.below(file.chunks),
    };
    plans.set(file.key, { ...(crashes ? { crash } : {}), ...(faulty ? { fault } : {}) });
  }
  return plans;
}

/** `uploadbase:503:4`, as the simulator's `--fault` writes it. */
export function faultName(fault: Fault): string {
  return `${fault.call}:${fault.kind}${fault.times > 1 ? `:${fault.times}` : ''}`;
}
