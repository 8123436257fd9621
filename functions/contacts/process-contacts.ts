import { CanonicalRowContact, CanonicalRowWriter } from './canonical-headered-row.js';
import {
  CAMPAIGN_FILLED,
  CanonicalLineChecker,
  CanonicalNativeContact,
  NO_CHANGES,
  PHONE_FORMATTED,
} from './canonical-native-line.js';
import type {
  Contact,
  Counts,
  EngineWarning,
  InputDescription,
  RawContact,
  Rejection,
} from './contact.js';
import { InputFormat, TextEncoding } from './contact.js';
import { duplicateSetBudget } from './contact-ceiling.js';
import { countBytes, decodeText, peek, REPLACEMENT_CHARACTER } from './decode.js';
import {
  CONTAINER_SIGNATURE_BYTES,
  Container,
  detectContainer,
  refuseCompoundFile,
} from './detect-container.js';
import { detectFormat, type FormatDetection } from './detect-format.js';
import { InvalidOptionsError, UnusableFileError } from './errors.js';
import { formatLine } from './format-line.js';
import type { ColumnReading } from './map-columns.js';
import { maskPhone } from './mask-phone.js';
import { NativeBatch } from './native-batch.js';
import { NOT_LOOKED_UP } from './number-table.js';
import { checkEngineOptions, type EngineOptions } from './options.js';
import { type HeaderedContact, HeaderedParser, type HeaderedRecord } from './parse-headered.js';
import { parseNativeLine } from './parse-native.js';
import { PhoneSet, WIDE_WORST_BYTES } from './phone-set.js';
import { openWorkbook, type WorkbookRow } from './read-workbook.js';
import { ChangeKind, FileRejectionCode, RejectionCode, WarningCode } from './reason-codes.js';
import { csvField } from './rejected-rows-csv.js';
import { LineSplitter } from './split-lines.js';
import { ALTERNATE_LISTED, Scrubber, type SuppressionReport } from './suppression-set.js';
import { canonicalChanges, validateContact } from './validate-contact.js';

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
  /**
   * How each column of a headered file was read, in column order; null for a native file, whose
   * fields are fixed by position.
   */
  columns: readonly ColumnReading[] | null;
  /** What the run could not do as asked (a mapping given for a file without header). */
  warnings: EngineWarning[];
  /** Each suppression list applied, with its hits; absent when none was given. */
  suppression?: SuppressionReport[];
}

const MAPPING_NOT_USED: EngineWarning = {
  code: WarningCode.MappingNotUsed,
  message:
    'A column mapping was given, but the file has no header row (it is in uContact line ' +
    'format), so the mapping was not used.',
};

const SHEET_NOT_USED: EngineWarning = {
  code: WarningCode.SheetNotUsed,
  message: 'A sheet was named, but the file is not a workbook (it is text), so it was not used.',
};

/** Workbook rows handed to the duplicate check at once. */
const WORKBOOK_BATCH = 1024;

/**
 * The format is told from exactly this much first text (or the whole file when shorter), however
 * it arrived; when that is all blank, from four times as much, up to MAX_HEAD_CHARS.
 */
const HEAD_CHARS = 64 * 1024;
/** Blank text is not kept beyond this while looking for the first record. */
const MAX_HEAD_CHARS = 4 * 1024 * 1024;

