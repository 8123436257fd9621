import type { Contact, Counts, InputDescription, RawContact, Rejection } from './contact.js';
import { InputFormat } from './contact.js';
import { decodeText, REPLACEMENT_CHARACTER } from './decode.js';
import { detectFormat, type FormatDetection } from './detect-format.js';
import { InvalidOptionsError, UnusableFileError } from './errors.js';
import { formatLine } from './format-line.js';
import { maskPhone } from './mask-phone.js';
import type { EngineOptions } from './options.js';
import { HeaderedParser, type HeaderedRecord, originalText } from './parse-headered.js';
import { parseNativeLine } from './parse-native.js';
import { PhoneSet } from './phone-set.js';
import { type ChangeKind, FileRejectionCode, RejectionCode } from './reason-codes.js';
import { LineSplitter } from './split-lines.js';
import { validateContact } from './validate-contact.js';

/** Where the engine's results go. A returned promise is awaited before the next row is read. */
export interface ContactSink {
  /** `line` is the native base line, without a trailing newline. */
  accept(line: string, contact: Contact): void | Promise<void>;
  reject(rejection: Rejection): void | Promise<void>;
}

export interface EngineSummary {
  input: InputDescription;
  counts: Counts;
  /** How many accepted contacts had each kind of change. */
  changes: Partial<Record<ChangeKind, number>>;
  rejectionCodes: Partial<Record<RejectionCode, number>>;
}

/** Text read before deciding the format, unless the file is shorter. */
const HEAD_CHARS = 64 * 1024;
/** Blank text is not kept beyond this while looking for the first record. */
const MAX_HEAD_CHARS = 4 * 1024 * 1024;

const BAD_BYTES = "The line holds bytes that are not valid in the file's encoding.";

/**
 * Reads a contact file and streams every record to `sink`: accepted contacts as native base lines
 * (deduplicated on the main number, the first one kept), refused rows with a reason code. Memory
 * does not grow with the file except for the set of numbers seen. Throws UnusableFileError when
 * the file as a whole cannot be read, InvalidOptionsError for unusable options, and whatever the
 * source or the sink throws.
 */
export async function processContacts(
  source: AsyncIterable<Uint8Array>,
  options: EngineOptions,
  sink: ContactSink,
  onProgress?: (bytesRead: number) => void,
): Promise<EngineSummary> {
  checkOptions(options);
  const decoded = await decodeText(source, {
    sourceName: options.sourceName,
    maxFileBytes: options.maxFileBytes,
    onProgress,
  });
  const { head, detection } = await readHead(decoded.chunks, options);
  const input: InputDescription = {
    format: detection.format,
    encoding: decoded.encoding,
    delimiter: detection.delimiter,
    compression: decoded.compression,
  };
  const run = new Run(options, sink);
  const firstText = head.slice(detection.sepLineLength);
  const firstLine = detection.sepLineLength > 0 ? 2 : 1;
  if (detection.format === InputFormat.Native) {
    await run.readNative(firstText, decoded.chunks, firstLine);
  } else {
    await run.readHeadered(firstText, decoded.chunks, detection.delimiter, firstLine);
  }
  return run.summary(input);
}

function originalOf(original: string | readonly string[], delimiter: string): string {
  return typeof original === 'string' ? original : originalText(original, delimiter);
}

function checkOptions(options: EngineOptions): void {
  if (options.campaign.trim() === '' || /[;\r\n\0]/.test(options.campaign)) {
    throw new InvalidOptionsError(
      'The campaign name must not be empty nor hold ";", a line break or NUL',
    );
  }
  for (const name of ['maxFileBytes', 'maxLineLength', 'maxFields'] as const) {
    if (!Number.isInteger(options[name]) || options[name] < 1) {
      throw new InvalidOptionsError(`The option ${name} must be a whole number of at least 1`);
    }
  }
}

/** Reads until the format can be told, keeping what was read. */
async function readHead(
  chunks: AsyncIterator<string>,
  options: EngineOptions,
): Promise<{ head: string; detection: FormatDetection }> {
  let head = '';
  for (;;) {
    const next = await chunks.next();
    if (!next.done) head += next.value;
    const done = next.done === true;
    if (done || head.length >= HEAD_CHARS) {
      const full = done || head.length >= MAX_HEAD_CHARS;
      const detection = detectFormat(head, full, options.mapping);
      if (detection) return { head, detection };
      if (full) {
        throw new UnusableFileError(
          FileRejectionCode.EmptyFile,
          done
            ? 'The file holds no contacts: every line is blank.'
            : 'The file starts with megabytes of blank lines.',
        );
      }
    }
  }
}

