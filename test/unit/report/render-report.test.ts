import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ReportManifest, renderReport } from '../../../functions/report/render-report.js';
import { sampleManifest } from './sample-manifests.js';

const STATUSES = ['succeeded', 'partial', 'failed', 'rejected', 'skipped'] as const;
/** The only elements the page is built of: anything else came from a manifest's text. */
const PAGE_TAGS = new Set(
  'html head meta title style body main header h1 h2 p section ul li dl div dt dd table thead tbody tr th td code span a svg text rect footer'.split(
    ' ',
  ),
);
const ATTACKS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</style><style>body{display:none}</style>',
  '<a href="https://evil.example/">x</a>',
  '`<iframe src=//evil>`',
];

function es(manifest: ReportManifest): string {
  return renderReport(manifest, { language: 'es' });
}

/**
 * Every element and attribute name in the page, attributes read as a browser reads them; `stray`
 * is whatever a tag holds besides its `name="value"` attributes (an unquoted attribute).
 */
function markup(html: string): { tags: string[]; attributes: string[]; stray: string[] } {
  const tags = [...html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)];
  const attribute = /\s([^\s=/]+)="[^"]*"/g;
  return {
    tags: tags.map((t) => t[1]!.toLowerCase()),
    attributes: tags.flatMap((t) => [...t[2]!.matchAll(attribute)].map((a) => a[1]!)),
    stray: tags.map((t) => t[2]!.replace(attribute, '').replace(/\/$/, '').trim()).filter(Boolean),
  };
}

/** The values shown for each count, by field. */
function shownCounts(html: string): Record<string, number> {
  return Object.fromEntries(
    [...html.matchAll(/data-count="(\w+)">([^<]*)</g)].map((m) => [
      m[1],
      Number(m[2]!.replace(/\D/g, '')),
    ]),
  );
}

describe('renderReport', () => {
  it.each(STATUSES)('gives a %s file its banner, its counts and what to do next', (status) => {
    const manifest = sampleManifest(status);
    const html = es(manifest);

    expect(html).toContain(`class="banner s-${status}"`);
    expect(shownCounts(html)).toEqual(manifest.counts);
    expect(html).toMatch(/<section class="next"><h2>Qué hacer ahora<\/h2><ul><li>/);
  });

  it('speaks English when asked, Spanish otherwise', () => {
    const manifest = sampleManifest('partial');
    const english = renderReport(manifest, { language: 'en' });

    expect(english).toContain('<html lang="en">');
    expect(english).toContain('Partly loaded');
    expect(english).toContain('Check the campaign in uContact before sending that chunk again');
    expect(es(manifest)).toContain('Cargado en parte');
    expect(es(manifest)).toContain('Revise la campaña en uContact');
  });

  it('says what to do about each refusal code, with its count', () => {
    const html = renderReport(sampleManifest('succeeded', 9), { language: 'en' });

    expect(html).toContain('data-code-count="INVALID_PHONE">3<');
    expect(html).toContain('Remove the repeated row, or merge the two');
    expect(html).toContain('<a href="rejected.csv">');
  });

  it('tells a login refused by uContact to correct the secret', () => {
    const html = renderReport(sampleManifest('failed'), { language: 'en' });
    expect(html).toContain('Correct the user or password in the secret');
    expect(html).toContain('<code>AUTH_FAILED</code>');
  });

  it('neutralises markup in file names, campaigns, headers, cells and messages', () => {
    for (const attack of ATTACKS) {
      const base = sampleManifest('partial');
      const manifest: ReportManifest = {
        ...base,
        source: { ...base.source, key: `incoming/${attack}/${attack}.csv`, bucket: attack },
        campaign: attack,
        input: { format: 'headered', encoding: 'utf-8', delimiter: attack },
        columns: [{ header: attack, role: `variable:${attack}` }],
        rejections: [{ line: 2, code: attack, message: `cell ${attack}` }],
        rejectionCodes: { [attack]: 1 },
        uploads: base.uploads.map((u) => ({ ...u, filename: attack, outcome: attack })),
        error: { code: attack, message: attack },
        session: { endSession: attack, error: { code: attack, message: attack } },
        profile: { name: attack, source: attack, version: attack },
        suppression: { [attack]: [attack] },
        reloadWindow: attack,
        status: attack,
      };
      const html = es(manifest);
      const { tags, attributes, stray } = markup(html);

      expect(tags.filter((tag) => !PAGE_TAGS.has(tag))).toEqual([]);
      expect(attributes.filter((name) => /^on/i.test(name) || name === 'src')).toEqual([]);
      expect(stray).toEqual([]);
      expect(html.match(/<a /g)).toHaveLength(1);
      expect(html.match(/<style>/g)).toHaveLength(1);
    }
  });

  it('allows only its own stylesheet, by hash, and loads nothing from outside', () => {
    const html = es(sampleManifest('succeeded'));
    const style = /<style>([^<]*)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');

    expect(html).toContain(
      `content="default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'"`,
    );
    expect(html).not.toMatch(/<script|\ssrc=|url\(|@import|https?:\/\//);
  });

  it('weighs less than 100 KB with 100 refusals listed', () => {
    const manifest = sampleManifest('partial', 12_000);
    const columns = Array.from({ length: 30 }, (_, i) => ({
      header: `Columna ${i}`,
      role: `variable:Columna_${i}`,
    }));
    const bytes = Buffer.byteLength(es({ ...manifest, columns }));

    expect(manifest.rejections).toHaveLength(100);
    expect(bytes).toBeLessThan(100 * 1024);
  });

  it('shows the profile, the suppression and the reload window only when the manifest has them', () => {
    const base = sampleManifest('succeeded');
    const plain = es(base);
    const withProfile = es({
      ...base,
      counts: { ...base.counts, suppressed: 4, recentlyLoaded: 2 },
      profile: { name: 'ventas-norte', source: 'campaign', version: '3' },
      suppression: [
        { list: 'nacional', version: 'a1', numbers: 10, badLines: 0, hits: 3 },
        { list: 'propia', version: 'b2', numbers: 5, badLines: 1, hits: 1 },
      ],
      reloadWindow: { days: 30, numbersKnown: 1200 },
    });

    expect(plain).not.toMatch(/Perfil|no llamar|Ventana de recarga/);
    expect(withProfile).toContain('ventas-norte (origen campaign, versión 3)');
    expect(withProfile).toContain('list: nacional; version: a1; numbers: 10; badLines: 0; hits: 3');
    expect(withProfile).toContain('days: 30');
    expect(shownCounts(withProfile)).toMatchObject({ suppressed: 4, recentlyLoaded: 2 });
  });

  it('renders a manifest written before refusal tallies and line counts existed', () => {
    const { rejectionCodes: _codes, ...rest } = sampleManifest('succeeded');
    const { lines: _l, header: _h, blank: _b, joined: _j, ...counts } = rest.counts;
    const html = es({ ...rest, counts });

    expect(shownCounts(html)).toEqual(counts);
    expect(html).toContain('>Rechazadas</text>');
  });

  it('marks a checked file as not loaded and shows the chunks it would send', () => {
    const manifest = sampleManifest('succeeded');
    const html = renderReport(manifest, {
      language: 'en',
      checkOnly: true,
      rejectedHref: 'out/r.csv',
    });

    expect(html).toContain('class="banner s-checked"');
    expect(html).toContain('nothing was sent to uContact');
    expect(html).not.toContain('data-count="uploaded"');
    expect(html).toContain('<a href="out/r.csv">');
  });
});
