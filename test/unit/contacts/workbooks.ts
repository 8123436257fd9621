import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';

/** A cell as exceljs takes it: a value, or a value with its number format. */
export type CellInput = ExcelJS.CellValue | { value: ExcelJS.CellValue; numFmt: string };

/** A sheet's name and its rows; `null` leaves a row empty. */
export interface SheetInput {
  readonly name: string;
  readonly hidden?: boolean;
  readonly rows: ReadonlyArray<readonly CellInput[] | null>;
}

function isFormatted(cell: CellInput): cell is { value: ExcelJS.CellValue; numFmt: string } {
  return typeof cell === 'object' && cell !== null && 'numFmt' in cell;
}

function fill(sheet: ExcelJS.Worksheet, input: SheetInput): void {
  input.rows.forEach((row, r) => {
    row?.forEach((cell, c) => {
      const target = sheet.getCell(r + 1, c + 1);
      if (isFormatted(cell)) {
        target.value = cell.value;
        target.numFmt = cell.numFmt;
      } else target.value = cell;
    });
  });
}

/** An .xlsx written by exceljs as Excel writes one: strings shared, styles and formulas kept. */
export async function workbook(...sheets: SheetInput[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const input of sheets) {
    fill(book.addWorksheet(input.name, input.hidden ? { state: 'hidden' } : {}), input);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * An .xlsx written by exceljs's streaming writer without shared strings: every string is inline
 * in its cell (`<is>`), rich text as runs (`<r><t>`).
 */
export async function inlineStringsWorkbook(input: SheetInput): Promise<Buffer> {
  const out = new PassThrough();
  const written = buffer(out);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  const sheet = book.addWorksheet(input.name);
  for (const row of input.rows) {
    sheet.addRow((row ?? []).map((cell) => (isFormatted(cell) ? cell.value : cell))).commit();
  }
  sheet.commit();
  await book.commit();
  return written;
}

/** A zip archive holding `files` stored without compression (a zip that is no workbook). */
export function storedZip(files: Readonly<Record<string, string>>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(content);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const FAT_SECTOR = 0xfffffffd;

/** A 128-byte directory entry: its name (UTF-16LE), type (5 root, 2 stream), no content. */
function directoryEntry(name: string, type: number): Buffer {
  const entry = Buffer.alloc(128);
  const nameBytes = Buffer.from(`${name}\0`, 'utf16le');
  nameBytes.copy(entry, 0);
  entry.writeUInt16LE(nameBytes.length, 0x40);
  entry[0x42] = type;
  entry.writeUInt32LE(FREE, 0x44);
  entry.writeUInt32LE(FREE, 0x48);
  entry.writeUInt32LE(FREE, 0x4c);
  entry.writeUInt32LE(END_OF_CHAIN, 0x74);
  return entry;
}

/**
 * A minimal compound file (CFB version 3, 512-byte sectors): the header, one directory sector
 * holding a root entry and an empty stream per name (at most 3), and one FAT sector. An Excel
 * 97-2003 workbook has a `Workbook` stream; a workbook saved with a password has
 * `EncryptionInfo` and `EncryptedPackage` (their content is left out: only the names tell).
 */
export function compoundFile(streams: readonly string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c);
  header.writeUInt32LE(0, 0x30);
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(END_OF_CHAIN, 0x3c);
  header.writeUInt32LE(END_OF_CHAIN, 0x44);
  header.writeUInt32LE(1, 0x4c);
  for (let at = 0x50; at < 512; at += 4) header.writeUInt32LE(FREE, at);
  const directory = Buffer.concat([
    directoryEntry('Root Entry', 5),
    ...streams.map((name) => directoryEntry(name, 2)),
    Buffer.alloc(128 * (3 - streams.length)),
  ]);
  const fat = Buffer.alloc(512, 0xff);
  fat.writeUInt32LE(END_OF_CHAIN, 0);
  fat.writeUInt32LE(FAT_SECTOR, 4);
  return Buffer.concat([header, directory, fat]);
}
