import type { ReportManifest } from '../../../functions/report/render-report.js';

/** A manifest of each status, as the pipeline writes them, for the page's tests. */
export function sampleManifest(
  status: 'succeeded' | 'partial' | 'failed' | 'rejected' | 'skipped',
  refusals = 8,
): ReportManifest {
  const codes = ['DUPLICATE', 'INVALID_PHONE', 'SCIENTIFIC_NOTATION'];
  const rejections = Array.from({ length: Math.min(refusals, 100) }, (_, i) => ({
    line: 3 + i * 2,
    code: codes[i % codes.length]!,
    message: `The number 09*****${String(i % 100).padStart(2, '0')} is not 6 to 15 digits once spaces, dashes, dots, parentheses and slashes are removed`,
  }));
  const rejectionCodes = Object.fromEntries(
    codes.map((code) => [code, rejections.filter((r) => r.code === code).length]),
  );
  const loaded = status === 'succeeded' || status === 'partial' || status === 'failed';
  const accepted = status === 'rejected' || status === 'skipped' ? 0 : 31;
  const uploads = loaded
    ? [1, 2, 3].map((part) => ({
        part,
        filename: `lista.part-00${part}-of-003.csv`,
        records: part === 3 ? 11 : 10,
        bytes: part === 3 ? 792 : 720,
        outcome:
          status === 'succeeded' || part === 1
            ? status === 'failed'
              ? 'failed'
              : 'accepted'
            : part === 2
              ? 'unknown'
              : 'failed',
        attempts: status === 'failed' ? 0 : 1,
        durationMs: 40 + part,
      }))
    : [];
  const uploaded = uploads
    .filter((u) => u.outcome === 'accepted')
    .reduce((s, u) => s + u.records, 0);
  const errors = {
    succeeded: null,
    partial: {
      code: 'UNKNOWN_OUTCOME',
      message: 'part 2 got no answer and may or may not have been loaded',
    },
    failed: { code: 'AUTH_FAILED', message: 'uContact refused the login' },
    rejected: { code: 'NO_VALID_CONTACTS', message: "none of the file's 8 rows can be loaded" },
    skipped: { code: 'EMPTY_OBJECT', message: 'the object is empty: nothing to load' },
  } as const;
  const read = status !== 'skipped';
  return {
    schemaVersion: 1,
    status,
    source: {
      bucket: 'drop',
      key: 'incoming/Ventas Norte/lista.csv',
      size: read ? 2602 : 0,
      etag: 'ac0ed22bc5c46896e07dff323c5cd9e5',
      versionId: null,
    },
    campaign: 'Ventas Norte',
    input: read ? { format: 'native', encoding: 'utf-8', delimiter: ';' } : null,
    columns: null,
    counts: {
      rows: read ? accepted + refusals : 0,
      accepted,
      rejected: read ? refusals : 0,
      duplicates: read ? (rejectionCodes.DUPLICATE ?? 0) : 0,
      modified: read ? 10 : 0,
      lines: read ? accepted + refusals + 1 : 0,
      header: 0,
      blank: read ? 1 : 0,
      joined: 0,
      uploaded,
    },
    rejections: read ? rejections : [],
    rejectionCodes: read ? rejectionCodes : {},
    rejectedFile: read && refusals > 0 ? 'results/Ventas Norte/lista.csv/e-1/rejected.csv' : null,
    rejectedFileTruncated: null,
    uploads,
    startedAt: '2025-03-14T13:05:10.002Z',
    finishedAt: '2025-03-14T13:05:10.411Z',
    error: errors[status],
    session: loaded
      ? status === 'partial'
        ? { endSession: 'failed', error: { code: 'TIMEOUT', message: 'EndSession got no answer' } }
        : { endSession: status === 'failed' ? 'not-needed' : 'ok' }
      : null,
  };
}
