// A process that opens a workbook (its sheets spooled under TMPDIR) and dies while reading it, as
// a killed runtime would: it says "open" on stdout, then waits for the test's SIGKILL.
import { openWorkbook } from '../../functions/contacts/read-workbook.js';
import { engineOptions, inPieces } from '../unit/contacts/run-engine.js';
import { workbook } from '../unit/contacts/workbooks.js';

const book = await workbook({ name: 'Hoja1', rows: [['telefono'], ['099123456']] });
await openWorkbook(inPieces(book), engineOptions({ sourceName: 'lista.xlsx' }));
process.stdout.write('open\n');
setInterval(() => undefined, 60_000);
