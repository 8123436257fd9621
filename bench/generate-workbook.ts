import { generateWorkbookFile } from './generate-files.js';

// Run as its own process by run.ts: writing a 1M-row workbook takes the writer's process to about
// 350 MB, and on Linux a child's peak RSS starts from its parent's at spawn time (the high-water
// mark is kept across exec), so generating it in the parent would inflate every case's peak.
const [path, rows, seed] = process.argv.slice(2);
if (path === undefined || rows === undefined || seed === undefined) {
  process.stderr.write('usage: generate-workbook.ts <path> <rows> <seed>\n');
  process.exit(2);
}
const file = await generateWorkbookFile(path, Number(rows), Number(seed));
process.stdout.write(`${JSON.stringify(file)}\n`);
