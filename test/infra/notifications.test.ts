import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_SUFFIX, RESULTS_PREFIX } from '../../infra/bucket-layout.js';
import { loaderTemplate } from './synth-stack.js';
import { logicalIdOf, ruleMatches, topicNotificationRules } from './template-queries.js';

const RESULT_DIR = 'results/Ventas/lista.csv/v-3HL4kqtJlcpXroDTDmJ';

function topicRef(template: Template) {
  return { Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'Notifications') };
}

/** The Allow statements of the topic's one policy. */
function allowStatements(template: Template) {
  const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
  expect(policies).toHaveLength(1);
  return (
    policies[0]!.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown }[]
  ).filter((statement) => statement.Effect === 'Allow');
}

describe('alarmEmail', () => {
  let template: Template;
  beforeAll(() => {
    template = loaderTemplate({ alarmEmail: 'ops@example.com' });
  });

  it('creates a topic that refuses plain-HTTP publishers, with the address subscribed', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: topicRef(template),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    template.hasOutput('NotificationTopicArn', { Value: topicRef(template) });
  });

  it('notifies the topic when any alarm fires and when it clears', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(9);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef(template)]);
      expect(alarm.Properties.OKActions).toEqual([topicRef(template)]);
    }
  });

  it('publishes each manifest written under results/ to the topic, and no other result file', () => {
    expect(topicNotificationRules(template)).toEqual([
      {
        prefix: RESULTS_PREFIX,
        suffix: MANIFEST_SUFFIX,
        events: ['s3:ObjectCreated:*'],
        topicArn: topicRef(template),
      },
    ]);
    const [rule] = topicNotificationRules(template);
    expect(ruleMatches(rule!, `${RESULT_DIR}/manifest.json`)).toBe(true);
    expect(ruleMatches(rule!, `${RESULT_DIR}/rejected.csv`)).toBe(false);
    expect(ruleMatches(rule!, `${RESULT_DIR}/state.json`)).toBe(false);
    expect(ruleMatches(rule!, 'incoming/Ventas/manifest.json')).toBe(false);
  });

  it('lets only the drop bucket and the stack alarms publish to the topic', () => {
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'DropBucket');
    const alarmArns = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).map((id) => ({
      'Fn::GetAtt': [id, 'Arn'],
    }));
    expect(allowStatements(template)).toEqual([
      expect.objectContaining({
        Action: 'sns:Publish',
        Principal: { Service: 's3.amazonaws.com' },
        Resource: topicRef(template),
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucket, 'Arn'] } } },
      }),
      expect.objectContaining({
        Action: 'sns:Publish',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Resource: topicRef(template),
        Condition: { ArnLike: { 'aws:SourceArn': expect.arrayContaining(alarmArns) } },
      }),
    ]);
    expect(alarmArns).toHaveLength(9);
  });
});

describe('notificationTopic', () => {
  let template: Template;
  beforeAll(() => {
    template = loaderTemplate({ notificationTopic: 'true' });
  });

  it('creates the topic with no subscription, for subscribers added after deploy', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasOutput('NotificationTopicArn', { Value: topicRef(template) });
  });

  it('sends it the alarms and the manifests all the same', () => {
    expect(topicNotificationRules(template).map((rule) => rule.topicArn)).toEqual([
      topicRef(template),
    ]);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef(template)]);
    }
  });
});

describe('alarmEmail with existingBucketName', () => {
  it('adds the manifest rule to the named bucket and lets only that bucket publish', () => {
    const template = loaderTemplate({
      alarmEmail: 'ops@example.com',
      existingBucketName: 'partner-drop',
    });
    expect(topicNotificationRules(template)).toHaveLength(1);
    expect(allowStatements(template)).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 's3.amazonaws.com' },
        Condition: {
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::partner-drop']],
            },
          },
        },
      }),
    );
  });
});
