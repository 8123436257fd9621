import { Duration } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { LOADER_TELEMETRY } from '../functions/config/settings.js';
import type { FileMetricName } from '../functions/pipeline/metric-names.js';

/**
 * The metrics the contact loader emits (Powertools EMF). Alarms are built on these names, so
 * the function and the stack must agree on them: both take them from the function's settings.
 */
export const LOADER_METRICS = {
  namespace: LOADER_TELEMETRY.metricsNamespace,
  serviceName: LOADER_TELEMETRY.serviceName,
  /** Powertools adds the service name as this dimension to every metric. */
  serviceDimension: 'service',
} as const;

export { FileMetricName as LoaderMetricName } from '../functions/pipeline/metric-names.js';

/** A metric the function emits, with the dimension Powertools gives it; Sum over 5 minutes unless told. */
export function loaderMetric(metricName: FileMetricName, options: MetricOptions = {}): Metric {
  return new Metric({
    namespace: LOADER_METRICS.namespace,
    metricName,
    dimensionsMap: { [LOADER_METRICS.serviceDimension]: LOADER_METRICS.serviceName },
    statistic: 'Sum',
    period: Duration.minutes(5),
    ...options,
  });
}
