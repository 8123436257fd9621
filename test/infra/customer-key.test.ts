import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { KMS_KEY_ARN, SECRET_ARN } from './context-combinations.js';
import { loaderTemplate } from './synth-stack.js';
import { allPolicyStatements, type PolicyStatement } from './template-queries.js';

const viaService = (service: string) => ({
  StringEquals: {
    'kms:ViaService': {
      'Fn::Join': ['', [`${service}.`, { Ref: 'AWS::Region' }, '.amazonaws.com']],
    },
  },
});

/** The key statements of the policies whose logical ID starts as given, as [actions, service]. */
function keyGrants(template: Template, idStart: string): [string[], unknown][] {
  return allPolicyStatements(template, idStart)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')))
    .map((s: PolicyStatement) => {
      expect(s.Resource).toBe(KMS_KEY_ARN);
      return [[s.Action].flat().sort(), s.Condition];
    });
}

describe('kmsKeyArn', () => {
  let template: Template;
  beforeAll(() => {
    template = loaderTemplate({ kmsKeyArn: KMS_KEY_ARN, sftp: 'true' });
  });

  it('encrypts the bucket with the key, bucket key on, and the secret with it', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY_ARN },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: KMS_KEY_ARN });
  });

  it('keeps the access-log bucket on SSE-S3, the only encryption S3 delivers logs to', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      VersioningConfiguration: Match.absent(),
    });
  });

  it('lets the function decrypt and make data keys through S3, and only decrypt through Secrets Manager', () => {
    expect(keyGrants(template, 'ContactLoaderRole')).toEqual([
      [['kms:Decrypt', 'kms:GenerateDataKey'], viaService('s3')],
      [['kms:Decrypt'], viaService('secretsmanager')],
    ]);
  });

  it('lets the SFTP role read and write through S3 and abort its own multipart uploads under incoming/', () => {
    expect(keyGrants(template, 'SftpUserRole')).toEqual([
      [['kms:Decrypt', 'kms:GenerateDataKey'], viaService('s3')],
    ]);
    const objects = allPolicyStatements(template, 'SftpUserRole').find((s) =>
      [s.Action].flat().includes('s3:PutObject'),
    );
    expect([objects?.Action].flat().sort()).toEqual([
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(JSON.stringify(objects?.Resource)).toContain('/incoming/*');
  });

  it('keeps both queues on SSE-SQS, so S3 needs no key policy to send its notifications', () => {
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { SqsManagedSseEnabled: true }, 2);
  });
});

describe('kmsKeyArn with an existing bucket and an imported secret', () => {
  it('changes neither, and grants the same uses of the key they are encrypted with', () => {
    const template = loaderTemplate({
      kmsKeyArn: KMS_KEY_ARN,
      existingBucketName: 'partner-drop',
      secretArn: SECRET_ARN,
    });
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(keyGrants(template, 'ContactLoaderRole')).toEqual([
      [['kms:Decrypt', 'kms:GenerateDataKey'], viaService('s3')],
      [['kms:Decrypt'], viaService('secretsmanager')],
    ]);
  });
});

describe('without kmsKeyArn', () => {
  it('grants no use of any key', () => {
    const template = loaderTemplate({ sftp: 'true' });
    const kms = allPolicyStatements(template).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('kms:')),
    );
    expect(kms).toEqual([]);
  });
});

describe('log groups', () => {
  it('every function of every shape writes to a log group of the stack that has a retention', () => {
    for (const context of [{}, { existingBucketName: 'partner-drop', sftp: 'true' }]) {
      const template = loaderTemplate(context);
      const logGroups = template.findResources('AWS::Logs::LogGroup');
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));
      // The loader and CDK's bucket-notifications handler.
      expect(functions).toHaveLength(2);
      for (const fn of functions) {
        const ref = (fn.Properties.LoggingConfig?.LogGroup as { Ref?: string } | undefined)?.Ref;
        expect(ref && logGroups[ref]?.Properties.RetentionInDays).toBeGreaterThan(0);
      }
      for (const group of Object.values(logGroups)) {
        expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
      }
    }
  });
});
