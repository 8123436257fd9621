import { describe, expect, it } from 'vitest';
import { InputFormat, TextEncoding } from '../../../functions/contacts/contact.js';
import { RejectionCode } from '../../../functions/contacts/reason-codes.js';
import { csvField, rejectedCsvRow } from '../../../functions/contacts/rejected-rows-csv.js';
import {
  ManifestBuilder,
  ManifestStatus,
  statusFromUploads,
  UploadOutcome,
} from '../../../functions/pipeline/manifest.js';
import type { ChunkOutcome } from '../../../functions/ucontact/results.js';

const source = {
  bucket: 'drop',
  key: 'incoming/Ventas/a.csv',
  size: 2602,
  eTag: '"ac0ed22bc5c46896e07dff323c5cd9e5"',
};
const upload = (part: number, outcome: ChunkOutcome['outcome'], records = 10): ChunkOutcome => ({
  part,
  filename: `a-${part}.txt`,
  records,
  bytes: 100,
  outcome,
  attempts: 1,
  durationMs: 5,
});

const counts = { rows: 12, accepted: 10, rejected: 2, duplicates: 1, modified: 3 };

describe('ManifestBuilder', () => {
  it('writes every required field, with the ETag bare', () => {
    const manifest = new ManifestBuilder({
      source,
      campaign: 'Ventas<-',
      startedAt: new Date('2025-03-14T13:00:00Z'),
    })
      .setInput({ format: InputFormat.Native, encoding: TextEncoding.Utf8, delimiter: ';' })
      .setCounts({ ...counts, lines: 16, header: 1, blank: 2, joined: 1 })
      .setRejectionCodes({ DUPLICATE: 1, INVALID_PHONE: 2 })
      .addUpload(upload(1, UploadOutcome.Accepted))
      .build({ finishedAt: new Date('2025-03-14T13:00:05Z') });
    expect(manifest).toEqual({
      schemaVersion: 1,
      status: 'succeeded',
      source: {
        bucket: 'drop',
        key: 'incoming/Ventas/a.csv',
        size: 2602,
        etag: 'ac0ed22bc5c46896e07dff323c5cd9e5',
        versionId: null,
      },
      campaign: 'Ventas<-',
      input: { format: 'native', encoding: 'utf-8', delimiter: ';' },
      columns: null,
      counts: {
        ...counts,
        lines: 16,
        header: 1,
        blank: 2,
        joined: 1,
        uploaded: 10,
        recentlyLoaded: 0,
      },
      rejections: [],
      rejectionCodes: { DUPLICATE: 1, INVALID_PHONE: 2 },
      rejectedFile: null,
      rejectedFileTruncated: null,
      uploads: [upload(1, UploadOutcome.Accepted)],
      startedAt: '2025-03-14T13:00:00.000Z',
      finishedAt: '2025-03-14T13:00:05.000Z',
      error: null,
      session: null,
      reloadWindow: null,
      profile: null,
    });
  });

  it('is never succeeded when the run stopped on an error before uploading anything', () => {
    const manifest = new ManifestBuilder({ source, campaign: 'Ventas' }).build({
      error: { code: 'STORAGE', message: 'GetObject answered 500; the file will be retried' },
    });
    expect(manifest).toMatchObject({ status: 'failed', counts: { uploaded: 0 } });
  });

  it('is partial when the run stopped on an error after earlier parts were accepted', () => {
    const manifest = new ManifestBuilder({ source, campaign: 'Ventas' })
      .addUpload(upload(1, UploadOutcome.Accepted))
      .build({ error: { code: 'STORAGE', message: 'cannot read the file' } });
    expect(manifest.status).toBe('partial');
  });

  it('says when EndSession failed, so a session left open on the dialer shows', () => {
    const manifest = new ManifestBuilder({ source, campaign: 'Ventas' })
      .addUpload(upload(1, UploadOutcome.Accepted))
      .setSession({
        ok: false,
        attempts: 4,
        durationMs: 30,
        error: { code: 'HTTP_STATUS', message: 'EndSession answered HTTP 500' },
      })
      .build({});
    expect(manifest).toMatchObject({
      status: 'succeeded',
      error: null,
      session: {
        endSession: 'failed',
        error: { code: 'HTTP_STATUS', message: 'EndSession answered HTTP 500' },
      },
    });
  });

  it('masks phone numbers in rejection and error messages', () => {
    const manifest = new ManifestBuilder({ source, campaign: 'Ventas' })
      .addRejection({
        line: 4,
        code: RejectionCode.Duplicate,
        message: 'number 098344484 already on line 2',
        original: 'Ventas;098344484;;;9999;',
      })
      .build({
        status: ManifestStatus.Failed,
        error: { code: 'AUTH_FAILED', message: 'login refused for 098344484' },
      });
    expect(manifest.rejections).toEqual([
      { line: 4, code: 'DUPLICATE', message: 'number 09*****84 already on line 2' },
    ]);
    expect(JSON.stringify(manifest)).not.toContain('098344484');
    expect(manifest.error).toEqual({ code: 'AUTH_FAILED', message: 'login refused for 09*****84' });
  });

  it('says how each column was read, with numbers in a header masked', () => {
    const manifest = new ManifestBuilder({ source, campaign: 'Ventas' })
      .setColumns([
        { header: 'Contact Phone Number', role: 'phone' },
        { header: '099 123 4567', role: 'alternate' },
        { header: '099123456', role: 'variable:099123456' },
        { header: 'Nombre', role: 'variable:Nombre' },
        { header: '', role: 'ignore' },
      ])
      .build({});
    expect(manifest.columns).toEqual([
      { header: 'Contact Phone Number', role: 'phone' },
      { header: '09* *** **67', role: 'alternate' },
      { header: '09*****56', role: 'variable:09*****56' },
      { header: 'Nombre', role: 'variable:Nombre' },
      { header: '', role: 'ignore' },
    ]);
  });

  it('lists only the first rejections', () => {
    const builder = new ManifestBuilder({ source, campaign: 'Ventas', maxRejections: 2 });
    for (let line = 1; line <= 5; line++) {
      builder.addRejection({
        line,
        code: RejectionCode.MissingPhone,
        message: 'no phone',
        original: '',
      });
    }
    expect(builder.build({}).rejections.map((r) => r.line)).toEqual([1, 2]);
  });

  it('counts as uploaded only the records of accepted chunks', () => {
    const manifest = new ManifestBuilder({ source, campaign: 'Ventas' })
      .addUpload(upload(2, UploadOutcome.Unknown, 7))
      .addUpload(upload(1, UploadOutcome.Accepted, 10))
      .build({});
    expect(manifest.counts.uploaded).toBe(10);
    expect(manifest.uploads.map((u) => u.part)).toEqual([1, 2]);
    expect(manifest.status).toBe('partial');
  });
});

