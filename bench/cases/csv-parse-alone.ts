import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { argument, report } from './case-result.js';

/**
 * Cases 2 and 8: csv-parse alone, streaming, on a headered file, with the options a spreadsheet
 * export needs (BOM, its delimiter, any line ending, rows of any width); records counted, nothing
 * else.
 */
async function parseAll(path: string, delimiter: string): Promise<number> {
  const parser = createReadStream(path).pipe(
    parse({
      delimiter,
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  let records = 0;
  for await (const _record of parser) records++;
  return records;
}

const started = performance.now();
const records = await parseAll(argument(0, 'file'), argument(1, 'delimiter'));
// The header is a record too, but not a row.
report({ ms: performance.now() - started, rows: records - 1 });
