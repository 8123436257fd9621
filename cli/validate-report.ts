import type { Chunk } from '../functions/contacts/chunk.js';
import { NO_COUNTS, type Rejection, reportedInput } from '../functions/contacts/contact.js';
import type { UnusableFileError } from '../functions/contacts/errors.js';
import { type ColumnReading, maskedColumns } from '../functions/contacts/map-columns.js';
import type { ChunkCeilings } from '../functions/contacts/options.js';
import type { EngineSummary } from '../functions/contacts/process-contacts.js';

/** Rejections and chunks listed in the human summary; `--json` and `--rejected` give more. */
const SHOWN_REJECTIONS = 10;
const SHOWN_CHUNKS = 10;
const SHOWN_COLUMNS = 30;
/** Header names longer than this are cut in the human summary. */
const HEADER_WIDTH = 32;

/** What `validate` prints: a summary for people, or one JSON object for programs. */
export class ValidateReport {
  readonly rejections: Rejection[] = [];
  private readonly chunks: Array<{ records: number; bytes: number; requestBytes: number }> = [];
  private readonly file: string;
  private readonly campaign: string;
  private readonly ceilings: ChunkCeilings;

  constructor(file: string, campaign: string, ceilings: ChunkCeilings) {
    this.file = file;
    this.campaign = campaign;
    this.ceilings = ceilings;
  }

  addChunk(chunk: Chunk): void {
    this.chunks.push({
      records: chunk.records,
      bytes: chunk.bytes,
      requestBytes: chunk.requestBytes,
    });
  }

  print(summary: EngineSummary, json: boolean): void {
    process.stdout.write(json ? this.json(summary) : this.text(summary));
  }

  /** The file was refused as a whole: one line on stderr, and the JSON object when asked for. */
  printRefusal(error: UnusableFileError, json: boolean): void {
    process.stderr.write(`error: file refused (${error.code}): ${error.message}\n`);
    if (!json) return;
    const result = {
      input: null,
      columns: null,
      counts: NO_COUNTS,
      rejections: [],
      chunks: [],
      error: { code: error.code, message: error.message },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }

  /** The `--json` object, for commands that print it with more fields (`upload`). */
  result(summary: EngineSummary) {
    return {
      input: reportedInput(summary.input),
      columns: maskedColumns(summary.columns),
      counts: summary.counts,
      rejections: this.rejections.map(({ line, code, message }) => ({ line, code, message })),
      chunks: this.chunks.map(({ records, bytes }) => ({ records, bytes })),
      changes: summary.changes,
      rejectionCodes: summary.rejectionCodes,
      warnings: summary.warnings,
      ...(summary.suppression ? { suppression: summary.suppression } : {}),
    };
  }

  private json(summary: EngineSummary): string {
    return `${JSON.stringify(this.result(summary), null, 2)}\n`;
  }

  private text(summary: EngineSummary): string {
    const { input, counts } = summary;
    const lines = [
      `${this.file} for campaign ${this.campaign}`,
      input.container === 'xlsx'
        ? `  format     ${input.format}, ${input.container} sheet "${input.sheet}"`
        : `  format     ${input.format}, ${input.encoding}, delimiter ${showDelimiter(input.delimiter)}` +
          (input.compression === 'gzip' ? ', gzip' : ''),
      `  lines      ${n(counts.lines)} = ${n(counts.header)} header + ${n(counts.rows)} rows + ` +
        `${n(counts.blank)} blank + ${n(counts.joined)} joined (line breaks inside quoted cells)`,
      `  rows       ${n(counts.rows)}`,
      `  accepted   ${n(counts.accepted)} (${n(counts.modified)} modified to fit)`,
      `  rejected   ${n(counts.rejected)} (${n(counts.duplicates)} duplicates` +
        (counts.suppressed === undefined ? ')' : `, ${n(counts.suppressed)} suppressed)`),
    ];
    const changes = tally(summary.changes);
    if (changes) lines.push(`  changes    ${changes}`);
    const codes = tally(summary.rejectionCodes);
    if (codes) lines.push(`  refusals   ${codes}`);
    for (const list of summary.suppression ?? []) {
      const bad = list.badLines > 0 ? `, ${n(list.badLines)} lines without a number` : '';
      lines.push(
        `  suppress   "${list.list}": ${n(list.numbers)} numbers${bad}; ${n(list.hits)} hits`,
      );
    }
    for (const warning of summary.warnings) lines.push(`  warning    ${warning.message}`);
    if (summary.columns) lines.push('', 'Columns read:', ...columnLines(summary.columns));
    if (this.rejections.length > 0) {
      lines.push('', 'First rejections:');
      for (const r of this.rejections.slice(0, SHOWN_REJECTIONS)) {
        lines.push(`  line ${String(r.line).padEnd(8)} ${r.code.padEnd(19)} ${r.message}`);
      }
      const more = counts.rejected - Math.min(SHOWN_REJECTIONS, this.rejections.length);
      if (more > 0) lines.push(`  ... and ${n(more)} more (--rejected <file> lists them all)`);
    }
    lines.push('', this.chunkHeading());
    this.chunks.slice(0, SHOWN_CHUNKS).forEach((chunk, i) => {
      lines.push(
        `  part ${String(i + 1).padEnd(4)} ${n(chunk.records).padStart(9)} contacts  ` +
          `${size(chunk.bytes).padStart(10)} (request ${size(chunk.requestBytes)})`,
      );
    });
    if (this.chunks.length > SHOWN_CHUNKS) {
      lines.push(
        `  ... and ${this.chunks.length - SHOWN_CHUNKS} more parts (--json lists them all)`,
      );
    }
    if (counts.accepted === 0) lines.push('', 'Nothing in this file can be loaded.');
    return `${lines.join('\n')}\n`;
  }

  private chunkHeading(): string {
    const { maxRecords, maxRequestBytes } = this.ceilings;
    const count = this.chunks.length;
    const limits = `at most ${n(maxRecords)} contacts and ${size(maxRequestBytes)} per request`;
    return count === 0
      ? 'An upload would send nothing.'
      : `An upload would send ${count} part${count === 1 ? '' : 's'} (${limits}):`;
  }
}

function columnLines(columns: readonly ColumnReading[]): string[] {
  const shown = maskedColumns(columns.slice(0, SHOWN_COLUMNS))!.map(({ header, role }) => {
    const name = header === '' ? '(empty)' : header;
    return [name.length > HEADER_WIDTH ? `${name.slice(0, HEADER_WIDTH - 3)}...` : name, role];
  });
  const width = Math.max(...shown.map(([name]) => name!.length));
  const lines = shown.map(([name, role]) => `  ${name!.padEnd(width)}  ${role}`);
  const more = columns.length - shown.length;
  if (more > 0) lines.push(`  ... and ${more} more (--json lists them all)`);
  return lines;
}

function tally(counts: Partial<Record<string, number>>): string {
  return Object.entries(counts)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([key, count]) => `${key} ${n(count ?? 0)}`)
    .join(', ');
}

function showDelimiter(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}
