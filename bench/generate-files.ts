import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { BENCH_CAMPAIGN } from './cases/case-result.js';
import { mainNumber } from './cases/main-number.js';

/** The campaign every generated native line names (a few leave it empty). */

export interface GeneratedFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

/** Small, fast and seedable (mulberry32): the same seed gives the same files on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  digits(count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) text += String(this.below(10));
    return text;
  }
}

// biome-ignore format: word lists read better packed
const FIRST_NAMES = [
  'Ana', 'Bruno', 'Carla', 'Diego', 'Elena', 'Fernando', 'Gabriela', 'Héctor', 'Inés', 'Joaquín',
  'Lucía', 'Martín', 'Natalia', 'Óscar', 'Paula', 'Raúl', 'Sofía', 'Tomás', 'Valentina', 'Ximena',
];
// biome-ignore format: word lists read better packed
const LAST_NAMES = [
  'García', 'Rodríguez', 'Fernández', 'González', 'Pérez', 'Martínez', 'López', 'Sánchez',
  'Gómez', 'Díaz', 'Núñez', 'Ibáñez', 'Suárez', 'Muñoz', 'Peña', 'Cabrera', 'Acuña', 'Olivera',
];
// biome-ignore format: word lists read better packed
const CITIES = [
  'Montevideo', 'Salto', 'Paysandú', 'Rivera', 'Maldonado', 'Tacuarembó', 'Colonia del Sacramento',
  'Mercedes', 'Artigas', 'Durazno', 'San José de Mayo', 'Treinta y Tres', 'Fray Bentos',
];
// biome-ignore format: word lists read better packed
const STREETS = [
  'Av. 18 de Julio', 'Bulevar Artigas', 'Rambla República de México', 'Calle Sarandí',
  'Av. Italia', 'Camino Carrasco', 'Av. General Flores', 'Calle Constitución',
];
const NOTES = [
  'Llamar después de las 18 hs.\r\nNo llamar los domingos',
  'Cliente "preferente"\nPidió la oferta de fibra',
  'Ya tiene el plan básico.\r\nVolver a ofrecer en marzo',
];

const BAD_NUMBERS = ['12-34', '09x12ab45', '0991234567890123456', 'sin número', '000'];

/** About 1.5% of rows are invalid, 1% duplicates; the rest valid, some needing a change. */
type RowKind = 'valid' | 'duplicate' | 'badNumber' | 'scientific' | 'tooManyFields';

function rowKind(random: Random): RowKind {
  const r = random.next();
  if (r < 0.01) return 'duplicate';
  if (r < 0.016) return 'badNumber';
  if (r < 0.02) return 'scientific';
  if (r < 0.025) return 'tooManyFields';
  return 'valid';
}

function mainFor(kind: RowKind, row: number, random: Random): string {
  switch (kind) {
    case 'duplicate':
      return mainNumber(row === 0 ? 0 : random.below(row));
    case 'badNumber':
      return random.pick(BAD_NUMBERS);
    case 'scientific':
      return `9.${random.digits(7)}E+8`;
    default:
      return mainNumber(row);
  }
}

function landline(random: Random): string {
  return '2' + random.digits(7);
}

/**
 * One uContact line: `campaign;number;variables;alternates;priority[;agentphone]`. Most are
 * canonical; a few have an empty campaign or a formatted number, which the engine rewrites.
 */
function nativeLine(row: number, random: Random): string {
  const kind = rowKind(random);
  let main = mainFor(kind, row, random);
  if (kind === 'valid' && random.next() < 0.03) {
    main = `${main.slice(0, 3)}-${main.slice(3, 6)}-${main.slice(6)}`;
  }
  const campaign = random.next() < 0.02 ? '' : BENCH_CAMPAIGN;
  const first = random.pick(FIRST_NAMES);
  const last =
    kind === 'tooManyFields' ? `${random.pick(LAST_NAMES)}; ${first}` : random.pick(LAST_NAMES);
  const variables = `nombre=${first}:apellido=${last}:ciudad=${random.pick(CITIES)}`;
  const r = random.next();
  const alternates =
    r < 0.55 ? landline(random) : r < 0.65 ? `${landline(random)}:${mainNumber(row + 1)}` : '';
  const priority = random.next() < 0.8 ? '9999' : String(1 + random.below(100));
  // Too many fields needs a 6-field line: a `;` in a 5-field line would read as an agentphone.
  const agentphone =
    kind === 'tooManyFields' || random.next() < 0.3 ? `;${1000 + random.below(9000)}` : '';
  return `${campaign};${main};${variables};${alternates};${priority}${agentphone}`;
}

const HEADERED_HEADER = 'Cliente;Teléfono;Celular;Dirección;Ciudad;Prioridad;Notas';

function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * How a headered export writes its rows: the delimiter, and whether the client cell is quoted in
 * every row (`"Pérez, Ana"`, as a spreadsheet writes a cell holding the delimiter) or only in some.
 */
interface ExportStyle {
  readonly delimiter: string;
  readonly quoteEveryRow: boolean;
}

