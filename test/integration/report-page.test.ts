import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignFromKey } from '../../functions/pipeline/campaign-from-key.js';
import { resultLocation } from '../../functions/pipeline/result-location.js';
import { renderReport } from '../../functions/report/render-report.js';
import type { CreatedObject } from '../../local-aws/s3-event.js';
import { BUCKET, nativeLines, type PipelineStack, startPipelineStack } from './pipeline-stack.js';

let stack: PipelineStack;
beforeEach(async () => {
  stack = await startPipelineStack();
});
afterEach(async () => {
  await stack.close();
});

async function pageOf(object: CreatedObject): Promise<string> {
  const campaign = campaignFromKey(object.key, { incomingPrefix: 'incoming/', campaignSuffix: '' });
  const { reportKey } = resultLocation(object, campaign, 'results/');
  const page = await stack.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: reportKey }));
  return (await page.Body?.transformToString('utf-8')) ?? '';
}

describe('the report page beside each manifest', () => {
  it('is the manifest rendered, in Spanish, linking to the rejected.csv beside it', async () => {
    const object = await stack.put(
      'incoming/Ventas/lista.csv',
      `${nativeLines(6)}Ventas;12;nombre=<script>alert(1)</script>;;9999;\n`,
    );
    await stack.handler()(stack.eventFor(object));

    const manifest = (await stack.manifestOf(object))!;
    const html = await pageOf(object);
    expect(html).toBe(renderReport(manifest, { language: 'es' }));
    expect(html).toContain('<p class="status">Cargado</p>');
    const pageUrl = new URL(`s3://${BUCKET}/${manifest.rejectedFile!}`);
    expect(new URL('rejected.csv', pageUrl).href).toBe(pageUrl.href);
    expect(html).toContain('<a href="rejected.csv">');
  });

  it('is in English with REPORT_LANGUAGE=en, also for a rejected file', async () => {
    const object = await stack.put(
      'incoming/Ventas/short.csv',
      'Ventas;0991234X;nombre=A;;9999;\nVentas;0991235X;nombre=B;;9999;\n',
    );
    await stack.handler({ REPORT_LANGUAGE: 'en' })(stack.eventFor(object));

    const manifest = (await stack.manifestOf(object))!;
    expect(manifest.status).toBe('rejected');
    const html = await pageOf(object);
    expect(html).toBe(renderReport(manifest, { language: 'en' }));
    expect(html).toContain('No row can be loaded');
  });
});
