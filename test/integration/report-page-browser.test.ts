import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReportManifest, renderReport } from '../../functions/report/render-report.js';
import { sampleManifest } from '../unit/report/sample-manifests.js';

/** Debian's Chromium (`apt-get install -y chromium`); `.ci/run` installs it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FOUND = existsSync(CHROMIUM);
/** Pages and screenshots of each run, for people to look at (ignored by git). */
const ARTIFACTS = join(import.meta.dirname, '../artifacts');
const STATUSES = ['succeeded', 'partial', 'failed', 'rejected', 'skipped'] as const;

if (!FOUND)
  process.stderr.write(
    `report pages not tried in a browser: ${CHROMIUM} not found (apt-get install -y chromium)\n`,
  );

let browser: Browser;
/** The banner colour each status was shown with. */
const bannerColours = new Map<string, string>();

beforeAll(async () => {
  if (!FOUND) return;
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens the page of `manifest` from a file; collects console errors, page errors and dialogs. */
async function open(name: string, manifest: ReportManifest, language: 'es' | 'en' = 'es') {
  const file = join(ARTIFACTS, `report-${name}.html`);
  await writeFile(file, renderReport(manifest, { language }));
  const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}

function shownCounts(page: Page): Promise<Record<string, number>> {
  return page.$$eval('[data-count]', (items) =>
    Object.fromEntries(
      items.map((item) => [
        item.getAttribute('data-count'),
        Number(item.textContent?.replace(/\D/g, '')),
      ]),
    ),
  );
}

describe.skipIf(!FOUND)('the report page in headless Chromium', () => {
  it.each(STATUSES)(
    'shows a %s file without an error, with the manifest counts',
    async (status) => {
      const manifest = sampleManifest(status);
      const { page, problems } = await open(status, manifest);

      expect(await shownCounts(page)).toEqual(manifest.counts);
      const banner = page.locator('header.banner');
      // The stylesheet is allowed by its hash: a wrong hash would leave the banner uncoloured.
      const colour = await banner.evaluate(
        (el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor ?? '',
      );
      expect(colour).not.toBe('rgba(0, 0, 0, 0)');
      bannerColours.set(status, colour);
      expect(await banner.locator('.status').textContent()).toBeTruthy();
      expect(await page.locator('section.next li').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(ARTIFACTS, `report-${status}.png`), fullPage: true });
      // The top of a partial file's page is the README's picture (docs/report-page.png).
      if (status === 'partial') {
        const clip = { x: 0, y: 0, width: 900, height: 1180 };
        await page.screenshot({ path: join(ARTIFACTS, 'report-page.png'), fullPage: true, clip });
      }
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it('gives each status a banner colour of its own', () => {
    expect(new Set(bannerColours.values()).size).toBe(STATUSES.length);
  });

  it('runs nothing a partner put in a file name, a header or a cell', async () => {
    const attack = '"><img src=x onerror=alert(1)><svg onload=alert(2)>';
    const base = sampleManifest('partial');
    const { page, problems } = await open('injection', {
      ...base,
      source: { ...base.source, key: `incoming/Ventas/${attack}.csv` },
      campaign: attack,
      columns: [{ header: attack, role: 'phone' }],
      rejections: [{ line: 2, code: 'MALFORMED_ROW', message: attack }],
      error: { code: 'UNKNOWN_OUTCOME', message: attack },
    });

    expect(await page.locator('script, img, iframe, object, embed, svg[onload]').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe(`${attack}.csv`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
