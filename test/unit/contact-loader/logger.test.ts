import { describe, expect, it } from 'vitest';
import { LoaderLogger, maskLogValue } from '../../../functions/contact-loader/logger.js';

describe('LoaderLogger', () => {
  it('masks phone numbers in messages, attributes and errors, and hides secrets by key', () => {
    const lines: string[] = [];
    const logger = new LoaderLogger({ write: (line) => lines.push(line) });
    logger.info('calling 098344484 now', {
      detail: 'file 099123456.csv',
      password: 'hunter2',
      nested: { token: 'abc', text: 'alt 24001234' },
      error: new Error('number 091234567 refused'),
    });
    const line = lines.join('\n');
    expect(line).toContain('calling 09*****84 now');
    expect(line).toContain('file 09*****56.csv');
    expect(line).toContain('alt 24****34');
    expect(line).toContain('number 09*****67 refused');
    expect(line).not.toMatch(/hunter2|"abc"/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'INFO', service: 'ucontact-loader' });
  });

  it('masks numbers however they are written, and keeps its own time stamp readable', () => {
    const lines: string[] = [];
    const logger = new LoaderLogger({ write: (line) => lines.push(line) });
    logger.warn('row refused', {
      detail: 'tel 0 9 9 1 2 3 4 5 6 7, alt 099/123/4567, fax 099_123_4575',
      value: 'رقم ٠٩٩١٢٣٤٥٦٧',
    });
    const line = JSON.parse(lines[0]!);
    expect(line.detail).toBe('tel 0 9 * * * * * * 6 7, alt 09*/***/**67, fax 09*_***_**75');
    expect(line.value).toBe('رقم ٠٩******٦٧');
    expect(line.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  });

  it('leaves identifiers that are digits by nature alone', () => {
    expect(maskLogValue('eTag', 'ac0ed22bc5c4689612345')).toBe('ac0ed22bc5c4689612345');
    expect(maskLogValue('durationMs', 1234567)).toBe(1234567);
  });

  it('writes keys, buckets, campaigns and request ids verbatim, so the logs can be searched by them', () => {
    const lines: string[] = [];
    const logger = new LoaderLogger({ write: (line) => lines.push(line) });
    const key = 'incoming/Ventas Norte/lista-20250314.csv';
    const manifestKey = `results/Ventas Norte/lista-20250314.csv/e-0123456789/manifest.json`;
    logger.info('file lista-20250314.csv read', {
      bucket: 'drop-123456789012',
      key,
      campaign: 'Ventas 2025 123456',
      manifestKey,
      requestId: '12345678-1234-1234-1234-123456789012',
      source: { key },
    });
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      bucket: 'drop-123456789012',
      key,
      campaign: 'Ventas 2025 123456',
      manifestKey,
      requestId: '12345678-1234-1234-1234-123456789012',
      source: { key },
    });
    expect(line.message).toBe('file lista-20****14.csv read');
  });
});
