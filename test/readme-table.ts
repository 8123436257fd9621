import { readFileSync } from 'node:fs';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/**
 * The body rows, as trimmed cells, of the first README table whose header row matches `header`,
 * looking only after the first `after` (a heading); throws when there is none.
 */
export function readmeTable(header: RegExp, after = ''): string[][] {
  const lines = README.slice(README.indexOf(after)).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|') && header.test(line));
  if (start < 0) throw new Error(`no README table headed ${header} after "${after.trim()}"`);
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return lines.slice(start + 2, end).map((line) =>
    line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim()),
  );
}
