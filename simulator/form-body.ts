import type { IncomingMessage } from 'node:http';

export interface FormBody {
  readonly fields: URLSearchParams;
  readonly bytes: number;
  /** The body was larger than the cap, so its fields were dropped. */
  readonly overCap: boolean;
  /** The content type was not form-encoded, so no fields were read. */
  readonly notForm: boolean;
}

/**
 * Reads a request body and parses it as a form, the way a servlet container does: a body over
 * `maxBytes` or of another content type yields no fields at all (Tomcat's maxPostSize), silently.
 * Chunks are collected and joined once, so large bodies cost linear time.
 */
export async function readFormBody(request: IncomingMessage, maxBytes: number): Promise<FormBody> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= maxBytes) chunks.push(chunk);
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const notForm = type !== 'application/x-www-form-urlencoded';
  const overCap = bytes > maxBytes;
  const fields =
    notForm || overCap
      ? new URLSearchParams()
      : new URLSearchParams(Buffer.concat(chunks, bytes).toString('utf8'));
  return { fields, bytes, overCap, notForm };
}
