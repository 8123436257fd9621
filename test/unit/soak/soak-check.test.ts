import { describe, expect, it } from 'vitest';
import { checkContacts } from '../../../bench/soak/soak-check.js';
import type { SoakFile } from '../../../bench/soak/soak-files.js';
import type { DialerContent, ReadManifest } from '../../../bench/soak/soak-results.js';
import type { Manifest } from '../../../functions/pipeline/manifest.js';

const FILE: SoakFile = {
  key: 'incoming/Soak Norte/soak-001.csv',
  campaign: 'Soak Norte',
  path: '/dev/null',
  rows: 4,
  accepted: ['091000000', '091000001', '091000002', '091000003'],
  chunks: 2,
};

type Outcome = 'accepted' | 'failed' | 'unknown';

function manifest(outcomes: readonly Outcome[], final = true): ReadManifest {
  const uploads = outcomes.map((outcome, i) => ({ part: i + 1, records: 2, outcome, attempts: 1 }));
  const value = {
    source: { key: FILE.key },
    status: 'succeeded',
    counts: { accepted: FILE.accepted.length },
    uploads,
  } as unknown as Manifest;
  return { key: 'results/x/manifest.json', manifest: value, claimStatus: 'x', final };
}

function dialer(...bases: string[][]): DialerContent {
  return {
    bases: bases.map((numbers) => ({
      campaign: 'Soak Norte',
      filename: 'soak-001.csv',
      records: numbers.length,
      text: numbers.map((n) => `Soak Norte;${n};;;9999`).join('\n'),
    })),
    openSessions: 0,
    calls: { login: 0, uploadbase: 0, endsession: 0 },
  };
}

const [a, b, c, d] = FILE.accepted as [string, string, string, string];

describe('the soak check', () => {
  it('counts every contact loaded once when each chunk was accepted and loaded once', () => {
    const verdict = checkContacts([FILE], dialer([a, b], [c, d]), [
      manifest(['accepted', 'accepted']),
    ]);
    expect(verdict).toMatchObject({ accepted: 4, loadedOnce: 4, loadedTwice: 0, lost: 0 });
  });

  it('finds a chunk loaded twice', () => {
    const verdict = checkContacts([FILE], dialer([a, b], [c, d], [c, d]), [
      manifest(['accepted', 'accepted']),
    ]);
    expect(verdict).toMatchObject({ loadedOnce: 2, loadedTwice: 2, lost: 0 });
    expect(verdict.examples[0]).toContain('part 2');
    expect(verdict.examples.join(' ')).not.toContain(c);
  });

  it('counts an accepted chunk missing from the dialer as lost, an unknown one as reported', () => {
    const lost = checkContacts([FILE], dialer([a, b]), [manifest(['accepted', 'accepted'])]);
    expect(lost).toMatchObject({ loadedOnce: 2, lost: 2, reportedNotLoaded: 0 });
    const unknown = checkContacts([FILE], dialer([a, b]), [manifest(['accepted', 'unknown'])]);
    expect(unknown).toMatchObject({ lost: 0, reportedNotLoaded: 2 });
    expect(unknown.chunks).toMatchObject({ unknown: 1, unknownNotLoaded: 1, unknownLoaded: 0 });
  });

  it('flags a chunk reported failed whose contacts were loaded', () => {
    const verdict = checkContacts([FILE], dialer([a, b], [c, d]), [
      manifest(['accepted', 'failed']),
    ]);
    expect(verdict.chunks).toMatchObject({ failed: 1, failedButLoaded: 1 });
  });

  it('counts the contacts of a file without a final manifest as lost unless loaded', () => {
    const verdict = checkContacts([FILE], dialer([a, b]), [
      manifest(['accepted', 'accepted'], false),
    ]);
    expect(verdict).toMatchObject({ loadedOnce: 2, lost: 2 });
  });

  it('notes numbers in the dialer that no file holds, and chunks that do not add up', () => {
    const short = manifest(['accepted']);
    const verdict = checkContacts([FILE], dialer([a, b, '099999999']), [short]);
    expect(verdict.strangers).toBe(1);
    expect(verdict.mismatches.join('\n')).toContain('its chunks hold 2 contacts, the file 4');
  });
});
