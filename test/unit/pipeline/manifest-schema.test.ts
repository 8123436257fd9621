import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManifestBuilder } from '../../../functions/pipeline/manifest.js';
import { manifestProblems } from '../../manifest-schema.js';
import { sampleManifest } from '../report/sample-manifests.js';

const STATUSES = ['succeeded', 'partial', 'failed', 'rejected', 'skipped'] as const;

/** The manifest the README shows. */
function readmeExample(): unknown {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('```json\n{\n  "schemaVersion"');
  return JSON.parse(readme.slice(start + 8, readme.indexOf('```', start + 8)));
}

describe('schemas/manifest.schema.json', () => {
  it.each(STATUSES)('takes a %s manifest', (status) => {
    expect(manifestProblems(sampleManifest(status))).toEqual([]);
  });

  it('takes the manifest the README shows, and one the builder makes before reading a file', () => {
    const early = new ManifestBuilder({
      source: { bucket: 'drop', key: 'incoming/x/y.csv' },
      campaign: null,
    }).build({ status: 'rejected', error: { code: 'EMPTY_CAMPAIGN', message: 'no name' } });
    expect(manifestProblems(readmeExample())).toEqual([]);
    expect(manifestProblems(early)).toEqual([]);
  });

  it('takes the fields added later: profile, suppression, reload window, their counts, warnings', () => {
    const base = sampleManifest('succeeded');
    const later = {
      ...base,
      counts: { ...base.counts, suppressed: 3, recentlyLoaded: 1 },
      profile: { name: 'ventas-norte', source: 'campaign', version: '7' },
      suppression: [{ list: 'nacional', version: 'abc', numbers: 10, badLines: 0, hits: 3 }],
      reloadWindow: { days: 30, numbersKnown: 1200 },
      warnings: [{ code: 'SUPPRESSION_LIST_NOT_FOUND', message: 'no object' }],
    };
    expect(manifestProblems(later)).toEqual([]);
  });

  it('refuses what a reader could not rely on', () => {
    const base = sampleManifest('partial');
    const { accepted: _, ...counts } = base.counts;
    expect(manifestProblems({ ...base, status: 'done' })).toEqual([
      '/status must be equal to one of the allowed values',
    ]);
    expect(manifestProblems({ ...base, counts })).toEqual([
      "/counts must have required property 'accepted'",
    ]);
    expect(manifestProblems({ ...sampleManifest('succeeded'), error: base.error })).toContain(
      '/error must be null',
    );
    expect(manifestProblems({ ...base, startedAt: 'yesterday' })).toEqual([
      '/startedAt must match format "date-time"',
    ]);
  });

  it('names a written field the schema does not describe', () => {
    expect(manifestProblems({ ...sampleManifest('skipped'), retries: 2 })).toEqual([
      'manifest.retries is not in the schema',
    ]);
  });
});
