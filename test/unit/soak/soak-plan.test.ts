import { describe, expect, it } from 'vitest';
import { Random } from '../../../bench/generate-files.js';
import { FileScript, Request } from '../../../bench/soak/file-script.js';
import type { SoakFile } from '../../../bench/soak/soak-files.js';
import { CrashPoint, planSoak } from '../../../bench/soak/soak-plan.js';
import { parseFault } from '../../../simulator/faults.js';

const FILES: SoakFile[] = Array.from({ length: 50 }, (_, i) => ({
  key: `incoming/Soak/soak-${i}.csv`,
  campaign: 'Soak',
  path: '/dev/null',
  rows: 300,
  accepted: [],
  chunks: 3,
}));
const RATES = { crashRate: 0.3, faultRate: 0.3 };

describe('the soak plan', () => {
  it('is the same for the same seed and differs for another', () => {
    const plan = (seed: number) => [...planSoak(FILES, new Random(seed), RATES)];
    expect(plan(7)).toEqual(plan(7));
    expect(plan(7)).not.toEqual(plan(8));
  });

  it('crashes and faults about the share of files asked for, within their chunks', () => {
    const plans = [...planSoak(FILES, new Random(7), RATES).values()];
    const crashes = plans.flatMap((p) => p.crash ?? []);
    expect(crashes.length).toBeGreaterThan(5);
    expect(crashes.length).toBeLessThan(30);
    for (const crash of crashes) expect(crash.upload).toBeLessThanOrEqual(3);
    const none = [...planSoak(FILES, new Random(7), { crashRate: 0, faultRate: 0 }).values()];
    expect(none.every((p) => !p.crash && !p.fault)).toBe(true);
  });
});

describe("a file's script", () => {
  it('kills once, at the planned uploadbase counted over all of its invocations', () => {
    const script = new FileScript({ crash: { point: CrashPoint.MidUpload, upload: 2 } });
    expect(script.next(Request.Claim)).toEqual({ kind: 'pass' });
    expect(script.next(Request.Uploadbase)).toEqual({ kind: 'pass' });
    expect(script.next(Request.Uploadbase)).toEqual({ kind: 'kill' });
    // The next invocation, resuming: nothing more happens to it.
    expect(script.next(Request.Uploadbase)).toEqual({ kind: 'pass' });
    expect(script.fired.crash).toBe(CrashPoint.MidUpload);
  });

  it('serves a fault from its planned upload on, as many times as it says', () => {
    const script = new FileScript({ fault: { fault: parseFault('uploadbase:503:2'), upload: 2 } });
    const kinds = [1, 2, 3, 4].map(() => script.next(Request.Uploadbase).kind);
    expect(kinds).toEqual(['pass', 'fault', 'fault', 'pass']);
    expect(script.next(Request.Login)).toEqual({ kind: 'pass' });
  });

  it('serves a login or EndSession fault at the first such call', () => {
    const script = new FileScript({ fault: { fault: parseFault('endsession:503'), upload: 3 } });
    expect(script.next(Request.Uploadbase)).toEqual({ kind: 'pass' });
    expect(script.next(Request.Endsession)).toEqual({ kind: 'fault', fault: '503' });
    expect(script.next(Request.Endsession)).toEqual({ kind: 'pass' });
  });
});