const BAD_BYTES_MESSAGE = "The line holds bytes that are not valid in the file's encoding.";
/** A native line refused before its fields are read (a canonical line's main number ends past 0). */
const TOO_LONG = -2;
const BAD_BYTES = -3;
/** A line the suppression lists leave to the usual path. */
const PASS = Symbol('pass');

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
  const { head: signature, iterable: bytes } = await peek(
    countBytes(source, onProgress),
    CONTAINER_SIGNATURE_BYTES,
  );
  const container = detectContainer(signature);
  if (container === Container.CompoundFile) return refuseCompoundFile(bytes);
  if (container === Container.Zip) return processWorkbook(bytes, options, sink);
  const decoded = await decodeText(bytes, {
    sourceName: options.sourceName,
    maxFileBytes: options.maxFileBytes,
  });
  const { head, detection } = await readHead(decoded.chunks, options);
  const input: InputDescription = {
    format: detection.format,
    encoding: decoded.encoding,
    delimiter: detection.delimiter,
    compression: decoded.compression,
  };
  const run = new Run(options, sink);
  if (options.sizeHint !== undefined && decoded.compression === 'none') {
    // No file larger than maxFileBytes is read to its end: a larger hint is wrong.
    const size = Math.min(options.sizeHint, options.maxFileBytes);
    run.expectRows(expectedRows(head.slice(0, HEAD_CHARS), size, decoded.encoding));
  }
  const firstText = head.slice(detection.sepLineLength);
  const firstLine = detection.sepLineLength > 0 ? 2 : 1;
  const warnings: EngineWarning[] = [];
  if (options.sheet !== undefined) warnings.push(SHEET_NOT_USED);
  if (detection.format === InputFormat.Native) {
    if (options.mapping !== undefined) warnings.push(MAPPING_NOT_USED);
    await run.readNative(firstText, decoded.chunks, firstLine);
  } else {
    await run.readHeadered(firstText, decoded.chunks, detection.delimiter, firstLine);
  }
  const summary = run.summary(input);
  // The duplicate table is the engine's one large state: its memory goes back before the caller
  // moves on (uploading, for the function).
  run.release();
  return { ...summary, warnings };
}

/**
 * The headered path for a sheet of an Excel workbook: its first row with a value is the header,
 * each later one a record with the cells' text (see cell-text.ts).
 */
async function processWorkbook(
  bytes: AsyncIterable<Uint8Array>,
  options: EngineOptions,
  sink: ContactSink,
): Promise<EngineSummary> {
  const workbook = await openWorkbook(bytes, options);
  const run = new Run(options, sink);
  try {
    await run.readWorkbook(workbook.rows);
  } finally {
    await workbook.close();
  }
  const summary = run.summary({
    format: InputFormat.Headered,
    encoding: TextEncoding.Utf8,
    delimiter: ',',
    compression: 'none',
    container: 'xlsx',
    sheet: workbook.sheet,
  });
  run.release();
  return { ...summary, warnings: [] };
}

/** `contact` with only `alternates` kept, ALTERNATE_SUPPRESSED among its changes. */
function withoutAlternates(contact: Contact, alternates: readonly string[]): Contact {
  return {
    line: contact.line,
    campaign: contact.campaign,
    main: contact.main,
    variables: contact.variables,
    alternates,
    priority: contact.priority,
    agentphone: contact.agentphone,
    fieldCount: contact.fieldCount,
    changes: [...contact.changes, ChangeKind.AlternateSuppressed],
  };
}

/** A workbook row as one CSV line when a cell needs quotes; undefined when joining them is that. */
function quotedText(cells: readonly string[]): string | undefined {
  for (let i = 0; i < cells.length; i++) {
    if (csvField(cells[i]!) !== cells[i]) return cells.map(csvField).join(',');
  }
  return undefined;
}

/** A record's text from its cells: only records without quotes come as cells, so this is exact. */
function originalOf(original: string | readonly string[], delimiter: string): string {
  return typeof original === 'string' ? original : original.join(delimiter);
}

/** The same rule as the command line and the function's configuration: every problem at once. */
function checkOptions(options: EngineOptions): void {
  const problems = checkEngineOptions(options);
  if (problems.length > 0) throw new InvalidOptionsError(problems.join('; '), { problems });
}

/** Estimates beyond this many bytes a row are kept, so that a wrong hint errs on the small side. */
const ROW_MARGIN = 1.1;

/**
 * The rows a file of `sizeHint` bytes would hold if it went on like its first text does: the
 * non-blank lines of `head` over its size in the file's encoding. 0 when `head` holds no line end.
 */
function expectedRows(head: string, sizeHint: number, encoding: TextEncoding): number {
  const breaks = head.includes('\n') ? '\n' : '\r';
  let lines = 0;
  for (let i = head.indexOf(breaks); i !== -1; i = head.indexOf(breaks, i + 1)) {
    const before = head.charCodeAt(i - 1);
    if (i > 0 && before !== 0x0a && before !== 0x0d) lines++;
  }
  if (lines === 0) return 0;
  const bytes =
    encoding === TextEncoding.Utf16le || encoding === TextEncoding.Utf16be
      ? 2 * head.length
      : encoding === TextEncoding.Windows1252
        ? head.length
        : Buffer.byteLength(head);
  return Math.ceil(((sizeHint * lines) / bytes) * ROW_MARGIN);
}

