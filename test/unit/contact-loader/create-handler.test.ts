import { readFileSync } from 'node:fs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLoaderHandler } from '../../../functions/contact-loader/create-handler.js';

const s3Mock = mockClient(S3Client);
afterEach(() => {
  s3Mock.reset();
  vi.restoreAllMocks();
});

const minimal = {
  UCONTACT_BASE_URL: 'https://acme.ucontactcloud.com',
  UCONTACT_SECRET_ID: 'ucontact/supervisor',
};

/** The sample S3 event, for an empty object: the handler logs it, writes a manifest, counts it. */
function emptyDropEvent(): unknown {
  const event = JSON.parse(
    readFileSync(new URL('../../../events/s3-put.json', import.meta.url), 'utf8'),
  );
  event.Records[0].s3.object.size = 0;
  return event;
}

const context = {
  awsRequestId: 'req-1',
  functionName: 'loader',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

/** Runs the handler with its own Logger and Metrics; returns the JSON lines they print. */
async function printedBy(env: Record<string, string>): Promise<Record<string, unknown>[]> {
  s3Mock.on(PutObjectCommand).resolves({});
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  const handler = createLoaderHandler(
    { ...minimal, ...env },
    { s3: new S3Client({ region: 'us-east-1' }), credentials: { get: vi.fn() } },
  );
  await handler(emptyDropEvent(), context);
  vi.restoreAllMocks();
  return lines.map((line) => JSON.parse(line));
}

const metricsLine = (lines: Record<string, unknown>[]) => lines.find((line) => '_aws' in line);
const logLine = (lines: Record<string, unknown>[]) =>
  lines.find((line) => line.message === 'record ignored');

describe('createLoaderHandler', () => {
  it('names the service and the metrics namespace as the stack’s alarms expect by default', async () => {
    const lines = await printedBy({});
    expect(logLine(lines)).toMatchObject({ service: 'ucontact-loader' });
    expect(metricsLine(lines)).toMatchObject({
      service: 'ucontact-loader',
      FilesSkipped: 1,
      _aws: { CloudWatchMetrics: [{ Namespace: 'UcontactLoader' }] },
    });
  });

  it('takes the service name and namespace from the Powertools variables, for logs and metrics', async () => {
    const lines = await printedBy({
      POWERTOOLS_SERVICE_NAME: 'loader-eu',
      POWERTOOLS_METRICS_NAMESPACE: 'LoaderEu',
    });
    expect(logLine(lines)).toMatchObject({ service: 'loader-eu' });
    expect(metricsLine(lines)).toMatchObject({
      service: 'loader-eu',
      _aws: { CloudWatchMetrics: [{ Namespace: 'LoaderEu' }] },
    });
  });

  it('logs nothing below POWERTOOLS_LOG_LEVEL', async () => {
    const lines = await printedBy({ POWERTOOLS_LOG_LEVEL: 'warn' });
    expect(logLine(lines)).toBeUndefined();
    expect(metricsLine(lines)).toBeDefined();
  });
});