/** One row of a Spanish spreadsheet export, quoted where Excel would quote. */
function headeredRow(row: number, random: Random, style: ExportStyle): string {
  const d = style.delimiter;
  const kind = rowKind(random);
  let main = mainFor(kind, row, random);
  if (kind === 'valid' && random.next() < 0.05) {
    main = `+598 ${main.slice(1, 3)} ${main.slice(3, 6)} ${main.slice(6)}`;
  }
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const r = random.next();
  // An unquoted delimiter gives the row one cell more than the header; with a quoted client in
  // every row, a value right of the last column does.
  const client =
    kind === 'tooManyFields' && !style.quoteEveryRow
      ? `${last}${d} ${first}`
      : style.quoteEveryRow || r < 0.1
        ? quoted(`${last}${d} ${first}`)
        : `${first} ${last}`;
  const mobile = random.next() < 0.4 ? mainNumber(row + 1) : '';
  const address = `${random.pick(STREETS)} ${1 + random.below(4000)}`;
  const priority = random.next() < 0.9 ? '' : String(1 + random.below(10));
  const notes = random.next() < 0.03 ? quoted(random.pick(NOTES)) : '';
  const extra = kind === 'tooManyFields' && style.quoteEveryRow ? `${d}suelto` : '';
  return [client, main, mobile, address, random.pick(CITIES), priority, notes].join(d) + extra;
}

/** Lines written per write call: large enough to keep the generator fast. */
const BATCH = 10_000;

async function writeLines(
  path: string,
  first: string,
  rows: number,
  line: (row: number) => string,
  eol: string,
): Promise<GeneratedFile> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  if (first !== '') await write(first + eol);
  for (let start = 0; start < rows; start += BATCH) {
    const lines: string[] = [];
    for (let row = start; row < Math.min(rows, start + BATCH); row++) lines.push(line(row));
    await write(lines.join(eol) + eol);
  }
  out.end();
  await once(out, 'close');
  return { path, rows, bytes };
}

/** Writes `rows` native uContact lines (LF) to `path`. Rejects when the file cannot be written. */
export function generateNativeFile(
  path: string,
  rows: number,
  seed: number,
): Promise<GeneratedFile> {
  const random = new Random(seed);
  return writeLines(path, '', rows, (row) => nativeLine(row, random), '\n');
}

/** A Spanish export in `style`: UTF-8 with BOM, CRLF. */
function writeExport(
  path: string,
  rows: number,
  seed: number,
  style: ExportStyle,
): Promise<GeneratedFile> {
  // Another stream than the native file's, so the two files do not mirror each other.
  const random = new Random(seed ^ 0x5bd1e995);
  const header = '\ufeff' + HEADERED_HEADER.replaceAll(';', style.delimiter);
  return writeLines(path, header, rows, (row) => headeredRow(row, random, style), '\r\n');
}

/**
 * Writes a header and `rows` rows of a Spanish export (UTF-8 with BOM, CRLF, `;`, quoted cells
 * holding `;` and line breaks) to `path`. Rejects when the file cannot be written.
 */
export function generateHeaderedFile(
  path: string,
  rows: number,
  seed: number,
): Promise<GeneratedFile> {
  return writeExport(path, rows, seed, { delimiter: ';', quoteEveryRow: false });
}

/**
 * Writes the same export with `,` between cells and a quoted client cell in every row
 * (`"Pérez, Ana"`), as a spreadsheet writes names in "last, first" order. Rejects when the file
 * cannot be written.
 */
export function generateQuotedFile(
  path: string,
  rows: number,
  seed: number,
): Promise<GeneratedFile> {
  return writeExport(path, rows, seed, { delimiter: ',', quoteEveryRow: true });
}

const WORKBOOK_HEADER = [
  'Cliente',
  'Teléfono',
  'Celular',
  'Dirección',
  'Ciudad',
  'Prioridad',
  'Alta',
];
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2020, 0, 1);

/**
 * One row of an Excel sheet: the main number as text (its leading zero kept), the mobile as a
 * number (without it, as a spreadsheet stores a number typed in), the priority as a number and a
 * date formatted `dd/mm/yyyy`. Invalid rows as in the CSV export; a too-many-fields row has a
 * value right of the last header instead.
 */
function workbookRow(row: number, random: Random): ExcelJS.CellValue[] {
  const kind = rowKind(random);
  const main = mainFor(kind, row, random);
  const client = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const mobile = random.next() < 0.4 ? Number(mainNumber(row + 1)) : null;
  const address = `${random.pick(STREETS)} ${1 + random.below(4000)}`;
  const priority = random.next() < 0.9 ? null : 1 + random.below(10);
  const since = new Date(FIRST_DAY + random.below(2000) * DAY_MS);
  const cells = [client, main, mobile, address, random.pick(CITIES), priority, since];
  return kind === 'tooManyFields' ? [...cells, 'suelto'] : cells;
}

/**
 * Writes a workbook with one sheet, `Contactos`: a header and `rows` rows (see workbookRow),
 * strings shared as Excel writes them, with exceljs's streaming writer. Rejects when the file
 * cannot be written.
 */
export async function generateWorkbookFile(
  path: string,
  rows: number,
  seed: number,
): Promise<GeneratedFile> {
  const random = new Random(seed ^ 0x2f6b1c3d);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = book.addWorksheet('Contactos');
  sheet.getColumn(WORKBOOK_HEADER.length).numFmt = 'dd/mm/yyyy';
  sheet.addRow(WORKBOOK_HEADER).commit();
  for (let row = 0; row < rows; row++) sheet.addRow(workbookRow(row, random)).commit();
  sheet.commit();
  await book.commit();
  return { path, rows, bytes: statSync(path).size };
}
