import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../bin/ucontact-loader.js');
/** Makes the child report its peak RSS (KiB) on its last stderr line. */
const REPORT_MAX_RSS =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('maxRSS='+process.resourceUsage().maxRSS+'\\n'))";
const MIB = 1024 * 1024;
/**
 * Past 75 % of the memory the process may go by the numbers one chunk adds after the set's
 * budget is reached and by allocator slack: measured peaks stay 36 MiB under the line at 256 MB.
 */
const TOLERANCE_MIB = 16;

interface Outcome {
  code: number | null;
  stderr: string;
  maxRssMib: number;
}

/**
 * V8's young generation as Node 20 sizes it by default. Node 22 and later let it grow to several
 * times that (measured on Node 24: 257 MiB peak here instead of 168), a choice of the runtime
 * rather than of the engine; Lambda sets its own from the function's memory. Pinned, so the test
 * measures the engine on every Node.
 */
const SEMI_SPACE_MIB = 16;

function validate(file: string, memoryMb: number): Promise<Outcome> {
  const args = [
    `--max-semi-space-size=${SEMI_SPACE_MIB}`,
    '--import',
    REPORT_MAX_RSS,
    CLI,
    'validate',
    '-c',
    'Ventas',
  ];
  const child = spawn(process.execPath, [...args, '--memory-mb', String(memoryMb), file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const kib = Number(/maxRSS=(\d+)/.exec(stderr)?.[1]);
      resolve({ code, stderr, maxRssMib: (kib * 1024) / MIB });
    });
  });
}

/** `count` native lines, each with its own 11-digit number (the set's costlier kind). */
function distinctLines(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`Ventas;${59899000000 + i * 7};;1;`);
  return `${lines.join('\n')}\n`;
}

describe('the contact ceiling', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'memory-ceiling-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a file with more numbers than 75 % of the memory can check, within that memory', async () => {
    // At 256 MB the set may take 32 MiB: about 762,000 numbers of 11 digits.
    const file = join(dir, 'many.csv');
    await writeFile(file, distinctLines(1_000_000));
    const outcome = await validate(file, 256);
    expect(outcome.stderr).toMatch(
      /file refused \(TOO_MANY_CONTACTS\): The file holds more than \d+ different phone numbers, the most 256 MB .*split it/,
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.maxRssMib).toBeGreaterThan(0);
    expect(outcome.maxRssMib).toBeLessThan(256 * 0.75 + TOLERANCE_MIB);
  }, 60_000);

  it('checks a file under the ceiling in full', async () => {
    const file = join(dir, 'fewer.csv');
    await writeFile(file, distinctLines(100_000));
    const outcome = await validate(file, 256);
    expect(outcome.stderr).not.toContain('TOO_MANY_CONTACTS');
    expect(outcome.code).toBe(0);
  }, 60_000);
});
