import { pathToFileURL } from 'node:url';
import { argument, report } from './case-result.js';

/**
 * Case 6's child: the time to import the bundled handler in a fresh process, as a cold start does
 * (Lambda's own runtime start-up is not counted). The handler reads its settings at import, so
 * the parent passes a valid environment.
 */
const bundle = argument(0, 'bundle');
const started = performance.now();
const module = (await import(pathToFileURL(bundle).href)) as { handler?: unknown };
const ms = performance.now() - started;
if (typeof module.handler !== 'function') throw new Error(`${bundle} exports no handler`);
report({ ms, rows: 0 });
