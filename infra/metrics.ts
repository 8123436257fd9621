import { LOADER_TELEMETRY } from '../functions/config/settings.js';

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