/**
 * Reads until the format can be told, keeping what was read: the format comes from a prefix of a
 * fixed length (HEAD_CHARS, then four times as much while it is all blank), never from the
 * chunks' sizes. Throws UnusableFileError (EMPTY_FILE) when there is nothing but blank lines.
 */
async function readHead(
  chunks: AsyncIterator<string>,
  options: EngineOptions,
): Promise<{ head: string; detection: FormatDetection }> {
  let head = '';
  let done = false;
  for (let size = HEAD_CHARS; ; size *= 4) {
    // One character more than the prefix tells a text of exactly `size` from a longer one.
    while (!done && head.length <= size) {
      const next = await chunks.next();
      if (next.done) done = true;
      else head += next.value;
    }
    const complete = head.length <= size;
    const detection = detectFormat(
      complete ? head : head.slice(0, size),
      complete,
      options.mapping,
    );
    if (detection) return { head, detection };
    if (complete || size >= MAX_HEAD_CHARS) {
      throw new UnusableFileError(
        FileRejectionCode.EmptyFile,
        complete
          ? 'The file holds no contacts: every line is blank.'
          : 'The file starts with megabytes of blank lines.',
      );
    }
  }
}

/** State of one file's run: counts, the numbers seen, and the sink. */
class Run {
  private readonly options: EngineOptions;
  private readonly sink: ContactSink;
  private readonly phones = new PhoneSet();
  private readonly scrubber: Scrubber | undefined;
  /** Bytes the set may reach: past them the file is refused (contact-ceiling.ts). */
  private readonly setBudget: number;
  private accepted = 0;
  private rejected = 0;
  private duplicates = 0;
  private suppressed = 0;
  private modified = 0;
  /** Where the file's lines went besides its rows, once read (see Counts). */
  private lineCounts: Pick<Counts, 'lines' | 'header' | 'blank' | 'joined'> = {
    lines: 0,
    header: 0,
    blank: 0,
    joined: 0,
  };
  /** In the order each kind first came, as the summary lists them. */
  private readonly changes = new Map<ChangeKind, number>();
  private readonly rejectionCodes: Partial<Record<RejectionCode, number>> = {};
  private columns: readonly ColumnReading[] | null = null;
  /** Packed main numbers of the headered records being decided. */
  private keys = new Float64Array(4096);

  constructor(options: EngineOptions, sink: ContactSink) {
    this.options = options;
    this.sink = sink;
    this.setBudget = duplicateSetBudget(options.memoryMb, options);
    this.scrubber = options.suppression && new Scrubber(options.suppression);
  }

  /** Sizes the duplicate check for this many rows, no more than the memory allows. */
  expectRows(rows: number): void {
    this.phones.reserve(Math.min(rows, Math.floor(this.setBudget / WIDE_WORST_BYTES)));
  }

  /**
   * Throws UnusableFileError (TOO_MANY_CONTACTS) once the numbers seen could take more memory
   * than the budget. Checked once a chunk: a chunk adds a few thousand numbers at most.
   */
  private checkCeiling(): void {
    const worst = this.phones.worstBytes;
    if (worst <= this.setBudget) return;
    const ceiling = Math.floor((this.setBudget * this.phones.size) / worst);
    const mb = this.options.memoryMb;
    // Lists and a reload window so large that no room is left: splitting the file cannot help.
    const message =
      this.setBudget === 0
        ? `The suppression lists and the reload window's numbers leave no room in ${mb} MB of memory to check the file for duplicates: give the function more memory, or apply fewer lists.`
        : `The file holds more than ${ceiling} different phone numbers, the most ${mb} MB of memory can check for duplicates: split it into smaller files.`;
    throw new UnusableFileError(FileRejectionCode.TooManyContacts, message);
  }

