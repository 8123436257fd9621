import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileMetricName } from '../../functions/pipeline/metric-names.js';
import { LOADER_METRICS } from '../../infra/metrics.js';
import { loaderTemplate } from './synth-stack.js';
import {
  type DashboardMetric,
  type DashboardWidget,
  dashboardMetrics,
  dashboardWidgets,
  logicalIdOf,
} from './template-queries.js';

let template: Template;
let widgets: DashboardWidget[];
let metrics: DashboardMetric[];

beforeAll(() => {
  template = loaderTemplate();
  widgets = dashboardWidgets(template);
  metrics = dashboardMetrics(widgets);
});

const ofNamespace = (namespace: string) => metrics.filter((m) => m.namespace === namespace);

describe('the operations dashboard', () => {
  it('shows only metrics the function emits, under its namespace and service dimension', () => {
    const emitted: string[] = Object.values(FileMetricName);
    const own = ofNamespace(LOADER_METRICS.namespace);
    expect(own.length).toBeGreaterThan(0);
    for (const metric of own) {
      expect(emitted).toContain(metric.name);
      expect(metric.dimensions).toEqual({
        [LOADER_METRICS.serviceDimension]: LOADER_METRICS.serviceName,
      });
    }
    const namespaces = new Set(metrics.map((m) => m.namespace));
    expect([...namespaces].sort()).toEqual(['AWS/Lambda', 'AWS/SQS', LOADER_METRICS.namespace]);
  });

  it('charts every metric the function emits', () => {
    const shown = new Set(ofNamespace(LOADER_METRICS.namespace).map((m) => m.name));
    expect([...shown].sort()).toEqual(Object.values(FileMetricName).sort());
  });

  it('gives the time per file as its median and 95th percentile', () => {
    const stats = ofNamespace(LOADER_METRICS.namespace)
      .filter((m) => m.name === FileMetricName.FileDuration)
      .map((m) => m.options.stat);
    expect(stats.sort()).toEqual(['p50', 'p95']);
  });

  it("charts the function's errors, throttles and concurrency", () => {
    const fn = `{Ref ${logicalIdOf(template, 'AWS::Lambda::Function', 'ContactLoader')}}`;
    const lambda = ofNamespace('AWS/Lambda');
    expect(lambda.map((m) => m.name).sort()).toEqual([
      'ConcurrentExecutions',
      'Errors',
      'Throttles',
    ]);
    for (const metric of lambda) expect(metric.dimensions).toEqual({ FunctionName: fn });
  });

  it("charts the queue's depth and age, and the dead-letter queue's depth", () => {
    const queue = `{GetAtt ${logicalIdOf(template, 'AWS::SQS::Queue', 'EventsQueue')}.QueueName}`;
    const dlq = `{GetAtt ${logicalIdOf(template, 'AWS::SQS::Queue', 'EventsDeadLetters')}.QueueName}`;
    const sqs = ofNamespace('AWS/SQS').map((m) => `${m.dimensions.QueueName} ${m.name}`);
    expect(sqs.sort()).toEqual(
      [
        `${queue} ApproximateNumberOfMessagesVisible`,
        `${queue} ApproximateNumberOfMessagesNotVisible`,
        `${queue} ApproximateAgeOfOldestMessage`,
        `${dlq} ApproximateNumberOfMessagesVisible`,
      ].sort(),
    );
  });

  it('shows every alarm of the stack with its state', () => {
    const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarmIds.length).toBeGreaterThanOrEqual(8);
    const shown = widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms);
    expect(shown.sort()).toEqual(alarmIds.map((id) => `{GetAtt ${id}.Arn}`).sort());
  });

  it('is named in the stack outputs', () => {
    const id = logicalIdOf(template, 'AWS::CloudWatch::Dashboard', 'Operations');
    expect(template.findOutputs('DashboardName')).toEqual({
      DashboardName: { Value: { Ref: id } },
    });
  });
});
