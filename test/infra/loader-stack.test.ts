import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../functions/config/settings.js';
import {
  ACCEPTED_SUFFIXES,
  COMPILED_SUPPRESSION_DAYS,
  COMPILED_SUPPRESSION_PREFIX,
  INCOMING_PREFIX,
  LOAD_RECORD_PREFIX,
  MANIFEST_SUFFIX,
  PROFILES_KEY,
  RESULTS_PREFIX,
  STATE_PREFIX,
  SUPPRESSION_PREFIX,
} from '../../infra/bucket-layout.js';
import { MAX_RECEIVE_COUNT } from '../../infra/drop-queue.js';
import { FunctionEnvironmentName } from '../../infra/function-environment.js';
import { EPHEMERAL_STORAGE, FUNCTION_TIMEOUT } from '../../infra/loader-stack.js';
import { LOADER_METRICS } from '../../infra/metrics.js';
import { SETTING_DEFAULTS } from '../../infra/settings.js';
import { BASE_URL, loaderApp, loaderTemplate } from './synth-stack.js';
import {
  allPolicyStatements,
  type FilterRule,
  logicalIdOf,
  notificationRules,
  ruleMatches,
  topicNotificationRules,
} from './template-queries.js';

let template: Template;
let outdir: string;

beforeAll(() => {
  const { app, stack } = loaderApp({});
  template = Template.fromStack(stack);
  outdir = app.outdir;
});

describe('the drop bucket', () => {
  it('blocks public access, encrypts, and keeps versions', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
    });
  });

  it('writes its access logs to a second bucket that is just as closed', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(2);
    for (const bucket of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
    }
  });

  it('refuses requests without TLS on both buckets', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    const denying = policies.filter((policy) =>
      policy.Properties.PolicyDocument.Statement.some(
        (s: { Effect: string; Condition?: Record<string, Record<string, string>> }) =>
          s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
    );
    expect(denying).toHaveLength(2);
  });

  it('expires dropped files, results, the load record, old versions and abandoned uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: INCOMING_PREFIX,
            ExpirationInDays: SETTING_DEFAULTS.retentionDays,
            Status: 'Enabled',
          }),
          Match.objectLike({
            Prefix: RESULTS_PREFIX,
            ExpirationInDays: SETTING_DEFAULTS.retentionDays,
            Status: 'Enabled',
          }),
          Match.objectLike({
            Prefix: LOAD_RECORD_PREFIX,
            ExpirationInDays: SETTING_DEFAULTS.reloadRecordDays,
            Status: 'Enabled',
          }),
          Match.objectLike({
            NoncurrentVersionExpiration: { NoncurrentDays: Match.anyValue() },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          }),
        ]),
      },
    });
  });
});

describe('suppression lists', () => {
  it('expires compiled lists', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: COMPILED_SUPPRESSION_PREFIX,
            ExpirationInDays: COMPILED_SUPPRESSION_DAYS,
            Status: 'Enabled',
          }),
        ]),
      },
    });
  });
});

