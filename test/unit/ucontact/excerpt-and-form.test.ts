import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formEncodedBase64Length } from '../../../functions/contacts/chunk.js';
import { RequestTooLargeError } from '../../../functions/ucontact/errors.js';
import { sanitizeExcerpt } from '../../../functions/ucontact/excerpt.js';
import {
  assertUploadOverheadFits,
  encodeUploadForm,
  uploadFormOverheadBytes,
} from '../../../functions/ucontact/form.js';

describe('sanitizeExcerpt', () => {
  it('keeps a short answer as it is', () => {
    expect(sanitizeExcerpt(' 1\n')).toBe('1');
  });

  it('masks phone-like digit runs and removes the given secrets', () => {
    const text = sanitizeExcerpt('error for 099124484 with token abc:def', ['abc:def']);
    expect(text).toBe('error for ######### with token [redacted]');
  });

  it('masks long base64-like runs that may be tokens', () => {
    expect(sanitizeExcerpt('Basic QWRtaW46NjBhM2FIM2EtZTcyNi00ZTBk')).toBe('Basic [redacted]');
  });

  it('collapses an HTML page to one short line', () => {
    const page = `<html>\n<body>\n${'<p>maintenance</p>\n'.repeat(50)}</body></html>`;
    const text = sanitizeExcerpt(page);
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThanOrEqual(120);
  });
});

describe('encodeUploadForm', () => {
  it("sends the content's UTF-8 bytes in base64, form-encoded, fields in the vendor's order", () => {
    const body = encodeUploadForm(
      { filename: 'Base ñ.csv', campaign: 'TestDialer<-', cant: 1, username: 'ApiUser' },
      'TestDialer<-;099124484;nombre=José;;9999;\n',
    );
    const fields = new URLSearchParams(body.toString('utf8'));
    expect([...fields.keys()]).toEqual(['filename', 'fileb64', 'campaign', 'cant', 'username']);
    expect(Buffer.from(fields.get('fileb64')!, 'base64').toString('utf8')).toBe(
      'TestDialer<-;099124484;nombre=José;;9999;\n',
    );
    expect(fields.get('campaign')).toBe('TestDialer<-');
    expect(fields.get('filename')).toBe('Base ñ.csv');
  });
});

describe('encodeUploadForm, byte for byte', () => {
  const fields = {
    filename: 'Lista Ñ+1.csv',
    campaign: 'Ventas&Co<-',
    cant: 7,
    username: 'Api User',
  };
  const bySearchParams = (bytes: Uint8Array) =>
    new URLSearchParams({
      filename: fields.filename,
      fileb64: Buffer.from(bytes).toString('base64'),
      campaign: fields.campaign,
      cant: String(fields.cant),
      username: fields.username,
    }).toString();

  it('makes the body URLSearchParams makes, for any bytes, and the length the chunker counts', () => {
    const overhead = uploadFormOverheadBytes(fields);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const body = encodeUploadForm(fields, bytes);
        expect(body.toString('latin1')).toBe(bySearchParams(bytes));
        expect(body.length).toBe(overhead + formEncodedBase64Length(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('encodes a base of several 48 KiB pieces as one, for any bytes and any cut', () => {
    const overhead = uploadFormOverheadBytes(fields);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48 * 1024 - 2, maxLength: 160_000 }), (bytes) => {
        const body = encodeUploadForm(fields, bytes);
        expect(body.toString('latin1')).toBe(bySearchParams(bytes));
        expect(body.length).toBe(overhead + formEncodedBase64Length(bytes));
      }),
      { numRuns: 25 },
    );
  });

  it('sends a text and its UTF-8 bytes alike, whatever their length', () => {
    for (const text of ['', 'a', 'ab', 'abc', '>?~\n', 'José;¿?;ÿþ\n'.repeat(50_000)]) {
      const bytes = Buffer.from(text, 'utf8');
      const body = encodeUploadForm(fields, bytes);
      expect(body.equals(encodeUploadForm(fields, text))).toBe(true);
      expect(body.toString('latin1')).toBe(bySearchParams(bytes));
    }
  });

  it('encodes bytes that are a view into a larger buffer as those bytes only', () => {
    const whole = Buffer.from('xxxxTestDialer;099124484;;;9999;\nyyyy');
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 4, whole.length - 8);
    expect(encodeUploadForm(fields, view).toString('latin1')).toBe(bySearchParams(view));
  });
});

describe('assertUploadOverheadFits', () => {
  const fields = {
    filename: 'contacts.part-001-of-003.csv',
    campaign: 'Ventas<-',
    cant: 100_000,
    username: 'ApiUser',
  };

  it('accepts fields that fit in the reserve', () => {
    expect(() => assertUploadOverheadFits(fields, 8 * 1024)).not.toThrow();
  });

  it('refuses fields that do not fit and says what to shorten', () => {
    const long = { ...fields, filename: `${'ñ'.repeat(2_000)}.csv` };
    expect(uploadFormOverheadBytes(long)).toBeGreaterThan(8 * 1024);
    expect(() => assertUploadOverheadFits(long, 8 * 1024)).toThrow(RequestTooLargeError);
    expect(() => assertUploadOverheadFits(long, 8 * 1024)).toThrow(/shorter file or campaign name/);
  });
});
