import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/loader-stack.js';

describe('the CDK app', () => {
  it('stops with one line saying how to pass ucontactBaseUrl when it is missing', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-app-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: '{}' },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        'Context value ucontactBaseUrl is required: -c ucontactBaseUrl=https://<tenant>.ucontactcloud.com',
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
