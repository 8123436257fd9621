/**
 * The metrics the contact loader emits (Powertools EMF). Alarms are built on these names, so
 * the function and the stack must agree on them.
 */
export const LOADER_METRICS = {
  namespace: 'UcontactLoader',
  serviceName: 'ucontact-loader',
  /** Powertools adds the service name as this dimension to every metric. */
  serviceDimension: 'service',
} as const;

export { FileMetricName as LoaderMetricName } from '../functions/pipeline/metric-names.js';
