import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WorkbookReader, type WorksheetReader } from '@cj-tech-master/excelts';
import { UnusableFileError } from './errors.js';
import { InlineRunJoiner } from './join-inline-runs.js';
import { FileRejectionCode } from './reason-codes.js';
import { SharedStrings } from './shared-strings.js';

export interface SpoolOptions {
  /** Only says whether a zip that is no workbook was meant to be one (`.xlsx`, `.xlsm`). */
  readonly sourceName: string;
  /** Decompressed size of the sheets above which the workbook is refused. */
  readonly maxFileBytes: number;
}

export type Spooled = Parameters<WorkbookReader['_processWaitingWorksheets']>[0][number];

const READER_OPTIONS = {
  worksheets: 'emit',
  // Given as they are read, to be kept compact (SharedStrings); a cell names its string's index.
  sharedStrings: 'emit',
  styles: 'cache',
  hyperlinks: 'ignore',
  entries: 'ignore',
} as const;

const NO_WORKSHEET_EVENTS: never[] = [];
const SAVE_AGAIN = 'open it in Excel and save it again, or save it as "CSV UTF-8"';
const MEBIBYTE = 1024 * 1024;

/**
 * The streaming reader, made to spool every sheet to disk before any is read. A workbook's parts
 * come in any order, and Excel writes the shared strings and styles after the sheets: a sheet read
 * before them loses its strings and dates, and one read before `workbook.xml` its name. The
 * reader spools only some sheets on its own; here all are, and read once every part is known.
 */
export class SpoolingReader extends WorkbookReader {
  readonly spooled: Spooled[] = [];
  readonly strings = new SharedStrings();
  private readonly source: Readable;
  private readonly directory: string;
  private readonly limit: SizeLimit;
  /**
   * Rejects with the first error of a sheet's spooling. The zip reading may wait forever on an
   * entry that failed (one cut short ends its entry with an error, and never the reading).
   */
  readonly failed: Promise<never>;
  private fail: (error: unknown) => void = () => {};
  private stringsSeen = 0;

  constructor(source: Readable, directory: string, maxFileBytes: number) {
    super(source, READER_OPTIONS);
    this.source = source;
    this.directory = directory;
    this.limit = new SizeLimit(maxFileBytes);
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.failed.catch(() => {});
  }

  /** Called for a sheet the base class would read at once: it is spooled like the others. */
  protected override _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string) {
    this.spooled.push(this.spool(sheetNo, Readable.from(iterator)));
    return NO_WORKSHEET_EVENTS.values();
  }

  override async _storeWaitingWorksheet(sheetNo: string, entry: Readable): Promise<Spooled> {
    const spooled = this.spool(sheetNo, entry);
    this.spooled.push(spooled);
    return spooled;
  }

  /** The spooled sheets are read by `sheetReader` once the whole workbook has been. */
  override async *_processWaitingWorksheets(): AsyncIterableIterator<never> {}

  /** The spool directory goes as a whole (OpenedWorkbook.close). */
  protected override _cleanupWaitingWorksheets(): void {}

  private spool(sheetNo: string, entry: Readable): Spooled {
    const path = join(this.directory, `sheet${sheetNo}.xml`);
    const writePromise = pipeline(
      entry,
      this.limit.counter(),
      new InlineRunJoiner(),
      createWriteStream(path),
    ).catch((error: unknown) => this.stop(error));
    return { sheetNo, path, writePromise, cleanup: () => {} };
  }

  /** Ends the reading with `error`: nothing more is read from the source. */
  stop(error: unknown): void {
    this.fail(error);
    this.source.destroy();
  }

  /** Whether a sheet's bytes were spooled, or shared strings read, since the last call. */
  progressed(): boolean {
    const strings = this.strings.size;
    const moved = this.limit.progressed() || strings !== this.stringsSeen;
    this.stringsSeen = strings;
    return moved;
  }

  /** A reader of one spooled sheet, named from the workbook; it opens the file when first read. */
  sheetReader(spooled: Spooled): WorksheetReader {
    async function* chunks(): AsyncGenerator<Buffer> {
      yield* createReadStream(spooled.path);
    }
    const event = super._parseWorksheet(chunks(), spooled.sheetNo).next();
    if (event.done) throw new Error('the streaming reader made no worksheet reader');
    return event.value.value;
  }

  get date1904(): boolean {
    return this.properties?.model?.date1904 === true;
  }
}

/** Counts the decompressed bytes of every sheet together, refusing past the limit. */
class SizeLimit {
  private total = 0;
  private seen = 0;
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  progressed(): boolean {
    const moved = this.total !== this.seen;
    this.seen = this.total;
    return moved;
  }

