import { createReadStream } from 'node:fs';
import { argument, report } from './case-result.js';

/**
 * Case 1, the floor: the least work any reader of the file must do. Reads the bytes as the
 * engine does (a file stream, 64 KiB chunks), decodes UTF-8, splits lines and splits each line
 * into fields; no validation, no output.
 */
async function scan(path: string): Promise<{ rows: number; fields: number }> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let rows = 0;
  let fields = 0;
  const take = (line: string) => {
    if (line.length === 0) return;
    rows++;
    fields += line.split(';').length;
  };
  for await (const bytes of createReadStream(path)) {
    const text = rest + decoder.decode(bytes as Buffer, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      take(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  take(rest + decoder.decode());
  return { rows, fields };
}

const started = performance.now();
const { rows, fields } = await scan(argument(0, 'file'));
report({ ms: performance.now() - started, rows, extra: { fields } });
