import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Cell, Row } from '@cj-tech-master/excelts';
import { makeOwnedTempDir, removeDeadTempDirs } from '../shared/owned-temp-dir.js';
import { cellText } from './cell-text.js';
import { UnusableFileError } from './errors.js';
import { FileRejectionCode } from './reason-codes.js';
import { isBlank } from './split-lines.js';
import {
  corrupt,
  describe,
  type Spooled,
  type SpoolingReader,
  type SpoolOptions,
  spoolWorkbook,
} from './spool-workbook.js';

/** Every directory a workbook's sheets are spooled to has a name starting so; the rest is random. */
export const WORKBOOK_SPOOL_PREFIX = 'ucontact-xlsx-';

/** One row of the sheet read: its number in the sheet and the text of its cells, from column A. */
export interface WorkbookRow {
  readonly line: number;
  readonly cells: string[];
}

export interface OpenedWorkbook {
  /** The name of the sheet `rows` reads. */
  readonly sheet: string;
  /** The sheet's rows with a value, in order; throws WORKBOOK_CORRUPT for XML that cannot be read. */
  readonly rows: AsyncIterable<WorkbookRow>;
  /** Deletes the sheets spooled to disk. Never throws; call it whatever happened. */
  close(): Promise<void>;
}

export interface WorkbookOptions extends SpoolOptions {
  /** The sheet to read; without it, the one visible sheet holding data. */
  readonly sheet?: string;
  /** Where the sheets are spooled; default the system's temporary directory. */
  readonly spoolDir?: string;
}

interface Sheet {
  readonly name: string;
  /** Hidden in Excel (`hidden` or `veryHidden`): lists behind drop-downs, lookups. */
  readonly hidden: boolean;
  readonly spooled: Spooled;
}

/** The spooled sheets in the workbook's order (the order of its tabs). */
function sheetsInOrder(reader: SpoolingReader): Sheet[] {
  const order = (reader.model?.sheets ?? []).map((sheet) => sheet.name);
  const sheets = reader.spooled.map((spooled) => {
    const sheet = reader.sheetReader(spooled);
    return {
      name: sheet.name,
      hidden: sheet.state !== undefined && sheet.state !== 'visible',
      spooled,
    };
  });
  const rank = (sheet: Sheet) => {
    const at = order.indexOf(sheet.name);
    return at === -1 ? order.length + Number(sheet.spooled.sheetNo) : at;
  };
  return sheets.sort((a, b) => rank(a) - rank(b));
}

/** The index of the shared string a cell names (the reader gives `{ sharedString: n }`). */
function sharedIndex(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null || !('sharedString' in value)) return undefined;
  return typeof value.sharedString === 'number' ? value.sharedString : undefined;
}

function formatOf(cell: Cell): string | undefined {
  const format = cell.numFmt;
  return typeof format === 'string' ? format : format?.formatCode;
}

/** A row's cells as text, from column A, '' where a cell is missing. */
function rowCells(row: Row, reader: SpoolingReader): string[] {
  const cells: string[] = [];
  const date1904 = reader.date1904;
  row.eachCell((cell, column) => {
    const value = cell.value;
    const shared = sharedIndex(value);
    cells[column - 1] =
      shared === undefined ? cellText(value, formatOf(cell), date1904) : reader.strings.get(shared);
  });
  for (let i = 0; i < cells.length; i++) cells[i] ??= '';
  return cells;
}

async function* sheetRows(reader: SpoolingReader, sheet: Sheet): AsyncGenerator<WorkbookRow> {
  try {
    for await (const row of reader.sheetReader(sheet.spooled)) {
      const cells = rowCells(row, reader);
      if (!cells.every(isBlank)) yield { line: row.number, cells };
    }
  } catch (error) {
    if (error instanceof UnusableFileError) throw error;
    throw corrupt(`sheet "${sheet.name}": ${describe(error)}`, error);
  }
}

async function hasData(reader: SpoolingReader, sheet: Sheet): Promise<boolean> {
  for await (const _ of sheetRows(reader, sheet)) return true;
  return false;
}

const quoted = (sheets: readonly Sheet[]) => sheets.map((sheet) => `"${sheet.name}"`).join(', ');

/**
 * The one visible sheet with data (a hidden sheet is read only when named); throws EMPTY_FILE
 * when none has any, SEVERAL_SHEETS when more do.
 */
async function onlySheetWithData(reader: SpoolingReader, all: Sheet[]): Promise<Sheet> {
  const sheets = all.filter((sheet) => !sheet.hidden);
  const withData: Sheet[] = [];
  for (const sheet of sheets) if (await hasData(reader, sheet)) withData.push(sheet);
  if (withData.length === 1) return withData[0]!;
  if (withData.length === 0) {
    throw new UnusableFileError(
      FileRejectionCode.EmptyFile,
      sheets.length > 1
        ? `The workbook holds no contacts: its sheets (${quoted(sheets)}) are all empty.`
        : 'The workbook holds no contacts: its sheet is empty.',
    );
  }
  throw new UnusableFileError(
    FileRejectionCode.SeveralSheets,
    `The workbook has data on several sheets: ${quoted(withData)}. Keep the contacts on one ` +
      'sheet and empty or delete the others, or name the sheet to read (--sheet).',
  );
}

/** The sheet called `name` (exactly, or else the one matching without regard to case or spaces). */
function namedSheet(sheets: Sheet[], name: string): Sheet {
  const key = (text: string) => text.trim().toLowerCase();
  const found =
    sheets.find((sheet) => sheet.name === name) ??
    sheets.find((sheet) => key(sheet.name) === key(name));
  if (found) return found;
  throw new UnusableFileError(
    FileRejectionCode.SheetNotFound,
    `The workbook has no sheet named "${name}"; its sheets are ${quoted(sheets)}.`,
  );
}

/**
 * Opens an Excel workbook (.xlsx) streamed as `bytes` and chooses the sheet to read: the one named
 * in `options.sheet`, or the only one holding data. Sheets are spooled to a private temporary
 * directory, so memory does not grow with them. Throws UnusableFileError: WORKBOOK_CORRUPT,
 * FILE_TOO_LARGE, BINARY_FILE (a zip that is no workbook), SHEET_NOT_FOUND, SEVERAL_SHEETS,
 * EMPTY_FILE; and what reading `bytes` throws. Nothing is left on disk after a throw. First removes
 * what dead processes' workbooks left there (a killed run, a crashed command): sheets hold full
 * phone numbers, and the directory of one being read is never removed (owned-temp-dir.ts).
 */
export async function openWorkbook(
  bytes: AsyncIterable<Uint8Array>,
  options: WorkbookOptions,
): Promise<OpenedWorkbook> {
  const parent = options.spoolDir ?? tmpdir();
  await removeDeadTempDirs(parent, [WORKBOOK_SPOOL_PREFIX]);
  const directory = await makeOwnedTempDir(parent, WORKBOOK_SPOOL_PREFIX);
  const close = () => rm(directory, { recursive: true, force: true }).catch(() => undefined);
  try {
    const reader = await spoolWorkbook(bytes, directory, options);
    const sheets = sheetsInOrder(reader);
    const sheet =
      options.sheet === undefined
        ? await onlySheetWithData(reader, sheets)
        : namedSheet(sheets, options.sheet);
    return { sheet: sheet.name, rows: sheetRows(reader, sheet), close };
  } catch (error) {
    await close();
    throw error;
  }
}
