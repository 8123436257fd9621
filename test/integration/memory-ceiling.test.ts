import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMeasured } from './measured-child.js';

const CLI = join(import.meta.dirname, '../../bin/ucontact-loader.js');
/**
 * Past 75 % of the memory the process may go by the numbers one chunk adds after the set's
 * budget is reached and by allocator slack: measured peaks stay 36 MiB under the line at 256 MB.
 */
const TOLERANCE_MIB = 16;

function validate(file: string, memoryMb: number) {
  return runMeasured([CLI, 'validate', '-c', 'Ventas', '--memory-mb', String(memoryMb), file]);
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
