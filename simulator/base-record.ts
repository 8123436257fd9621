import { createHash, type Hash } from 'node:crypto';

/** A base uploadbase accepted, as the simulator keeps it. */
export interface RecordedBase {
  readonly campaign: string;
  readonly filename: string;
  /** The `cant` field as sent (NaN when it is not a number). */
  readonly cant: number;
  /** Records in the decoded file, as uContact splits it (see DecodedBase64.records). */
  readonly records: number;
  /** True when the last record is empty: the file ends with a line break. */
  readonly emptyLastRecord: boolean;
  /** sha256 (hex) of the decoded bytes. */
  readonly sha256: string;
  /**
   * False when `cant` differs from the record count, an empty last record included (uContact
   * does not check; we note it).
   */
  readonly cantMatches: boolean;
  /** The decoded text (UTF-8); empty when the simulator runs without keeping texts. */
  readonly text: string;
}

/** What a `fileb64` value decodes to, read piece by piece as it arrives. */
export interface DecodedBase64 {
  /** False when the value is not plain base64 (whitespace and URL-safe characters included). */
  readonly valid: boolean;
  /**
   * Records in the decoded bytes: the pieces between `\n`s (a `\r` before a `\n` or at the end
   * is not content), empty ones included, so a final `\n` makes an empty last record; 0 when
   * there are no bytes.
   */
  readonly records: number;
  /** True when the last record has no content, as after a final line break. */
  readonly emptyLastRecord: boolean;
  readonly sha256: string;
  /** The decoded text, when asked to keep it; otherwise empty. */
  readonly text: string;
}

const NOT_BASE64 = /[^A-Za-z0-9+/=]/;
const NOT_PADDING = /[^=]/;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Decodes a base64 value given in pieces, without holding it: each piece is checked, decoded by
 * whole 4-character groups, hashed and its records counted, so a 2 MB base costs a few native calls
 * per network read and no copy of its text unless `keepText`. Accepts exactly what
 * `/^[A-Za-z0-9+/]*={0,2}$/` accepts with a length that is not 1 more than a multiple of 4, which
 * is what uContact's decoder takes; the result is the same whatever the pieces' boundaries.
 */
export class Base64Decoder {
  private valid = true;
  private length = 0;
  private padding = 0;
  private carry = '';
  private readonly hash: Hash = createHash('sha256');
  private readonly kept: Buffer[] = [];
  /** Decoded bytes so far, and the `\n`s among them. */
  private bytes = 0;
  private lineBreaks = 0;
  /** Bytes of the current record so far, and the last of them (a `\r` before `\n` is not content). */
  private lineBytes = 0;
  private lastByte = -1;

  constructor(private readonly keepText: boolean) {}

  /** Takes the next piece of the value, as form-decoded bytes. */
  write(piece: Uint8Array): void {
    if (!this.valid || piece.length === 0) return;
    const text = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString('latin1');
    this.length += text.length;
    if (!this.checkPiece(text)) {
      this.valid = false;
      return;
    }
    const pending = this.carry + text;
    const whole = pending.length - (pending.length % 4);
    this.carry = pending.slice(whole);
    if (whole > 0) this.take(Buffer.from(pending.slice(0, whole), 'base64'));
  }

  /** The value's verdict, hash and record count once every piece is written. */
  end(): DecodedBase64 {
    if (this.length % 4 === 1) this.valid = false;
    if (this.valid && this.carry.length > 0) this.take(Buffer.from(this.carry, 'base64'));
    const lastRecordBytes = this.lineBytes - (this.lastByte === CR ? 1 : 0);
    return {
      valid: this.valid,
      records: this.bytes === 0 ? 0 : this.lineBreaks + 1,
      emptyLastRecord: this.bytes > 0 && lastRecordBytes === 0,
      sha256: this.hash.digest('hex'),
      text: this.valid && this.keepText ? Buffer.concat(this.kept).toString('utf8') : '',
    };
  }

  /** Letters, digits, `+` and `/`, then at most two `=` that nothing else follows. */
  private checkPiece(text: string): boolean {
    if (NOT_BASE64.test(text)) return false;
    const firstPad = this.padding > 0 ? 0 : text.indexOf('=');
    if (firstPad === -1) return true;
    const pads = text.slice(firstPad);
    this.padding += pads.length;
    return this.padding <= 2 && !NOT_PADDING.test(pads);
  }

  private take(bytes: Buffer): void {
    this.hash.update(bytes);
    if (this.keepText) this.kept.push(bytes);
    this.bytes += bytes.length;
    // Only the last record's size matters: the ones before it count whatever they hold.
    let start = 0;
    for (let lf = bytes.indexOf(LF); lf !== -1; lf = bytes.indexOf(LF, start)) {
      this.lineBreaks++;
      start = lf + 1;
    }
    if (start > 0) {
      this.lineBytes = 0;
      this.lastByte = LF;
    }
    if (start < bytes.length) {
      this.lineBytes += bytes.length - start;
      this.lastByte = bytes[bytes.length - 1] as number;
    }
  }
}

/**
 * Describes an uploaded base from its fields and its decoded `fileb64`. Returns undefined when
 * `fileb64` is not plain base64, which uContact's decoder would refuse.
 */
export function recordBase(
  fields: { campaign: string; filename: string; cant: string },
  decoded: DecodedBase64,
): RecordedBase | undefined {
  if (!decoded.valid) return undefined;
  const cant = /^\d+$/.test(fields.cant.trim()) ? Number(fields.cant.trim()) : Number.NaN;
  return {
    campaign: fields.campaign,
    filename: fields.filename,
    cant,
    records: decoded.records,
    emptyLastRecord: decoded.emptyLastRecord,
    sha256: decoded.sha256,
    cantMatches: cant === decoded.records,
    text: decoded.text,
  };
}