/** State of one file's run: counts, the numbers seen, and the sink. */
class Run {
  private readonly options: EngineOptions;
  private readonly sink: ContactSink;
  private readonly phones = new PhoneSet();
  private accepted = 0;
  private rejected = 0;
  private duplicates = 0;
  private modified = 0;
  private readonly changes: Partial<Record<ChangeKind, number>> = {};
  private readonly rejectionCodes: Partial<Record<RejectionCode, number>> = {};

  constructor(options: EngineOptions, sink: ContactSink) {
    this.options = options;
    this.sink = sink;
  }

  async readNative(first: string, chunks: AsyncIterator<string>, firstLine: number): Promise<void> {
    const splitter = new LineSplitter(this.options.maxLineLength, firstLine);
    let checkEncoding = false;
    let chunk: string | undefined = first;
    for (;;) {
      if (chunk === undefined) splitter.end();
      else {
        splitter.push(chunk);
        if (!checkEncoding && chunk.includes(REPLACEMENT_CHARACTER)) checkEncoding = true;
      }
      for (let text = splitter.next(); text !== undefined; text = splitter.next()) {
        const line = splitter.line;
        let pending: void | Promise<void>;
        if (splitter.tooLong) {
          const message = `The line is longer than ${this.options.maxLineLength} characters.`;
          pending = this.reject(line, RejectionCode.LineTooLong, message, text);
        } else if (checkEncoding && text.includes(REPLACEMENT_CHARACTER)) {
          pending = this.reject(line, RejectionCode.BadEncoding, BAD_BYTES, text);
        } else {
          const raw = parseNativeLine(text, line);
          pending =
            'code' in raw
              ? this.reject(line, raw.code, raw.message, text)
              : this.consider(raw, text);
        }
        if (pending) await pending;
      }
      if (chunk === undefined) return;
      const next = await chunks.next();
      chunk = next.done ? undefined : next.value;
    }
  }

  async readHeadered(
    first: string,
    chunks: AsyncIterator<string>,
    delimiter: string,
    firstLine: number,
  ): Promise<void> {
    const parser = new HeaderedParser({
      delimiter,
      maxLineLength: this.options.maxLineLength,
      maxFields: this.options.maxFields,
      mapping: this.options.mapping,
      firstLineNumber: firstLine,
      campaign: this.options.campaign,
      defaultPriority: this.options.defaultPriority,
    });
    const records: HeaderedRecord[] = [];
    let chunk: string | undefined = first;
    for (;;) {
      if (chunk === undefined) parser.end(records);
      else parser.push(chunk, records);
      for (const record of records) {
        const pending =
          'code' in record
            ? this.rejectRow(record)
            : this.consider(record.raw, record.cells, delimiter);
        if (pending) await pending;
      }
      records.length = 0;
      if (chunk === undefined) break;
      const next = await chunks.next();
      chunk = next.done ? undefined : next.value;
    }
    if (parser.headers === undefined) {
      throw new UnusableFileError(FileRejectionCode.EmptyFile, 'The file holds no header row.');
    }
  }

  /** Validates and deduplicates one record, then hands it to the sink. */
  private consider(
    raw: RawContact,
    original: string | readonly string[],
    delimiter = ';',
  ): void | Promise<void> {
    const result = validateContact(raw, this.options);
    if (!result.ok) {
      const text = originalOf(original, delimiter);
      return this.reject(raw.line, result.code, result.message, text);
    }
    const contact = result.contact;
    if (!this.phones.add(contact.main)) {
      this.duplicates++;
      const message = `The number ${maskPhone(contact.main)} is already on an earlier line; the first one is kept.`;
      return this.reject(
        raw.line,
        RejectionCode.Duplicate,
        message,
        originalOf(original, delimiter),
      );
    }
    this.accepted++;
    const changes = contact.changes;
    if (changes.length > 0) {
      this.modified++;
      for (const kind of changes) this.changes[kind] = (this.changes[kind] ?? 0) + 1;
    }
    // An unchanged native line is already canonical: it goes out byte for byte.
    const line =
      changes.length === 0 && raw.sourceText !== undefined ? raw.sourceText : formatLine(contact);
    return this.sink.accept(line, contact);
  }

  private reject(
    line: number,
    code: RejectionCode,
    message: string,
    original: string,
  ): void | Promise<void> {
    return this.rejectRow({ line, code, message, original });
  }

  private rejectRow(rejection: Rejection): void | Promise<void> {
    this.rejected++;
    this.rejectionCodes[rejection.code] = (this.rejectionCodes[rejection.code] ?? 0) + 1;
    return this.sink.reject(rejection);
  }

  summary(input: InputDescription): EngineSummary {
    return {
      input,
      counts: {
        rows: this.accepted + this.rejected,
        accepted: this.accepted,
        rejected: this.rejected,
        duplicates: this.duplicates,
        modified: this.modified,
      },
      changes: this.changes,
      rejectionCodes: this.rejectionCodes,
    };
  }
}
