import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  SingleValueWidget,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LoaderMetricName, loaderMetric } from './metrics.js';

export interface LoaderDashboardProps {
  readonly fn: IFunction;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** Shown with their state at the top of the dashboard. */
  readonly alarms: readonly Alarm[];
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/**
 * One page for the people who run the loader: the alarms with their state, files by status,
 * rows, chunks and run time from the function's own metrics, then the queue and the function as
 * Lambda and SQS see them. No fixed name, so two copies of the stack can live in one account.
 */
export class LoaderDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: LoaderDashboardProps) {
    super(scope, id);
    const { fn, queue, deadLetterQueue } = props;
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms (README: what each means and what to do)',
        alarms: [...props.alarms],
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      graph('Files by status', [
        loaderMetric(LoaderMetricName.FilesSucceeded, { label: 'succeeded' }),
        loaderMetric(LoaderMetricName.FilesPartial, { label: 'partial' }),
        loaderMetric(LoaderMetricName.FilesFailed, { label: 'failed' }),
        loaderMetric(LoaderMetricName.FilesRejected, { label: 'rejected' }),
        loaderMetric(LoaderMetricName.FilesSkipped, { label: 'skipped' }),
      ]),
      graph('Rows', [
        loaderMetric(LoaderMetricName.RowsAccepted, { label: 'accepted' }),
        loaderMetric(LoaderMetricName.RowsRejected, { label: 'refused' }),
        loaderMetric(LoaderMetricName.RowsSuppressed, { label: 'suppressed' }),
        loaderMetric(LoaderMetricName.RowsRecentlyLoaded, { label: 'recently loaded' }),
      ]),
      graph('Chunks', [
        loaderMetric(LoaderMetricName.ChunksAccepted, { label: 'accepted' }),
        loaderMetric(LoaderMetricName.ChunksFailed, { label: 'failed' }),
        loaderMetric(LoaderMetricName.ChunksUnknown, { label: 'unknown' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Time per file (ms)', [
        loaderMetric(LoaderMetricName.FileDuration, {
          label: 'p50',
          statistic: Stats.percentile(50),
        }),
        loaderMetric(LoaderMetricName.FileDuration, {
          label: 'p95',
          statistic: Stats.percentile(95),
        }),
      ]),
      graph('Queue', [
        queue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: Stats.MAXIMUM,
          label: 'waiting',
        }),
        queue.metricApproximateNumberOfMessagesNotVisible({
          period: PERIOD,
          statistic: Stats.MAXIMUM,
          label: 'being handled',
        }),
      ]),
      graph('Oldest waiting event (s)', [
        queue.metricApproximateAgeOfOldestMessage({
          period: PERIOD,
          statistic: Stats.MAXIMUM,
          label: 'age',
        }),
      ]),
    );
    this.dashboard.addWidgets(
      new SingleValueWidget({
        title: 'Dead-letter queue',
        metrics: [
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: Stats.MAXIMUM,
            label: 'events set aside',
          }),
        ],
        width: WIDTH,
        height: HEIGHT,
      }),
      graph('Function', [
        fn.metricErrors({ period: PERIOD, statistic: Stats.SUM, label: 'errors' }),
        fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM, label: 'throttles' }),
        fn.metric('ConcurrentExecutions', {
          period: PERIOD,
          statistic: Stats.MAXIMUM,
          label: 'concurrency',
        }),
      ]),
      graph('Sessions left open', [
        loaderMetric(LoaderMetricName.SessionsLeftOpen, { label: 'EndSession failed or run died' }),
      ]),
      graph('Profiles file invalid', [
        loaderMetric(LoaderMetricName.ProfilesInvalid, { label: 'files failed' }),
      ]),
    );
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          "Each file's result: `results/<campaign>/<file>/<identity>/manifest.json`; " +
          '`npx ucontact-loader results --bucket <BucketName>` lists the latest.',
        width: 24,
        height: 2,
      }),
    );
  }
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: WIDTH, height: HEIGHT });
}