describe('the trigger', () => {
  it('sends objects created under incoming/ to the queue, one rule per accepted suffix', () => {
    const rules = notificationRules(template);
    expect(rules.map((rule) => rule.suffix).sort()).toEqual([...ACCEPTED_SUFFIXES].sort());
    for (const rule of rules) {
      expect(rule.prefix).toBe(INCOMING_PREFIX);
      expect(rule.events).toEqual(['s3:ObjectCreated:*']);
      expect(rule.queueArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'EventsQueue'), 'Arn'],
      });
    }
  });

  it('never triggers on a key under results/, whatever follows the prefix', () => {
    // With the notification topic, results/ has a rule of its own: it must not reach the queue.
    const withTopic = loaderTemplate({ notificationTopic: 'true' });
    expect(topicNotificationRules(withTopic)).not.toEqual([]);
    const rules = [...notificationRules(template), ...notificationRules(withTopic)];
    expect(rules).toHaveLength(2 * ACCEPTED_SUFFIXES.length);
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('', MANIFEST_SUFFIX, ...ACCEPTED_SUFFIXES),
        (middle, suffix) => {
          const key = `${RESULTS_PREFIX}${middle}${suffix}`;
          expect(rules.some((rule) => ruleMatches(rule, key))).toBe(false);
        },
      ),
    );
  });

  it('never triggers on the campaign profiles file, nor on anything under its folder', () => {
    const withTopic = loaderTemplate({ notificationTopic: 'true' });
    const rules = [...notificationRules(template), ...notificationRules(withTopic)];
    const folder = PROFILES_KEY.slice(0, PROFILES_KEY.lastIndexOf('/') + 1);
    expect(folder).toBe('config/');
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('', ...ACCEPTED_SUFFIXES), (middle, suffix) => {
        for (const key of [PROFILES_KEY, `${folder}${middle}${suffix}`]) {
          expect(rules.some((rule) => ruleMatches(rule, key))).toBe(false);
        }
      }),
    );
  });

  it.each(['incoming/Ventas/list.csv.gz', 'incoming/Ventas/lista.xlsx'])(
    'does trigger on a dropped file (%s), so the check above can fail',
    (key) => {
      const rules: FilterRule[] = notificationRules(template);
      expect(rules.some((rule) => ruleMatches(rule, key))).toBe(true);
    },
  );

  it('uses an SSE-SQS queue with a dead-letter queue and room for six function timeouts', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: Match.anyValue(),
      RedrivePolicy: {
        deadLetterTargetArn: Match.anyValue(),
        maxReceiveCount: Match.anyValue(),
      },
    });
    const queue =
      template.findResources('AWS::SQS::Queue')[
        logicalIdOf(template, 'AWS::SQS::Queue', 'EventsQueue')
      ];
    const deadLetters =
      template.findResources('AWS::SQS::Queue')[
        logicalIdOf(template, 'AWS::SQS::Queue', 'EventsDeadLetters')
      ];
    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * FUNCTION_TIMEOUT.toSeconds(),
    );
    expect(queue?.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(MAX_RECEIVE_COUNT).toBeGreaterThanOrEqual(5);
    expect(deadLetters?.Properties.SqsManagedSseEnabled).toBe(true);
    expect(deadLetters?.Properties.MessageRetentionPeriod).toBeGreaterThan(
      queue?.Properties.MessageRetentionPeriod,
    );
  });

  it('refuses queue requests without TLS', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('lets only the drop bucket send to the queue', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Condition: {
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::GetAtt': [logicalIdOf(template, 'AWS::S3::Bucket', 'DropBucket'), 'Arn'],
                },
              },
            },
          }),
        ]),
      },
    });
  });
});

describe('the function', () => {
  it('runs Node.js 24 on arm64 with 15 minutes, 1 GB of memory and 2 GiB of /tmp', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 900,
      MemorySize: 1024,
      EphemeralStorage: { Size: 2048 },
    });
    // Local runs refuse the files the function would: the setting's default is the stack's size.
    expect(SETTINGS.ephemeralStorageMb.default).toBe(String(EPHEMERAL_STORAGE.toMebibytes()));
  });

  it('reads its whole configuration from the environment, the secret by ARN only', () => {
    const secretId = logicalIdOf(template, 'AWS::SecretsManager::Secret', 'Credentials');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [FunctionEnvironmentName.UcontactBaseUrl]: BASE_URL,
          [FunctionEnvironmentName.UcontactSecretId]: { Ref: secretId },
          [FunctionEnvironmentName.IncomingPrefix]: INCOMING_PREFIX,
          [FunctionEnvironmentName.ResultsPrefix]: RESULTS_PREFIX,
          [FunctionEnvironmentName.CampaignSuffix]: '',
          [FunctionEnvironmentName.ProfilesKey]: PROFILES_KEY,
          [FunctionEnvironmentName.FunctionTimeoutSeconds]: '900',
          [FunctionEnvironmentName.EphemeralStorageMb]: '2048',
          [FunctionEnvironmentName.PowertoolsServiceName]: LOADER_METRICS.serviceName,
          [FunctionEnvironmentName.PowertoolsMetricsNamespace]: LOADER_METRICS.namespace,
          [FunctionEnvironmentName.PowertoolsLogLevel]: 'INFO',
          [FunctionEnvironmentName.NodeOptions]: '--enable-source-maps',
        },
      },
    });
  });

  it('ships a minified ESM bundle with its source map', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (resource) => resource.Properties.Runtime === 'nodejs24.x',
    );
    const assetHash = String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '');
    const bundle = join(outdir, `asset.${assetHash}`);
    expect(existsSync(join(bundle, 'index.mjs.map'))).toBe(true);
    const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
    expect(code).toContain('createRequire');
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
  });

  it('logs to its own log group, kept for a month', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      LoggingConfig: {
        LogGroup: { Ref: logicalIdOf(template, 'AWS::Logs::LogGroup', 'ContactLoader') },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('takes one file at a time from the queue, bounded in parallel, reporting partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: SETTING_DEFAULTS.maxConcurrency },
      EventSourceArn: {
        'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'EventsQueue'), 'Arn'],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: Match.absent(),
    });
  });
});

