import { describe, expect, it } from 'vitest';
import { recordFileMetrics } from '../../../functions/pipeline/file-metrics.js';
import type { ObjectResult } from '../../../functions/pipeline/process-object.js';

function recorder() {
  const totals: Record<string, number> = {};
  return {
    totals,
    addMetric: (name: string, _unit: string, value: number) => {
      totals[name] = (totals[name] ?? 0) + value;
    },
  };
}

const chunk = (outcome: 'accepted' | 'failed' | 'unknown') => ({
  part: 1,
  filename: 'a.csv',
  records: 10,
  bytes: 100,
  outcome,
  attempts: 1,
  durationMs: 5,
});

const result = (overrides: Partial<ObjectResult>): ObjectResult => ({
  status: 'succeeded',
  retry: false,
  sent: [],
  durationMs: 1200,
  ...overrides,
});

describe('recordFileMetrics', () => {
  it('counts a final file once by status, its rows, each chunk and the duration', () => {
    const metrics = recorder();
    const manifest = { counts: { accepted: 30, rejected: 4 } } as ObjectResult['manifest'];
    recordFileMetrics(
      metrics,
      result({ status: 'partial', manifest, sent: [chunk('accepted'), chunk('unknown')] }),
    );
    expect(metrics.totals).toEqual({
      FilesPartial: 1,
      RowsAccepted: 30,
      RowsRejected: 4,
      ChunksAccepted: 1,
      ChunksUnknown: 1,
      FileDuration: 1200,
    });
  });

  it('counts neither the file nor its rows when it will be retried', () => {
    const metrics = recorder();
    const manifest = { counts: { accepted: 30, rejected: 4 } } as ObjectResult['manifest'];
    recordFileMetrics(
      metrics,
      result({ status: 'failed', retry: true, manifest, sent: [chunk('failed')] }),
    );
    expect(metrics.totals).toEqual({ ChunksFailed: 1, FileDuration: 1200 });
  });

  it('counts a chunk left in flight by a crashed run as unknown, and a session left open', () => {
    const metrics = recorder();
    recordFileMetrics(
      metrics,
      result({ status: 'partial', lostInFlight: 1, sessionLeftOpen: true, sent: [] }),
    );
    expect(metrics.totals).toMatchObject({ ChunksUnknown: 1, SessionsLeftOpen: 1 });
  });
});
