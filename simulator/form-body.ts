import type { IncomingMessage } from 'node:http';

/** Receives one field's value in pieces, already form-decoded (`+` as space, `%XX` as its byte). */
export interface FieldSink {
  write(piece: Uint8Array): void;
}

export interface FormBody {
  /** Every field not streamed, first occurrence of each name, decoded as URLSearchParams does. */
  readonly fields: ReadonlyMap<string, string>;
  /** Names of the streamed fields the body held (their values went to their sinks). */
  readonly streamed: ReadonlySet<string>;
  readonly bytes: number;
  /** The body was larger than the cap, so its fields were dropped. */
  readonly overCap: boolean;
  /** The content type was not form-encoded, so no fields were read. */
  readonly notForm: boolean;
}

export interface ReadFormOptions {
  /** Form bodies larger than this yield no fields at all (Tomcat's maxPostSize). */
  readonly maxBytes: number;
  /**
   * Fields whose value goes to a sink as it arrives instead of being kept: the sink for a name is
   * asked for when the field starts (first occurrence only).
   */
  readonly stream?: Readonly<Record<string, () => FieldSink>>;
}

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;
const SPACE = 0x20;

/**
 * Reads a request body and parses it as a form, the way a servlet container does: a body over
 * `maxBytes` or of another content type yields no fields at all (Tomcat's maxPostSize), silently.
 * The body is parsed as it arrives, in linear time: small fields are kept, streamed fields go to
 * their sinks, and nothing is kept once the body passes the cap (the sinks' work is then to be
 * ignored). Rejects when the request breaks.
 */
export async function readFormBody(
  request: IncomingMessage,
  options: ReadFormOptions,
): Promise<FormBody> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const notForm = type !== 'application/x-www-form-urlencoded';
  const parser = new FormParser(options.stream ?? {});
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (!notForm && bytes <= options.maxBytes) parser.write(chunk);
  }
  const overCap = bytes > options.maxBytes;
  if (notForm || overCap)
    return { fields: new Map(), streamed: new Set(), bytes, overCap, notForm };
  parser.end();
  return { fields: parser.fields, streamed: parser.streamed, bytes, overCap, notForm };
}

/** An `application/x-www-form-urlencoded` parser fed in pieces. */
export class FormParser {
  readonly fields = new Map<string, string>();
  readonly streamed = new Set<string>();
  private inValue = false;
  private name: Buffer[] = [];
  private value: Buffer[] = [];
  private sink: FieldSink | undefined;
  /** A `%` and the hex digit after it, when a piece ended inside an escape. */
  private escape: Buffer = Buffer.alloc(0);

  constructor(private readonly sinks: Readonly<Record<string, () => FieldSink>>) {}

  write(piece: Buffer): void {
    let start = 0;
    while (start < piece.length) {
      const amp = piece.indexOf(AMPERSAND, start);
      const end = amp === -1 ? piece.length : amp;
      if (!this.inValue) {
        const eq = piece.indexOf(EQUALS, start);
        if (eq !== -1 && eq < end) {
          this.name.push(piece.subarray(start, eq));
          this.startValue();
          start = eq + 1;
        }
      }
      const part = piece.subarray(start, end);
      if (this.inValue) this.addValue(part);
      else this.name.push(part);
      if (amp === -1) return;
      this.endField();
      start = amp + 1;
    }
  }

  end(): void {
    this.endField();
  }

  private startValue(): void {
    this.inValue = true;
    const name = decodeText(this.name);
    const open = this.fields.has(name) || this.streamed.has(name) ? undefined : this.sinks[name];
    if (open) {
      this.streamed.add(name);
      this.sink = open();
    }
  }

  private addValue(part: Buffer): void {
    if (!this.sink) {
      this.value.push(part);
      return;
    }
    // An escape cut by the network is completed by the next piece before it is decoded.
    let bytes = this.escape.length > 0 ? Buffer.concat([this.escape, part]) : part;
    const percent = bytes.lastIndexOf(PERCENT, bytes.length - 1);
    const cut = percent !== -1 && percent >= bytes.length - 2 ? percent : bytes.length;
    this.escape = Buffer.from(bytes.subarray(cut));
    bytes = bytes.subarray(0, cut);
    if (bytes.length > 0) this.sink.write(formDecode(bytes));
  }

  private endField(): void {
    if (this.sink) {
      // A `%` left at the very end is not an escape: it stands for itself.
      if (this.escape.length > 0) this.sink.write(formDecode(this.escape));
    } else if (this.inValue || this.name.some((p) => p.length > 0)) {
      const name = decodeText(this.name);
      if (!this.fields.has(name) && !this.streamed.has(name))
        this.fields.set(name, decodeText(this.value));
    }
    this.inValue = false;
    this.name = [];
    this.value = [];
    this.sink = undefined;
    this.escape = Buffer.alloc(0);
  }
}

function decodeText(pieces: readonly Buffer[]): string {
  return formDecode(pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces)).toString(
    'utf8',
  );
}

const hexValue = (byte: number | undefined): number => {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
};

/**
 * Form-decodes bytes as URLSearchParams does (WHATWG urlencoded parsing): `+` is a space, `%`
 * and two hex digits is that byte, any other `%` stays. Bytes without either are returned as
 * they are; otherwise native searches jump between them and the runs between are copied.
 */
export function formDecode(bytes: Buffer): Buffer {
  let percent = bytes.indexOf(PERCENT);
  let plus = bytes.indexOf(PLUS);
  if (percent === -1 && plus === -1) return bytes;
  const out = Buffer.allocUnsafe(bytes.length);
  let o = 0;
  let start = 0;
  while (percent !== -1 || plus !== -1) {
    const isPlus = percent === -1 || (plus !== -1 && plus < percent);
    const at = isPlus ? plus : percent;
    o += bytes.copy(out, o, start, at);
    if (isPlus) {
      out[o++] = SPACE;
      start = at + 1;
      plus = bytes.indexOf(PLUS, start);
      continue;
    }
    const high = hexValue(bytes[at + 1]);
    const low = hexValue(bytes[at + 2]);
    if (high === -1 || low === -1) {
      out[o++] = PERCENT;
      start = at + 1;
    } else {
      out[o++] = high * 16 + low;
      start = at + 3;
    }
    percent = bytes.indexOf(PERCENT, start);
    if (plus !== -1 && plus < start) plus = bytes.indexOf(PLUS, start);
  }
  o += bytes.copy(out, o, start);
  return out.subarray(0, o);
}
