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

const PLUS = 0x2b;
const EQUALS = 0x3d;
const ESCAPED_EQUALS = '%3D';
const PERCENT = 0x25;
const DIGIT_TWO = 0x32;
const LETTER_B = 0x42;
const LETTER_F = 0x46;

/** Positions of `+` and `/` in a base64 text: the characters a form escapes besides `=`. */
function escapedPositions(base64: string): number[] {
  const found: number[] = [];
  let plus = base64.indexOf('+');
  let slash = base64.indexOf('/');
  while (plus !== -1 || slash !== -1) {
    if (slash === -1 || (plus !== -1 && plus < slash)) {
      found.push(plus);
      plus = base64.indexOf('+', plus + 1);
    } else {
      found.push(slash);
      slash = base64.indexOf('/', slash + 1);
    }
  }
  return found;
}

/**
 * Bytes base64-encoded at a time: a multiple of 3, so the pieces' base64 texts join into the
 * whole's. One 1.7 MB base64 string per upload was an external string that, with the body's
 * buffer, set off a full garbage collection at nearly every upload (bench/RESULTS.md); 64 KiB
 * pieces are ordinary strings that die young.
 */
const PIECE_BYTES = 3 * 16 * 1024;

/**
 * The uploadbase body's bytes: `filename`, `fileb64` (the content's UTF-8 bytes, base64),
 * `campaign`, `cant`, `username`, byte for byte what URLSearchParams makes of them (the chunker
 * sizes requests on that encoding). `content` is the base's text, or its UTF-8 bytes as read from
 * a spool, which spares decoding and encoding them again. Only `+`, `/` and `=` of the base64 need
 * escaping (letters and digits pass as they are): native searches find them and the runs between
 * are copied, where URLSearchParams would walk the 2 MB value one character at a time.
 */
export function encodeUploadForm(fields: UploadFormFields, content: string | Uint8Array): Buffer {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const view = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = `${encodeForm({ filename: fields.filename })}&fileb64=`;
  const tail = `&${encodeForm({ campaign: fields.campaign, cant: String(fields.cant), username: fields.username })}`;
  const pieces: { base64: string; end: number; escaped: number[] }[] = [];
  let length = head.length + tail.length;
  for (let at = 0; at < view.length; at += PIECE_BYTES) {
    const base64 = view.toString('base64', at, Math.min(at + PIECE_BYTES, view.length));
    let end = base64.length;
    // Only the last piece can end in padding.
    while (end > 0 && base64.charCodeAt(end - 1) === EQUALS) end--;
    const escaped = escapedPositions(base64);
    pieces.push({ base64, end, escaped });
    length += end + 2 * escaped.length + ESCAPED_EQUALS.length * (base64.length - end);
  }
  // URLSearchParams' output is ASCII, so Latin-1 writes it byte for byte.
  const out = Buffer.allocUnsafe(length);
  let o = out.write(head, 0, 'latin1');
  for (const { base64, end, escaped } of pieces) {
    let start = 0;
    for (const at of escaped) {
      o += out.write(base64.slice(start, at), o, 'latin1');
      out[o++] = PERCENT;
      out[o++] = DIGIT_TWO;
      out[o++] = base64.charCodeAt(at) === PLUS ? LETTER_B : LETTER_F;
      start = at + 1;
    }
    o += out.write(base64.slice(start, end), o, 'latin1');
    for (let i = end; i < base64.length; i++) o += out.write(ESCAPED_EQUALS, o, 'latin1');
  }
  out.write(tail, o, 'latin1');
  return out;
}

/** Bytes the encoded uploadbase body takes besides the encoded `fileb64` value. */
export function uploadFormOverheadBytes(fields: UploadFormFields): number {
  return encodeUploadForm(fields, '').length;
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
