import { spawn } from 'node:child_process';
import type { CaseResult } from './cases/case-result.js';

export interface ChildOptions {
  readonly script: string;
  readonly args: readonly string[];
  readonly nodeOptions?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs one measurement in a fresh Node process and returns the JSON line it prints last. Rejects
 * with the child's stderr when it exits with an error or prints no result.
 */
export function runChild(options: ChildOptions): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeOptions ?? []), options.script, ...options.args],
      { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as CaseResult);
        return;
      }
      reject(new Error(`${options.script} exited with ${code}:\n${stderr.trim().slice(-4000)}`));
    });
  });
}

/** The best (fastest) of `runs` fresh runs, with the highest peak RSS seen among them. */
export async function bestOf(runs: number, options: ChildOptions): Promise<CaseResult> {
  const results: CaseResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await runChild(options));
  const best = results.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...best, maxRssKiB: Math.max(...results.map((r) => r.maxRssKiB)) };
}