describe('permissions', () => {
  it('grant no wildcard action and nothing on every resource', () => {
    for (const statement of allPolicyStatements(template)) {
      for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
      for (const resource of [statement.Resource].flat()) expect(resource).not.toBe('*');
    }
  });

  it('let the function read incoming/, suppression/ and the profiles file, read and write results/, state/ and compiled lists, and nothing else in the bucket', () => {
    const bucketArn = {
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::S3::Bucket', 'DropBucket'), 'Arn'],
    };
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });
    const s3 = allPolicyStatements(
      template,
      logicalIdOf(template, 'AWS::IAM::Policy', 'ContactLoader'),
    )
      .filter((statement) => [statement.Action].flat().some((a) => a.startsWith('s3:')))
      .map(({ Action, Resource }) => ({ Action, Resource }));
    expect(s3).toEqual(
      expect.arrayContaining([
        { Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objects(INCOMING_PREFIX) },
        {
          Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
          Resource: objects(RESULTS_PREFIX),
        },
        {
          Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          Resource: objects(STATE_PREFIX),
        },
        { Action: 's3:ListBucket', Resource: bucketArn },
        {
          // CDK merges the two read-only grants into one statement.
          Action: 's3:GetObject',
          Resource: [
            { 'Fn::Join': ['', [bucketArn, `/${PROFILES_KEY}`]] },
            objects(SUPPRESSION_PREFIX),
          ],
        },
        {
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: objects(COMPILED_SUPPRESSION_PREFIX),
        },
      ]),
    );
    expect(s3).toHaveLength(6);
  });

  it('let the function get the value of its one secret and call no KMS', () => {
    const statements = allPolicyStatements(
      template,
      logicalIdOf(template, 'AWS::IAM::Policy', 'ContactLoader'),
    );
    const secrets = statements.filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('secretsmanager:')),
    );
    expect(secrets).toEqual([
      expect.objectContaining({
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', 'Credentials') },
      }),
    ]);
    expect(statements.flatMap((s) => [s.Action].flat()).some((a) => a.startsWith('kms:'))).toBe(
      false,
    );
  });

  it('give the function role no managed policy', () => {
    const role =
      template.findResources('AWS::IAM::Role')[
        logicalIdOf(template, 'AWS::IAM::Role', 'ContactLoader')
      ];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('the secret', () => {
  it('is a placeholder with an empty user and a generated password when none is given', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: JSON.stringify({ user: '' }),
        GenerateStringKey: 'password',
      },
    });
  });
});

describe('the alarms', () => {
  const sqsAlarm = 'ApproximateNumberOfMessagesVisible';
  const lambdaAlarms = ['Errors', 'Throttles', 'RecursiveInvocationsDropped'];
  const pipelineAlarms = [
    'FilesFailed',
    'FilesPartial',
    'ChunksUnknown',
    'SessionsLeftOpen',
    'ProfilesInvalid',
  ];

  it('fire on the first occurrence of every failure', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((alarm) => alarm.Properties.MetricName).sort()).toEqual(
      [sqsAlarm, ...lambdaAlarms, ...pipelineAlarms].sort(),
    );
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });

  it('watch the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: sqsAlarm,
      Dimensions: [
        {
          Name: 'QueueName',
          Value: {
            'Fn::GetAtt': [
              logicalIdOf(template, 'AWS::SQS::Queue', 'EventsDeadLetters'),
              'QueueName',
            ],
          },
        },
      ],
    });
  });

  it.each(lambdaAlarms)('watch the function for %s', (metricName) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: [
        {
          Name: 'FunctionName',
          Value: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'ContactLoader') },
        },
      ],
    });
  });

  it.each(pipelineAlarms)('watch the manifests through the %s metric', (metricName) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: LOADER_METRICS.namespace,
      MetricName: metricName,
      Dimensions: [{ Name: LOADER_METRICS.serviceDimension, Value: LOADER_METRICS.serviceName }],
      Statistic: 'Sum',
    });
  });
});

describe('by default', () => {
  it('creates no SNS topic, so no result notification, and no SFTP server', () => {
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(topicNotificationRules(template)).toEqual([]);
    template.resourceCountIs('AWS::Transfer::Server', 0);
  });

  it('gives no resource a fixed physical name', () => {
    const named = Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(
      ([, resource]) =>
        Object.entries(resource.Properties ?? {}).some(
          ([key, value]) =>
            /^(BucketName|QueueName|FunctionName|RoleName|TopicName|Name|LogGroupName)$/.test(
              key,
            ) && typeof value === 'string',
        ),
    );
    expect(named.map(([id]) => id)).toEqual([]);
  });
});

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}
