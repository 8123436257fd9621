import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/loader-stack.js';
import { CONTEXT_COMBINATIONS } from './context-combinations.js';
import { loaderApp } from './synth-stack.js';

/** cfn-lint (the Python linter, 1.x) on PATH; CI sets REQUIRE_CFN_LINT so a missing one fails. */
const installed = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
const required = process.env.REQUIRE_CFN_LINT === '1';

interface Finding {
  Rule: { Id: string };
  Filename: string;
  Message: string;
  Location: { Path: (string | number)[] };
}

describe.runIf(installed || required)('cfn-lint on every documented context combination', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('finds no error and no warning that .cfnlintrc.yaml does not acknowledge', () => {
    const files = CONTEXT_COMBINATIONS.map(({ name, context }) => {
      // The function's code is not linted: skip bundling it, a few seconds per template.
      const { app, stack } = loaderApp({ ...context, 'aws:cdk:bundling-stacks': [] });
      const template = app.synth().getStackArtifact(stack.artifactId).template as unknown;
      const file = join(outdir, `${name}.json`);
      writeFileSync(file, JSON.stringify(template, null, 1));
      return file;
    });
    // Run from the project root, so cfn-lint reads .cfnlintrc.yaml there.
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    expect(run.error).toBeUndefined();
    const findings = JSON.parse(run.stdout || '[]') as Finding[];
    const shown = findings.map(
      (f) =>
        `${f.Rule.Id} ${f.Filename.split('/').pop()} ${f.Location.Path.join('/')}: ${f.Message}`,
    );
    expect(shown).toEqual([]);
    expect(run.status).toBe(0);
  }, 180_000);
});

if (!installed && !required) {
  describe('cfn-lint', () => {
    it.skip('is not on PATH: the templates were not linted (CI requires it)', () => {});
  });
}