  /**
   * Reads native lines a text chunk at a time: first every line of the chunk is split off and
   * checked for the canonical shortcut (a run of canonical lines at a time), then their numbers
   * are looked up at once and each line decided (decideBatch). A line canonical but for dashes or
   * spaces in its main number is rewritten without them rather than parsed.
   */
  async readNative(first: string, chunks: AsyncIterator<string>, firstLine: number): Promise<void> {
    const splitter = new LineSplitter(this.options.maxLineLength, firstLine);
    const canonical = new CanonicalLineChecker(this.options);
    const batch = new NativeBatch();
    let checkEncoding = false;
    let chunk: string | undefined = first;
    for (;;) {
      if (chunk === undefined) splitter.end();
      else {
        splitter.push(chunk);
        if (!checkEncoding && chunk.includes(REPLACEMENT_CHARACTER)) checkEncoding = true;
      }
      const pushed = chunk ?? '';
      // The end of the run of canonical lines last found in this chunk.
      let runEnd = 0;
      batch.clear();
      for (let text = splitter.next(); text !== undefined; text = splitter.next()) {
        const at = splitter.start;
        let end = -1;
        let start = 0;
        if (splitter.tooLong) end = TOO_LONG;
        else if (checkEncoding && text.includes(REPLACEMENT_CHARACTER)) end = BAD_BYTES;
        else if (at < 0) {
          end = canonical.mainEnd(text);
          start = canonical.mainStart(text);
        } else {
          // A line that lies in the chunk is read there: one pattern test for a run of canonical
          // lines, and the characters of a flat string cost less than through a slice.
          if (at >= runEnd) runEnd = canonical.runEnd(pushed, at);
          if (at < runEnd) {
            start = canonical.mainStart(pushed, at);
            end = pushed.indexOf(';', at + start) - at;
          }
        }
        const key =
          end <= 0
            ? -1
            : at >= 0
              ? PhoneSet.keyOf(pushed, at + start, at + end)
              : PhoneSet.keyOf(text, start, end);
        batch.add(text, splitter.line, start, end, key);
      }
      await this.decideBatch(batch, canonical);
      this.checkCeiling();
      if (chunk === undefined) break;
      const next = await chunks.next();
      chunk = next.done ? undefined : next.value;
    }
    // Only a `sep=` line comes before the first native line.
    const header = firstLine - 1;
    this.lineCounts = { lines: splitter.lastLine, header, blank: splitter.blank, joined: 0 };
  }

  /**
   * Looks up a chunk's main numbers at once, in the duplicate check (`PhoneSet.warm`), the
   * suppression lists and the reload window, each in a loop that does nothing else, so that their
   * reads wait for memory together; then decides and sends each line, in file order.
   */
  private async decideBatch(batch: NativeBatch, canonical: CanonicalLineChecker): Promise<void> {
    const { texts, lines, ends, starts, keys, listed, earlier, count } = batch;
    this.phones.warm(keys, count);
    this.scrubber?.scrubLines(texts, ends, keys, count, listed);
    const window = this.options.recentlyLoaded;
    window?.numbers.hasKeys(keys, count, earlier);
    for (let i = 0; i < count; i++) {
      const pending = this.decideNative(
        texts[i]!,
        lines[i]!,
        ends[i]!,
        starts[i]!,
        keys[i]!,
        listed[i]!,
        window ? earlier[i]! : -1,
        canonical,
      );
      if (pending) await pending;
    }
  }

  /**
   * Decides one native line: a canonical one by its main number alone (`end` past 0, `start` and
   * `key` found while splitting; `listed` and `earlier`, the lists' and the reload window's
   * answers, looked up for the chunk in decideBatch), else refused for its length or bytes, else
   * rewritten without its number's formatting, else parsed and validated in full.
   */
  private decideNative(
    text: string,
    line: number,
    end: number,
    start: number,
    key: number,
    listed: number,
    earlier: number,
    canonical: CanonicalLineChecker,
  ): void | Promise<void> {
    if (end > 0) {
      // -1: on no list, nor any of its alternates (most lines).
      if (this.scrubber !== undefined && listed !== -1) {
        const scrubbed = this.scrubCanonical(text, line, start, end, listed, text);
        if (scrubbed !== PASS) return scrubbed;
      }
      const added = key > 0 ? this.phones.addKey(key) : this.phones.addRange(text, start, end);
      return this.considerCanonical(text, line, added, start, end, earlier);
    }
    if (end === TOO_LONG) {
      const message = `The line is longer than ${this.options.maxLineLength} characters.`;
      return this.reject(line, RejectionCode.LineTooLong, message, text);
    }
    if (end === BAD_BYTES)
      return this.reject(line, RejectionCode.BadEncoding, BAD_BYTES_MESSAGE, text);
    const fixed = canonical.withoutNumberFormatting(text);
    if (fixed !== undefined)
      return this.considerReformatted(text, fixed, line, canonical.mainStart(fixed));
    const raw = parseNativeLine(text, line);
    return 'code' in raw
      ? this.reject(line, raw.code, raw.message, text)
      : this.consider(raw, text);
  }

