import { PipelineErrorCode } from './errors.js';
import { ManifestStatus, UploadOutcome } from './manifest.js';
import { FileMetricName } from './metric-names.js';
import type { ObjectResult } from './process-object.js';

export { FileMetricName };

/** Where metrics go; Powertools' Metrics (EMF) fits. */
export interface MetricsSink {
  addMetric(name: FileMetricName, unit: 'Count' | 'Milliseconds', value: number): void;
}

const FILES_BY_STATUS: Readonly<Record<ManifestStatus, FileMetricName>> = {
  [ManifestStatus.Succeeded]: FileMetricName.FilesSucceeded,
  [ManifestStatus.Partial]: FileMetricName.FilesPartial,
  [ManifestStatus.Failed]: FileMetricName.FilesFailed,
  [ManifestStatus.Rejected]: FileMetricName.FilesRejected,
  [ManifestStatus.Skipped]: FileMetricName.FilesSkipped,
};

const CHUNKS_BY_OUTCOME: Readonly<Record<UploadOutcome, FileMetricName>> = {
  [UploadOutcome.Accepted]: FileMetricName.ChunksAccepted,
  [UploadOutcome.Failed]: FileMetricName.ChunksFailed,
  [UploadOutcome.Unknown]: FileMetricName.ChunksUnknown,
};

/**
 * Records what one run did with one object. Files and rows are counted once per file, when its
 * result is final (a run that will be retried counts neither, so a retried file is not counted
 * twice); chunks count every upload this run made, plus a chunk a crashed run left in flight
 * (found at takeover, counted unknown once); SessionsLeftOpen counts a run whose EndSession
 * failed, and a crashed run's session found open at takeover (counted once, by the run that took
 * it over); ProfilesInvalid a file failed for an invalid profiles file; FileDuration is every
 * run's time. Never throws.
 */
export function recordFileMetrics(metrics: MetricsSink, result: ObjectResult): void {
  if (!result.retry) {
    metrics.addMetric(FILES_BY_STATUS[result.status], 'Count', 1);
    if (result.manifest) {
      metrics.addMetric(FileMetricName.RowsAccepted, 'Count', result.manifest.counts.accepted);
      metrics.addMetric(FileMetricName.RowsRejected, 'Count', result.manifest.counts.rejected);
      const { suppressed } = result.manifest.counts;
      if (suppressed !== undefined)
        metrics.addMetric(FileMetricName.RowsSuppressed, 'Count', suppressed);
      const { recentlyLoaded } = result.manifest.counts;
      if (recentlyLoaded > 0)
        metrics.addMetric(FileMetricName.RowsRecentlyLoaded, 'Count', recentlyLoaded);
    }
  }
  for (const chunk of result.sent) metrics.addMetric(CHUNKS_BY_OUTCOME[chunk.outcome], 'Count', 1);
  if (result.lostInFlight) {
    metrics.addMetric(FileMetricName.ChunksUnknown, 'Count', result.lostInFlight);
  }
  const sessionsLeftOpen =
    Number(result.sessionLeftOpen === true) + Number(result.previousSessionMayBeOpen === true);
  if (sessionsLeftOpen > 0) {
    metrics.addMetric(FileMetricName.SessionsLeftOpen, 'Count', sessionsLeftOpen);
  }
  if (result.manifest?.error?.code === PipelineErrorCode.ProfilesInvalid) {
    metrics.addMetric(FileMetricName.ProfilesInvalid, 'Count', 1);
  }
  metrics.addMetric(FileMetricName.FileDuration, 'Milliseconds', result.durationMs);
}
