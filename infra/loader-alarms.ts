import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LoaderMetricName, loaderMetric } from './metrics.js';

export interface LoaderAlarmsProps {
  readonly fn: IFunction;
  readonly deadLetterQueue: IQueue;
  /** @default - no topic: the alarms show in the CloudWatch console only */
  readonly topic?: ITopic;
}

const PERIOD = Duration.minutes(5);

/** Every way a drop can go wrong, as alarms that fire on the first occurrence. */
export class LoaderAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: LoaderAlarmsProps) {
    super(scope, id);
    const { fn, deadLetterQueue } = props;
    this.add(
      'DeadLetterQueueNotEmpty',
      deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      }),
      'A file event failed five times and was set aside in the dead-letter queue: read the function logs for its key, fix the cause, then redrive the message.',
    );
    this.add(
      'FunctionErrors',
      fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      'The contact loader ended with an error (crash or timeout): read its logs; SQS retries the file.',
    );
    this.add(
      'FunctionThrottles',
      fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
      'Lambda refused to start the contact loader (account concurrency exhausted): files wait in the queue.',
    );
    this.add(
      'RecursiveInvocationsDropped',
      fn.metric('RecursiveInvocationsDropped', { period: PERIOD, statistic: 'Sum' }),
      'Lambda stopped a loop in which the function triggered itself: check that nothing writes under incoming/ from the function.',
    );
    this.add(
      'FilesFailed',
      loaderMetric(LoaderMetricName.FilesFailed),
      'A file could not be loaded (manifest status failed): read results/<campaign>/<file>/.../manifest.json for the error.',
    );
    this.add(
      'FilesPartial',
      loaderMetric(LoaderMetricName.FilesPartial),
      'A file was loaded only in part (manifest status partial): read its manifest for the chunks that failed.',
    );
    this.add(
      'ChunksUnknown',
      loaderMetric(LoaderMetricName.ChunksUnknown),
      'uContact did not answer whether a chunk was loaded; it is never resent automatically: check the campaign in uContact before loading it again.',
    );
    this.add(
      'SessionsLeftOpen',
      loaderMetric(LoaderMetricName.SessionsLeftOpen),
      'EndSession failed after an upload: a uContact session of the API user may still be open. Read the manifest session field; end it in uContact if it lasts.',
    );
    this.add(
      'ProfilesInvalid',
      loaderMetric(LoaderMetricName.ProfilesInvalid),
      'The campaign profiles file (config/campaigns.json) is invalid: every drop fails with PROFILES_INVALID until it is fixed. Run ucontact-loader profiles check on it, fix it, then drop the files again.',
    );
    if (props.topic !== undefined) {
      const action = new SnsAction(props.topic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
      // A topic with its own policy loses SNS's default one, under which CloudWatch could publish:
      // without this statement the alarms fire but no notification is sent.
      props.topic.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [props.topic.topicArn],
          conditions: { ArnLike: { 'aws:SourceArn': this.alarms.map((alarm) => alarm.alarmArn) } },
        }),
      );
    }
  }

  private add(id: string, metric: IMetric, description: string): void {
    this.alarms.push(
      new Alarm(this, id, {
        metric,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // No data means nothing happened, which is good news.
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }),
    );
  }
}
