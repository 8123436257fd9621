import { spawn } from 'node:child_process';

/** Makes the child report its peak RSS (KiB) on its last stderr line. */
const REPORT_MAX_RSS =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('maxRSS='+process.resourceUsage().maxRSS+'\\n'))";
const MIB = 1024 * 1024;

/**
 * V8's young generation as Node 20 sizes it by default. Node 22 and later let it grow to several
 * times that (measured on Node 24: 257 MiB peak here instead of 168), a choice of the runtime
 * rather than of the engine; Lambda sets its own from the function's memory. Pinned, so a test
 * measures the engine on every Node.
 */
const SEMI_SPACE_MIB = 16;

export interface MeasuredOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The child's own peak RSS (not its children's). */
  maxRssMib: number;
}

/**
 * Runs `node <args>` in a fresh process with the young generation pinned and returns how it
 * ended and its peak RSS (NaN when it died before reporting it).
 */
export function runMeasured(args: readonly string[]): Promise<MeasuredOutcome> {
  const child = spawn(
    process.execPath,
    [`--max-semi-space-size=${SEMI_SPACE_MIB}`, '--import', REPORT_MAX_RSS, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const kib = Number(/maxRSS=(\d+)/.exec(stderr)?.[1]);
      resolve({ code, stdout, stderr, maxRssMib: (kib * 1024) / MIB });
    });
  });
}
