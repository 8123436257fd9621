import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../cli/duration.js';
import { manifestLines, shown } from '../../../cli/manifest-report.js';
import type { Manifest } from '../../../functions/pipeline/manifest.js';

describe('shown', () => {
  it('prints a key holding terminal escapes and text-direction controls as plain text', () => {
    expect(shown('incoming/Ventas/\x1b[2Jlista\u202e.csv\r\n')).toBe(
      'incoming/Ventas/?[2Jlista?.csv??',
    );
  });

  it('leaves accents, spaces and symbols as they are', () => {
    expect(shown('incoming/Ventas Norte/lista ñandú +1.csv')).toBe(
      'incoming/Ventas Norte/lista ñandú +1.csv',
    );
  });
});

describe('manifestLines', () => {
  it("never lets a dropped key's control characters reach the terminal", () => {
    const manifest = {
      status: 'rejected',
      source: { key: 'incoming/V/\x1b]0;owned\x07.csv' },
      counts: { rows: 0, accepted: 0, rejected: 0, duplicates: 0, modified: 0, uploaded: 0 },
      uploads: [],
      error: { code: 'NO_VALID_CONTACTS', message: 'none' },
      rejectedFile: null,
      rejectedFileTruncated: null,
    } as unknown as Manifest;
    const text = manifestLines('drop', 'results/x/manifest.json', manifest).join('\n');
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(text).toContain('incoming/V/?]0;owned?.csv: rejected');
  });

  it('shows each warning of the run on a line of its own', () => {
    const manifest = {
      status: 'succeeded',
      source: { key: 'incoming/Ventas/lista.csv' },
      counts: { rows: 1, accepted: 1, rejected: 0, duplicates: 0, modified: 0, uploaded: 1 },
      uploads: [],
      error: null,
      warnings: [{ code: 'SUPPRESSION_LIST_NOT_FOUND', message: 'The list "bajs" has none' }],
      rejectedFile: null,
      rejectedFileTruncated: null,
    } as unknown as Manifest;
    expect(manifestLines('drop', 'results/x/manifest.json', manifest)).toContain(
      '  warning: SUPPRESSION_LIST_NOT_FOUND: The list "bajs" has none',
    );
  });
});

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days and weeks', () => {
    expect(['90s', '15m', '36h', '7d', '2w', '30'].map(parseDuration)).toEqual([
      90_000, 900_000, 129_600_000, 604_800_000, 1_209_600_000, 30_000,
    ]);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', '0d', '7 days', '-1h', '1.5h', 'd']) {
      expect(() => parseDuration(text)).toThrow(/expected a duration such as 90s/);
    }
  });
});
