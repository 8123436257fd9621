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

export const LoaderMetricName = {
  FilesSucceeded: 'FilesSucceeded',
  FilesPartial: 'FilesPartial',
  FilesFailed: 'FilesFailed',
  FilesRejected: 'FilesRejected',
  FilesSkipped: 'FilesSkipped',
  RowsAccepted: 'RowsAccepted',
  RowsRejected: 'RowsRejected',
  ChunksAccepted: 'ChunksAccepted',
  ChunksFailed: 'ChunksFailed',
  ChunksUnknown: 'ChunksUnknown',
  /** Milliseconds from claim to final manifest. */
  FileDuration: 'FileDuration',
} as const;
export type LoaderMetricName = (typeof LoaderMetricName)[keyof typeof LoaderMetricName];
