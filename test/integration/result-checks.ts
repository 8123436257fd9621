import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import type { Manifest } from '../../functions/pipeline/manifest.js';
import { expectValidManifest } from '../manifest-schema.js';

/**
 * Checks what every result must hold, so each test that reads a manifest also proves it: the
 * manifest follows the published schema, and report.html beside it is an HTML page showing the
 * manifest's status and counts.
 */
export async function expectResultFiles(
  client: S3Client,
  bucket: string,
  manifestKey: string,
  manifest: Manifest,
): Promise<string> {
  expectValidManifest(manifest);
  const key = manifestKey.replace(/manifest\.json$/, 'report.html');
  const page = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const html = (await page.Body?.transformToString('utf-8')) ?? '';
  expect(page.ContentType, `${key} is served as HTML`).toBe('text/html; charset=utf-8');
  expect(html).toContain(`data-status="${manifest.status}"`);
  const shown = [...html.matchAll(/data-count="(\w+)">([^<]*)</g)].map(([, name, value]) => [
    name,
    Number(value!.replace(/\D/g, '')),
  ]);
  expect(Object.fromEntries(shown)).toEqual(manifest.counts);
  return html;
}
