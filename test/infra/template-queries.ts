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

/** One metric of a dashboard widget: `[namespace, name, ...dimension pairs, options?]`. */
export interface DashboardMetric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  options: { stat?: string; label?: string };
}

export interface DashboardWidget {
  type: string;
  properties: { title?: string; alarms?: string[]; metrics?: unknown[][] };
}

/**
 * The stack's one dashboard body, parsed: the references CloudFormation fills in at deploy time
 * are written as `{Ref <id>}` and `{GetAtt <id>.<attribute>}`.
 */
export function dashboardWidgets(template: Template): DashboardWidget[] {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboards.length !== 1) throw new Error(`${dashboards.length} dashboards`);
  const body = dashboards[0]!.Properties.DashboardBody as
    | string
    | { 'Fn::Join': [string, unknown[]] };
  const parts = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (token.Ref !== undefined) return `{Ref ${token.Ref}}`;
      if (token['Fn::GetAtt']) return `{GetAtt ${token['Fn::GetAtt'].join('.')}}`;
      throw new Error(`unexpected token in the dashboard body: ${JSON.stringify(part)}`);
    })
    .join('');
  return (JSON.parse(text) as { widgets: DashboardWidget[] }).widgets;
}

/** Every metric of every widget, read from the widgets' `[namespace, name, dim, value..., {options}]`. */
export function dashboardMetrics(widgets: readonly DashboardWidget[]): DashboardMetric[] {
  return widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).map((row) => {
      const last = row[row.length - 1];
      const options =
        typeof last === 'object' && last !== null ? (last as DashboardMetric['options']) : {};
      const fields = (options === last ? row.slice(0, -1) : row) as string[];
      const [namespace, name, ...pairs] = fields;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i]!] = pairs[i + 1]!;
      return { namespace: namespace!, name: name!, dimensions, options };
    }),
  );
}