  counter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) => {
        this.total += chunk.length;
        if (this.total <= this.max) done(null, chunk);
        else done(this.tooLarge());
      },
    });
  }

  private tooLarge(): UnusableFileError {
    const limit =
      this.max >= MEBIBYTE ? `${Math.floor(this.max / MEBIBYTE)} MiB` : `${this.max} bytes`;
    return new UnusableFileError(
      FileRejectionCode.FileTooLarge,
      `The workbook's sheets hold more than ${limit} (after decompression): split it into smaller files.`,
    );
  }
}

export function corrupt(detail: string, cause?: unknown): UnusableFileError {
  return new UnusableFileError(
    FileRejectionCode.WorkbookCorrupt,
    `The workbook cannot be read (${detail}): ${SAVE_AGAIN}.`,
    { cause },
  );
}

/** Why a library error says a workbook cannot be read, in a few words. */
export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200) || 'damaged or cut short';
}

/** A zip archive ends with this record, in its last 65,557 bytes (22, and a comment of 65,535 at most). */
const END_OF_ARCHIVE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const END_OF_ARCHIVE_REACH = 22 + 0xffff;
/** Once the source has ended, a zip reading that makes no progress for this long is stuck. */
const STALL_MS = 10_000;

/**
 * The bytes of a workbook, watched: the source's own error is kept (it must not pass for a damaged
 * workbook), and a source that ends without the zip's closing record fails `onCut`. The streaming
 * unzip waits forever on a zip cut short, so the end is checked here.
 */
function watchSource(bytes: AsyncIterable<Uint8Array>, onCut: () => void, onEnd: () => void) {
  const watch = { error: undefined as unknown };
  async function* watched(): AsyncGenerator<Uint8Array> {
    let tail = Buffer.alloc(0);
    try {
      for await (const chunk of bytes) {
        const all = Buffer.concat([tail, chunk]);
        tail = all.subarray(Math.max(0, all.length - END_OF_ARCHIVE_REACH));
        yield chunk;
      }
    } catch (error) {
      watch.error = error;
      throw error;
    }
    if (tail.lastIndexOf(END_OF_ARCHIVE) === -1) onCut();
    onEnd();
  }
  return { watch, source: Readable.from(watched(), { objectMode: false }) };
}

/**
 * Reads every part of the workbook, spooling its sheets. Throws the source's own error when it
 * fails, FILE_TOO_LARGE past the size limit, WORKBOOK_CORRUPT for a zip that cannot be read, and
 * WORKBOOK_CORRUPT or BINARY_FILE (after the name) for a zip without `xl/workbook.xml`.
 */
export async function spoolWorkbook(
  bytes: AsyncIterable<Uint8Array>,
  directory: string,
  options: SpoolOptions,
): Promise<SpoolingReader> {
  let stall: NodeJS.Timeout | undefined;
  let settled = false;
  const { watch, source } = watchSource(
    bytes,
    () => reader.stop(corrupt('it is cut short: the end of the zip archive is missing')),
    () => {
      // The unzip may be done before the zip's central directory, the last bytes, is read.
      if (settled) return;
      stall = setInterval(() => {
        if (!reader.progressed())
          reader.stop(corrupt('it is damaged: its zip archive stops short'));
      }, STALL_MS);
    },
  );
  const reader = new SpoolingReader(source, directory, options.maxFileBytes);
  const parse = (async () => {
    for await (const event of reader.parse()) {
      // Every sheet is spooled, none is given here: only the shared strings come.
      if (event.eventType === 'shared-strings') reader.strings.add(plainText(event.value.text));
    }
    await Promise.all(reader.spooled.map((spooled) => spooled.writePromise));
  })();
  try {
    await Promise.race([parse, reader.failed]);
  } catch (error) {
    parse.catch(() => {});
    if (watch.error !== undefined) throw watch.error;
    throw error instanceof UnusableFileError ? error : corrupt(describe(error), error);
  } finally {
    settled = true;
    clearInterval(stall);
    source.destroy();
  }
  if (reader.model === undefined) {
    if (/\.xls[xm]$/i.test(options.sourceName)) throw corrupt('it has no xl/workbook.xml part');
    throw new UnusableFileError(
      FileRejectionCode.BinaryFile,
      'The file is a zip archive, not an Excel workbook: extract the CSV from it first.',
    );
  }
  return reader;
}

type SharedStringText = string | { richText: ReadonlyArray<{ text: string | null }> };

/** A shared string's text: rich text's runs joined. */
function plainText(text: SharedStringText): string {
  return typeof text === 'string' ? text : text.richText.map((run) => run.text ?? '').join('');
}
