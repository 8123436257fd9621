import { readFile } from 'node:fs/promises';
import { DEFAULT_ENGINE_OPTIONS } from '../../functions/contacts/options.js';
import { SuppressionList } from '../../functions/contacts/suppression-list.js';
import { argument, report } from './case-result.js';

/** Case 9: a compiled list read back at the start of a drop (from temporary storage). */
const compiled = argument(0, 'compiled file');
const started = performance.now();
const list = SuppressionList.decode(await readFile(compiled), DEFAULT_ENGINE_OPTIONS);
const ms = performance.now() - started;
report({ ms, rows: list.numbers, extra: { numbers: list.numbers } });
