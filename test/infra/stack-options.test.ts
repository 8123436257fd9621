import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCEPTED_SUFFIXES, INCOMING_PREFIX } from '../../infra/bucket-layout.js';
import { FunctionEnvironmentName } from '../../infra/function-environment.js';
import { loaderTemplate } from './synth-stack.js';
import { allPolicyStatements, logicalIdOf, notificationRules } from './template-queries.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ucontact/loader-AbCdEf';

function variables(template: Template): Record<string, unknown> {
  const fn = template.findResources('AWS::Lambda::Function', {
    Properties: { Runtime: 'nodejs24.x' },
  });
  return Object.values(fn)[0]?.Properties.Environment.Variables;
}

function secretStatements(template: Template) {
  return allPolicyStatements(template).filter((s) => s.Action === 'secretsmanager:GetSecretValue');
}

describe('secretName', () => {
  let template: Template;
  beforeAll(() => {
    template = loaderTemplate({ secretName: 'ucontact/loader' });
  });

  it('imports the secret instead of creating a placeholder', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('hands the function the name-based ARN and lets it read only that secret', () => {
    const arn = (name: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':secretsmanager:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:secret:${name}`,
        ],
      ],
    });
    expect(variables(template)[FunctionEnvironmentName.UcontactSecretId]).toEqual(
      arn('ucontact/loader'),
    );
    // Secrets Manager appends six characters to every secret's ARN; the grant must match them.
    expect(secretStatements(template).map((s) => s.Resource)).toEqual([
      arn('ucontact/loader-??????'),
    ]);
  });
});

describe('secretArn', () => {
  let template: Template;
  beforeAll(() => {
    template = loaderTemplate({ secretArn: SECRET_ARN });
  });

  it('imports the secret and lets the function read exactly that ARN', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(variables(template)[FunctionEnvironmentName.UcontactSecretId]).toBe(SECRET_ARN);
    expect(secretStatements(template).map((s) => s.Resource)).toEqual([SECRET_ARN]);
  });
});

describe('retentionDays, maxConcurrency and campaignSuffix', () => {
  let template: Template;
  beforeAll(() => {
    template = loaderTemplate({ retentionDays: '7', maxConcurrency: '5', campaignSuffix: '->' });
  });

  it('expire files and results after the given days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'incoming/', ExpirationInDays: 7 }),
          Match.objectLike({ Prefix: 'results/', ExpirationInDays: 7 }),
        ]),
      },
    });
  });

  it('bound parallel sessions and pass the suffix to the function', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    expect(variables(template)[FunctionEnvironmentName.CampaignSuffix]).toBe('->');
  });
});

describe('reloadWindowDays and reloadRecordDays', () => {
  it('pass the window to the function and keep the load record as long as asked', () => {
    const template = loaderTemplate({ reloadWindowDays: '14', reloadRecordDays: '45' });
    expect(variables(template)[FunctionEnvironmentName.ReloadWindowDays]).toBe('14');
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'state/loaded/', ExpirationInDays: 45 }),
        ]),
      },
    });
  });
});

describe('sftp', () => {
  let template: Template;
  beforeAll(() => {
    template = loaderTemplate({ sftp: 'true' });
  });

  it('creates an SFTP server with service-managed users, writing to S3', () => {
    template.hasResourceProperties('AWS::Transfer::Server', {
      Domain: 'S3',
      IdentityProviderType: 'SERVICE_MANAGED',
      Protocols: ['SFTP'],
      StructuredLogDestinations: [Match.anyValue()],
    });
  });

  it("lets the users' role touch incoming/ only, and only for this server", () => {
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'SftpUserRole');
    const role = template.findResources('AWS::IAM::Role')[roleId];
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'transfer.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': expect.anything() },
        },
      }),
    ]);
    const statements = allPolicyStatements(template, 'SftpUserRole');
    const bucketArn = {
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::S3::Bucket', 'DropBucket'), 'Arn'],
    };
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': [INCOMING_PREFIX, `${INCOMING_PREFIX}*`] } },
      }),
      expect.objectContaining({
        Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [bucketArn, `/${INCOMING_PREFIX}*`]] },
      }),
    ]);
  });
});

describe('existingBucketName', () => {
  let template: Template;
  beforeAll(() => {
    template = loaderTemplate({ existingBucketName: 'partner-drop' });
  });

  it('creates no bucket and adds the notifications to the named one', () => {
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: 'partner-drop',
      // Unmanaged: notifications the bucket already has are kept.
      Managed: false,
    });
    expect(notificationRules(template).map((rule) => rule.suffix)).toEqual([...ACCEPTED_SUFFIXES]);
  });

  it('grants the function the same prefixes of the named bucket', () => {
    const resources = allPolicyStatements(template, 'ContactLoader')
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')))
      .map((s) => JSON.stringify(s.Resource));
    expect(resources).toHaveLength(6);
    for (const resource of resources) expect(resource).toContain(':s3:::partner-drop');
    expect(resources.some((r) => r.includes('partner-drop/config/campaigns.json"'))).toBe(true);
    expect(resources.some((r) => r.includes('partner-drop/incoming/*'))).toBe(true);
    expect(resources.some((r) => r.includes('partner-drop/results/*'))).toBe(true);
    expect(resources.some((r) => r.includes('partner-drop/state/*'))).toBe(true);
    expect(resources.some((r) => r.includes('partner-drop/suppression/*'))).toBe(true);
    expect(resources.some((r) => r.includes('partner-drop/state/suppression/*'))).toBe(true);
  });
});
