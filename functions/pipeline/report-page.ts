import type { S3Client } from '@aws-sdk/client-s3';
import { type ReportLanguage, renderReport } from '../report/render-report.js';
import type { Manifest } from './manifest.js';
import type { PipelineLogger } from './run-types.js';
import { putText } from './storage.js';

/**
 * Writes report.html, the manifest's page for people, at `key` (beside manifest.json, so its link
 * to rejected.csv is relative). The page only repeats the manifest: a failed write is logged and
 * never fails the file, whose result is the manifest.
 */
export async function writeReportPage(
  s3: S3Client,
  target: { readonly bucket: string; readonly key: string; readonly language: ReportLanguage },
  manifest: Manifest,
  logger: Pick<PipelineLogger, 'warn'>,
): Promise<void> {
  try {
    const page = renderReport(manifest, { language: target.language });
    await putText(s3, target.bucket, target.key, page, 'text/html; charset=utf-8');
  } catch (error) {
    logger.warn('cannot write the report page', { error, reportKey: target.key });
  }
}
