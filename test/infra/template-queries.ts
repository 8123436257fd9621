import type { Template } from 'aws-cdk-lib/assertions';

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** What an S3 notification rule matches. */
export interface KeyFilter {
  prefix: string;
  suffix: string;
  events: string[];
}

export interface FilterRule extends KeyFilter {
  queueArn: unknown;
}

export interface TopicRule extends KeyFilter {
  topicArn: unknown;
}

/** The logical ID of the one resource of this type whose ID starts as given. */
export function logicalIdOf(template: Template, type: string, startsWith: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(startsWith));
  if (ids.length !== 1) throw new Error(`${ids.length} ${type} IDs start with ${startsWith}`);
  return ids[0]!;
}

/** Every statement of every IAM policy, or of the policies whose logical ID starts as given. */
export function allPolicyStatements(template: Template, idStart = ''): PolicyStatement[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(idStart))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as PolicyStatement[]);
}

/** The queue notification rules of the stack's one bucket-notifications resource. */
export function notificationRules(template: Template): FilterRule[] {
  return configurations(template, 'QueueConfigurations').map(({ filter, arn }) => ({
    ...filter,
    queueArn: arn,
  }));
}

/** The topic notification rules of the stack's one bucket-notifications resource. */
export function topicNotificationRules(template: Template): TopicRule[] {
  return configurations(template, 'TopicConfigurations').map(({ filter, arn }) => ({
    ...filter,
    topicArn: arn,
  }));
}

function configurations(
  template: Template,
  kind: 'QueueConfigurations' | 'TopicConfigurations',
): { filter: KeyFilter; arn: unknown }[] {
  const resources = Object.values(template.findResources('Custom::S3BucketNotifications'));
  if (resources.length !== 1) throw new Error(`${resources.length} notification resources`);
  const found = (resources[0]!.Properties.NotificationConfiguration[kind] ?? []) as {
    Events: string[];
    QueueArn?: unknown;
    TopicArn?: unknown;
    Filter: { Key: { FilterRules: { Name: string; Value: string }[] } };
  }[];
  return found.map((configuration) => {
    const rules = configuration.Filter.Key.FilterRules;
    const value = (name: string) => rules.find((rule) => rule.Name === name)?.Value ?? '';
    return {
      filter: { prefix: value('prefix'), suffix: value('suffix'), events: configuration.Events },
      arn: configuration.QueueArn ?? configuration.TopicArn,
    };
  });
}

/** Whether S3 would apply the rule to an object with this key (its filters are plain text). */
export function ruleMatches(rule: KeyFilter, key: string): boolean {
  return key.startsWith(rule.prefix) && key.endsWith(rule.suffix);
}
