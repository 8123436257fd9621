import { RequestTooLargeError } from './errors.js';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';

/** The uploadbase form fields other than the file itself. */
export interface UploadFormFields {
  readonly filename: string;
  readonly campaign: string;
  readonly cant: number;
  readonly username: string;
}

/** Encodes form fields in the order given, as application/x-www-form-urlencoded (UTF-8). */
export function encodeForm(fields: Readonly<Record<string, string>>): string {
  return new URLSearchParams(fields).toString();
}

/** The uploadbase body: `filename`, `fileb64` (the content's UTF-8 bytes, base64), `campaign`, `cant`, `username`. */
export function encodeUploadForm(fields: UploadFormFields, content: string): string {
  return encodeForm({
    filename: fields.filename,
    fileb64: Buffer.from(content, 'utf8').toString('base64'),
    campaign: fields.campaign,
    cant: String(fields.cant),
    username: fields.username,
  });
}

/** Bytes the encoded uploadbase body takes besides the encoded `fileb64` value. */
export function uploadFormOverheadBytes(fields: UploadFormFields): number {
  return Buffer.byteLength(encodeUploadForm(fields, ''));
}

/**
 * Checks that the fields besides the file fit in the bytes the chunker keeps free for them.
 * Throws RequestTooLargeError when they do not: the request could pass the server's form cap and
 * lose every field.
 */
export function assertUploadOverheadFits(fields: UploadFormFields, reserveBytes: number): void {
  const overhead = uploadFormOverheadBytes(fields);
  if (overhead > reserveBytes) {
    throw new RequestTooLargeError(
      `The upload's filename, campaign, cant and username take ${overhead} bytes encoded, more ` +
        `than the ${reserveBytes} bytes reserved for them; use a shorter file or campaign name`,
    );
  }
}