  async readHeadered(
    first: string,
    chunks: AsyncIterator<string>,
    delimiter: string,
    firstLine: number,
  ): Promise<void> {
    const parser = this.headeredParser(delimiter, firstLine);
    const records: HeaderedRecord[] = [];
    let writer: CanonicalRowWriter | undefined;
    let chunk: string | undefined = first;
    for (;;) {
      if (chunk === undefined) parser.end(records);
      else parser.push(chunk, records);
      if (writer === undefined && parser.columns !== undefined) {
        writer = new CanonicalRowWriter(parser.columns);
        this.columns = parser.columns.columns;
      }
      await this.considerRecords(records, writer, delimiter);
      this.checkCeiling();
      if (chunk === undefined) break;
      const next = await chunks.next();
      chunk = next.done ? undefined : next.value;
    }
    if (parser.headers === undefined) {
      throw new UnusableFileError(FileRejectionCode.EmptyFile, 'The file holds no header row.');
    }
    const { lastLine, blank, joined } = parser.lines;
    // The `sep=` line, if any, and the header row's first line.
    this.lineCounts = { lines: lastLine, header: firstLine, blank, joined };
  }

  /** A workbook sheet's rows, read as a headered file's records (`,` joins a row's cells). */
  async readWorkbook(rows: AsyncIterable<WorkbookRow>): Promise<void> {
    const parser = this.headeredParser(',', 1);
    const records: HeaderedRecord[] = [];
    let writer: CanonicalRowWriter | undefined;
    let lastLine = 0;
    for await (const row of rows) {
      lastLine = row.line;
      parser.pushCells(row.cells, row.line, quotedText(row.cells), records);
      if (writer === undefined && parser.columns !== undefined) {
        writer = new CanonicalRowWriter(parser.columns);
        this.columns = parser.columns.columns;
      }
      if (records.length >= WORKBOOK_BATCH) {
        await this.considerRecords(records, writer, ',');
        this.checkCeiling();
      }
    }
    await this.considerRecords(records, writer, ',');
    // A sheet's lines are its rows up to the last one read: the header row, the records, and
    // the rows with no value (above the header or between records), which the reader skips.
    const header = writer === undefined ? 0 : 1;
    const blank = lastLine - header - (this.accepted + this.rejected);
    this.lineCounts = { lines: lastLine, header, blank, joined: 0 };
  }

  private headeredParser(delimiter: string, firstLine: number): HeaderedParser {
    return new HeaderedParser({
      delimiter,
      maxLineLength: this.options.maxLineLength,
      maxFields: this.options.maxFields,
      mapping: this.options.mapping,
      firstLineNumber: firstLine,
      campaign: this.options.campaign,
      defaultPriority: this.options.defaultPriority,
    });
  }

