import { parse } from 'csv-parse/sync';
import { InputFormat } from './contact.js';
import { guessRole, headerKey, looksLikePhone } from './map-columns.js';
import { type ColumnMapping, ColumnRole } from './options.js';
import { isBlank } from './split-lines.js';

/** How the engine will read a file, decided from its first lines. */
export interface FormatDetection {
  readonly format: InputFormat;
  readonly delimiter: string;
  /** Length of the `sep=X` line (with its line break) to skip at the start; 0 when none. */
  readonly sepLineLength: number;
}

const SEP_LINE = /^sep=([^\r\n])[ \t]*(?:\r\n|\r|\n|$)/i;
const CANDIDATES = [';', ',', '\t', '|'] as const;
const SAMPLE_RECORDS = 20;
const LEADING_DIGITS = /^\s*\+?\d{6,}/;

/**
 * Decides native or headered, and the delimiter, from the start of the text (`complete` when it is
 * the whole file). Returns undefined when that text holds nothing but blank lines. Never throws:
 * a file that fits neither format is called headered, and the header check explains what is wrong.
 */
export function detectFormat(
  head: string,
  complete: boolean,
  mapping?: ColumnMapping,
): FormatDetection | undefined {
  const sep = SEP_LINE.exec(head);
  const sepLineLength = sep ? sep[0].length : 0;
  const body = head.slice(sepLineLength);
  const sample = sampleRecords(body, complete);
  const first = sample.records[0];
  if (first === undefined) return undefined;
  const delimiter = sep ? sep[1]! : sniffDelimiter(sample.counts);
  const headered = { format: InputFormat.Headered, delimiter, sepLineLength };
  if (looksLikeHeader(splitCells(first, delimiter), mapping)) return headered;
  if (delimiter !== ';' && sep) return headered;
  const nativeLines = sample.records.filter(looksNative).length;
  if (looksNative(first) || nativeLines * 2 > sample.records.length) {
    return { format: InputFormat.Native, delimiter: ';', sepLineLength };
  }
  return headered;
}

/** A native line: `campaign;number;...`, the number possibly malformed but starting like one. */
function looksNative(line: string): boolean {
  const fields = line.split(';');
  if (fields.length < 2) return false;
  const main = fields[1]!;
  if (looksLikePhone(main) || LEADING_DIGITS.test(main)) return true;
  const firstAlternate = fields[3]?.split(':')[0] ?? '';
  return main.trim() === '' && looksLikePhone(firstAlternate);
}

/** A header row: no cell looks like a phone number and at least one names a known column. */
function looksLikeHeader(cells: readonly string[], mapping: ColumnMapping | undefined): boolean {
  if (cells.some(looksLikePhone)) return false;
  if (cells.some((cell) => guessRole(cell) !== ColumnRole.Variable)) return true;
  const mapped = mapping?.columns ? Object.keys(mapping.columns).map(headerKey) : [];
  return cells.some((cell) => mapped.includes(headerKey(cell)));
}

function splitCells(record: string, delimiter: string): string[] {
  let cells: string[];
  try {
    const rows = parse(record, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as string[][];
    cells = rows[0] ?? [];
  } catch {
    // A quote left open: the parser reports it on the row itself later.
    cells = record.split(delimiter);
  }
  return cells.map((cell) => cell.trim());
}

/**
 * The first non-blank records (quotes may hold line breaks), and for each candidate delimiter its
 * count outside quotes in each of them.
 */
function sampleRecords(
  text: string,
  complete: boolean,
): { records: string[]; counts: Map<string, number[]> } {
  const records: string[] = [];
  const counts = new Map<string, number[]>(CANDIDATES.map((c) => [c, []]));
  const current = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let inQuotes = false;
  let start = 0;
  const finish = (end: number): void => {
    const record = text.slice(start, end);
    if (!isBlank(record)) {
      records.push(record);
      for (const c of CANDIDATES) counts.get(c)!.push(current.get(c)!);
    }
    for (const c of CANDIDATES) current.set(c, 0);
  };
  for (let i = 0; i < text.length && records.length < SAMPLE_RECORDS; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (ch === '\n' || ch === '\r') {
      finish(i);
      if (ch === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    } else if (current.has(ch)) current.set(ch, current.get(ch)! + 1);
  }
  if (complete && records.length < SAMPLE_RECORDS && start < text.length) finish(text.length);
  return { records, counts };
}

/** The candidate found in the first record and then equally often in most others. */
function sniffDelimiter(counts: Map<string, number[]>): string {
  let best: string = ',';
  let bestScore = -1;
  for (const c of CANDIDATES) {
    const perRecord = counts.get(c)!;
    const inHeader = perRecord[0] ?? 0;
    if (inHeader === 0) continue;
    const consistent = perRecord.filter((n) => n === inHeader).length;
    const score = consistent * 1000 + Math.min(inHeader, 999);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
