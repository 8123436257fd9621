import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { KMS_KEY_ARN } from './context-combinations.js';
import { loaderApp } from './synth-stack.js';

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/**
 * Synthesizes with the AwsSolutions checks, and CDK's own template checks unless told not to;
 * lists everything they report, errors and warnings.
 */
function findings(
  context: Record<string, unknown>,
  { addMistake = false, templateChecks = true } = {},
): string[] {
  const { app, stack } = loaderApp(context, { builtinCloudFormationValidation: templateChecks });
  if (addMistake) new Bucket(stack, 'Careless');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch {
    // Errors fail synthesis; the report below lists them with the warnings.
  }
  const report = JSON.parse(
    readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map(
        (construct) => `${plugin.pluginName} ${violation.ruleName} ${construct.constructPath}`,
      ),
    ),
  );
}

// Each case synthesizes (and bundles) a stack: tens of seconds on a busy 2-core machine.
describe('AwsSolutions checks', { timeout: 120_000 }, () => {
  it('find nothing unacknowledged in the default stack', () => {
    expect(findings({})).toEqual([]);
  });

  it('find nothing unacknowledged with a customer key', () => {
    expect(findings({ kmsKeyArn: KMS_KEY_ARN, sftp: 'true' })).toEqual([]);
  });

  it('find nothing unacknowledged with every option on', () => {
    expect(
      findings({
        sftp: 'true',
        alarmEmail: 'ops@example.com',
        notificationTopic: 'true',
        existingBucketName: 'partner-drop',
        secretName: 'ucontact/loader',
        kmsKeyArn: KMS_KEY_ARN,
      }),
    ).toEqual([]);
  });

  it('report a bucket added without care, so the checks above can fail', () => {
    expect(findings({}, { addMistake: true, templateChecks: false })).toEqual(
      expect.arrayContaining([expect.stringMatching(/AwsSolutions-S10 .*Careless/)]),
    );
  });
});