  /**
   * Decides and sends headered records in order, then empties `records`. The duplicate check reads
   * the slots of their main numbers at once, as for native lines.
   */
  private async considerRecords(
    records: HeaderedRecord[],
    writer: CanonicalRowWriter | undefined,
    delimiter: string,
  ): Promise<void> {
    const count = records.length;
    if (count > this.keys.length) this.keys = new Float64Array(2 * count);
    const keys = this.keys;
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      keys[i] = 'code' in record ? -1 : PhoneSet.keyOf(record.main, 0, record.main.length);
    }
    this.phones.warm(keys, count);
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      const pending =
        // A row comes only after the header, so the writer is there.
        'code' in record ? this.rejectRow(record) : this.considerRow(record, writer!, delimiter);
      if (pending) await pending;
    }
    records.length = 0;
  }

  /**
   * A headered row: written straight from its cells when only its priority may need the default
   * (CanonicalRowWriter), otherwise validated as any record. The same outcome either way.
   */
  private considerRow(
    row: HeaderedContact,
    writer: CanonicalRowWriter,
    delimiter: string,
  ): void | Promise<void> {
    const original = row.text ?? row.cells;
    const changes = canonicalChanges(row, this.options);
    if (changes === undefined) return this.consider(row, original, delimiter);
    const scrubber = this.scrubber;
    if (scrubber !== undefined) {
      const index = scrubber.listOf(row.main);
      if (index >= 0)
        return this.suppress(row.line, index, row.main, originalOf(original, delimiter));
      // A listed alternate is dropped by the full path, which rewrites the line.
      if (row.alternates.length > 0 && scrubber.anyAlternateListed(row.alternates))
        return this.consider(row, original, delimiter);
    }
    const priority = changes.length === 0 ? row.priority : this.options.defaultPriority;
    const line = writer.write(row, priority);
    if (line === undefined) return this.consider(row, original, delimiter);
    if (!this.phones.add(row.main)) {
      return this.duplicate(row.line, row.main, originalOf(original, delimiter));
    }
    const earlier = this.earlierLoad(row.main, 0, row.main.length);
    if (earlier >= 0)
      return this.loadedBefore(row.line, row.main, earlier, originalOf(original, delimiter));
    this.accepted++;
    if (changes.length > 0) this.countChanges(changes);
    return this.sink.accept(line, new CanonicalRowContact(row, priority, changes));
  }

  /**
   * The suppression check of a line read as canonical (`lineText`, its main number from `start`
   * to `end`; `verdict` from Scrubber.scrubLines, or NOT_LOOKED_UP to ask now): refused when its
   * main number is listed, sent down the full path (which drops the alternate) when an alternate
   * is, else PASS. `original` is the line as read.
   */
  private scrubCanonical(
    lineText: string,
    line: number,
    start: number,
    end: number,
    verdict: number,
    original: string,
  ): void | Promise<void> | typeof PASS {
    const found =
      verdict === NOT_LOOKED_UP ? this.scrubber!.scrubLine(lineText, start, end) : verdict;
    if (found >= 0) return this.suppress(line, found, lineText.slice(start, end), original);
    if (found === ALTERNATE_LISTED) {
      return this.consider(parseNativeLine(original, line) as RawContact, original);
    }
    return PASS;
  }

  private suppress(
    line: number,
    index: number,
    main: string,
    original: string,
  ): void | Promise<void> {
    this.suppressed++;
    const { code, message } = this.scrubber!.refusal(index, main);
    return this.reject(line, code, message, original);
  }

  private duplicate(line: number, main: string, original: string): void | Promise<void> {
    this.duplicates++;
    const message = `The number ${maskPhone(main)} is already on an earlier line; the first one is kept.`;
    return this.reject(line, RejectionCode.Duplicate, message, original);
  }

  /**
   * The earlier load of the main number `text.slice(start, end)` within the reload window (an
   * index into its loads), or -1: always -1 without a window.
   */
  private earlierLoad(text: string, start: number, end: number): number {
    const recent = this.options.recentlyLoaded;
    if (recent === undefined) return -1;
    const key = PhoneSet.keyOf(text, start, end);
    return key > 0 ? recent.numbers.hasKey(key) : recent.numbers.has(text.slice(start, end));
  }

  /** Refuses a contact whose main number the campaign received within the reload window. */
  private loadedBefore(
    line: number,
    main: string,
    earlier: number,
    original: string,
  ): void | Promise<void> {
    const recent = this.options.recentlyLoaded!;
    const load = recent.loads[earlier];
    const when = load ? ` at ${load.loadedAt}, from ${load.source}` : '';
    const message =
      `The number ${maskPhone(main)} was loaded into this campaign${when}, within its ` +
      `${recent.days}-day reload window.`;
    return this.reject(line, RejectionCode.RecentlyLoaded, message, original);
  }

  private countChanges(changes: readonly ChangeKind[]): void {
    this.modified++;
    for (let i = 0; i < changes.length; i++) {
      const kind = changes[i]!;
      this.changes.set(kind, (this.changes.get(kind) ?? 0) + 1);
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
    let contact = result.contact;
    if (this.scrubber !== undefined) {
      const index = this.scrubber.listOf(contact.main);
      if (index >= 0)
        return this.suppress(raw.line, index, contact.main, originalOf(original, delimiter));
      const alternates = this.scrubber.unlistedAlternates(contact.alternates);
      if (alternates !== undefined) contact = withoutAlternates(contact, alternates);
    }
    if (!this.phones.add(contact.main)) {
      return this.duplicate(raw.line, contact.main, originalOf(original, delimiter));
    }
    const earlier = this.earlierLoad(contact.main, 0, contact.main.length);
    if (earlier >= 0)
      return this.loadedBefore(raw.line, contact.main, earlier, originalOf(original, delimiter));
    this.accepted++;
    const changes = contact.changes;
    if (changes.length > 0) this.countChanges(changes);
    // An unchanged native line is already canonical: it goes out byte for byte.
    const line =
      changes.length === 0 && raw.sourceText !== undefined ? raw.sourceText : formatLine(contact);
    return this.sink.accept(line, contact);
  }

  /**
   * A line the checker found canonical (or canonical but for an empty campaign column, when its
   * main number starts at 1), its number already `added` to the set or found there, `loaded` the
   * reload window's answer for it (-1 without a window, NOT_LOOKED_UP when not asked yet): the
   * same outcome as `consider` on its parse, without the parse.
   */
  private considerCanonical(
    text: string,
    line: number,
    added: boolean,
    mainStart: number,
    mainEnd: number,
    loaded: number,
  ): void | Promise<void> {
    if (!added) return this.duplicate(line, text.slice(mainStart, mainEnd), text);
    const earlier = loaded === NOT_LOOKED_UP ? this.earlierLoad(text, mainStart, mainEnd) : loaded;
    if (earlier >= 0) return this.loadedBefore(line, text.slice(mainStart, mainEnd), earlier, text);
    this.accepted++;
    if (mainStart > 1)
      return this.sink.accept(text, new CanonicalNativeContact(text, line, NO_CHANGES));
    this.countChanges(CAMPAIGN_FILLED);
    const filled = this.options.campaign + text;
    return this.sink.accept(filled, new CanonicalNativeContact(filled, line, CAMPAIGN_FILLED));
  }

  /**
   * A line canonical but for the formatting of its main number (`fixed`, the line without it,
   * from CanonicalLineChecker.withoutNumberFormatting): the same outcome as `consider` on its
   * parse, without the parse.
   */
  private considerReformatted(
    text: string,
    fixed: string,
    line: number,
    mainStart: number,
  ): void | Promise<void> {
    const mainEnd = fixed.indexOf(';', mainStart);
    if (this.scrubber !== undefined) {
      const scrubbed = this.scrubCanonical(fixed, line, mainStart, mainEnd, NOT_LOOKED_UP, text);
      if (scrubbed !== PASS) return scrubbed;
    }
    if (!this.phones.addRange(fixed, mainStart, mainEnd)) {
      return this.duplicate(line, fixed.slice(mainStart, mainEnd), text);
    }
    const earlier = this.earlierLoad(fixed, mainStart, mainEnd);
    if (earlier >= 0)
      return this.loadedBefore(line, fixed.slice(mainStart, mainEnd), earlier, text);
    this.accepted++;
    this.countChanges(PHONE_FORMATTED);
    return this.sink.accept(fixed, new CanonicalNativeContact(fixed, line, PHONE_FORMATTED));
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

  release(): void {
    this.phones.release();
  }

  summary(input: InputDescription): Omit<EngineSummary, 'warnings'> {
    return {
      input,
      counts: {
        rows: this.accepted + this.rejected,
        accepted: this.accepted,
        rejected: this.rejected,
        duplicates: this.duplicates,
        ...(this.scrubber ? { suppressed: this.suppressed } : {}),
        modified: this.modified,
        ...this.lineCounts,
      },
      changes: Object.fromEntries(this.changes),
      rejectionCodes: this.rejectionCodes,
      columns: this.columns,
      ...(this.scrubber ? { suppression: this.scrubber.report() } : {}),
    };
  }
}
