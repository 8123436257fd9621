import { createHash } from 'node:crypto';

/** A base uploadbase accepted, as the simulator keeps it. */
export interface RecordedBase {
  readonly campaign: string;
  readonly filename: string;
  /** The `cant` field as sent (NaN when it is not a number). */
  readonly cant: number;
  /** Non-empty lines in the decoded file. */
  readonly records: number;
  /** sha256 (hex) of the decoded bytes. */
  readonly sha256: string;
  /** False when `cant` differs from the line count (uContact does not check; we note it). */
  readonly cantMatches: boolean;
  /** The decoded text (UTF-8); empty when the simulator runs without keeping texts. */
  readonly text: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes `fileb64` and describes the base. Returns undefined when it is not plain base64
 * (whitespace and URL-safe characters included), which uContact's decoder would refuse.
 */
export function decodeBase(
  fields: { campaign: string; filename: string; cant: string; fileb64: string },
  keepText: boolean,
): RecordedBase | undefined {
  if (!BASE64.test(fields.fileb64) || fields.fileb64.length % 4 === 1) return undefined;
  const bytes = Buffer.from(fields.fileb64, 'base64');
  const text = bytes.toString('utf8');
  const records = countLines(text);
  const cant = /^\d+$/.test(fields.cant.trim()) ? Number(fields.cant.trim()) : Number.NaN;
  return {
    campaign: fields.campaign,
    filename: fields.filename,
    cant,
    records,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    cantMatches: cant === records,
    text: keepText ? text : '',
  };
}

/** Lines holding anything but a carriage return; a final line without `\n` counts too. */
function countLines(text: string): number {
  let count = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const length = end - start - (text[end - 1] === '\r' ? 1 : 0);
    if (length > 0) count++;
    start = end + 1;
  }
  return count;
}