describe('statusFromUploads', () => {
  it('is succeeded when every chunk was accepted, or there was none', () => {
    expect(statusFromUploads([upload(1, 'accepted'), upload(2, 'accepted')])).toBe('succeeded');
    expect(statusFromUploads([])).toBe('succeeded');
  });

  it('is partial when a chunk failed after another was accepted', () => {
    expect(statusFromUploads([upload(1, 'accepted'), upload(2, 'failed')])).toBe('partial');
  });

  it('is partial, not failed, when the only chunk may have arrived', () => {
    expect(statusFromUploads([upload(1, 'unknown')])).toBe('partial');
  });

  it('is failed when nothing was accepted and nothing may have arrived', () => {
    expect(statusFromUploads([upload(1, 'failed')])).toBe('failed');
  });

  it('is not succeeded when the run stopped on an error', () => {
    expect(statusFromUploads([], true)).toBe('failed');
    expect(statusFromUploads([upload(1, 'accepted')], true)).toBe('partial');
  });
});

describe('rejectedCsvRow', () => {
  it('quotes fields with commas, quotes and line breaks as RFC 4180 says', () => {
    expect(
      rejectedCsvRow({
        line: 7,
        code: RejectionCode.MalformedRow,
        message: 'a "quoted", value',
        original: 'x;y\nz',
      }),
    ).toBe('7,MALFORMED_ROW,"a ""quoted"", value","x;y\nz"\r\n');
    expect(csvField('plain text')).toBe('plain text');
  });

  it('quotes a cell holding ; or a tab, so a spreadsheet splitting on them keeps it whole', () => {
    expect(csvField('plain;text')).toBe('"plain;text"');
    expect(csvField('a\tb')).toBe('"a\tb"');
  });
});
