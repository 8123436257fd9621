import { looksLikePhone } from './map-columns.js';

const QUOTE = 34;

/** The columns a line is compared with: how many the header has, and which one holds the phone. */
export interface RowShape {
  readonly columns: number;
  readonly phone: number;
}

/**
 * Whether a line that a quoted cell begun on an earlier line runs into is, read on its own, a row
 * of its own, which makes that cell's quote a stray one: a value in the phone column's place that
 * looks like a phone number, on a line of at least two cells (one in a file of one column); or at
 * least a full row's worth of cells with nothing in the phone column's place. Lines of an address
 * or a note seldom start with a phone number and a delimiter, and the line on which a cell closes
 * as a cell closes is not judged at all (CsvRecordSplitter). Never throws.
 */
export function readsAsRow(line: string, delimiter: string, shape: RowShape): boolean {
  const { cells, phone } = readLine(line, delimiter.charCodeAt(0), shape.phone);
  if (phone.trim() === '') return shape.columns >= 2 && cells >= shape.columns;
  return (cells >= 2 || shape.columns === 1) && looksLikePhone(phone);
}

/**
 * The number of cells of `line` read as a record of its own (a quote opens a cell only at its
 * start, `""` inside one is a quote), and the cell at `column` ('' when the line is shorter).
 */
function readLine(
  line: string,
  delimiter: number,
  column: number,
): { cells: number; phone: string } {
  let cells = 1;
  let cellStart = 0;
  let inQuotes = false;
  let phone = '';
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inQuotes) {
      if (c !== QUOTE) continue;
      if (line.charCodeAt(i + 1) === QUOTE) i++;
      else inQuotes = false;
    } else if (c === QUOTE && i === cellStart) {
      inQuotes = true;
    } else if (c === delimiter) {
      if (cells - 1 === column) phone = cellValue(line, cellStart, i);
      cells++;
      cellStart = i + 1;
    }
  }
  if (cells - 1 === column) phone = cellValue(line, cellStart, line.length);
  return { cells, phone };
}

/** A cell's text; a quoted cell's without its quotes. */
function cellValue(line: string, start: number, end: number): string {
  if (line.charCodeAt(start) !== QUOTE) return line.slice(start, end);
  const close = end - 1 > start && line.charCodeAt(end - 1) === QUOTE ? end - 1 : end;
  return line.slice(start + 1, close).replaceAll('""', '"');
}
