import { pathToFileURL } from 'node:url';
import { localLambdaContext } from '../lambda-context.js';
import { RESPONSE_MARKER, RunnerEnv, USAGE_MARKER } from './bundle-protocol.js';

/**
 * One Lambda invocation of a built bundle, in a process of its own as Lambda's runtime does it:
 * `node bundle-runner.mjs <bundle>` with the SQS event on stdin. The handler is imported (a cold
 * start: a wrong environment fails here), called with a context counting down from
 * LOADER_INVOCATION_TIMEOUT_MS after the process started (when the caller kills it), and its
 * batch response printed as one marked line, then the process's peak memory. Exit 0 when
 * the handler returned, 1 when it threw or could not be loaded: a function error, after which
 * Lambda leaves every message of the batch to come back.
 */
async function main(): Promise<void> {
  const bundle = process.argv[2];
  if (bundle === undefined) throw new Error('usage: bundle-runner <bundle.mjs> < event.json');
  const event = JSON.parse(await readStdin()) as unknown;
  const module = (await import(pathToFileURL(bundle).href)) as {
    handler?: (event: unknown, context: unknown) => Promise<unknown>;
  };
  if (typeof module.handler !== 'function') throw new Error(`${bundle} exports no handler`);
  const timeoutMs = Number(process.env[RunnerEnv.TimeoutMs] ?? '') || undefined;
  // The caller kills the process at timeoutMs from its start: the import's time is spent already.
  const leftMs = timeoutMs === undefined ? undefined : timeoutMs - process.uptime() * 1000;
  const context = localLambdaContext({
    ...(leftMs === undefined ? {} : { timeoutMs: Math.max(0, Math.round(leftMs)) }),
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'contact-loader',
    memoryMb: Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '1024'),
  });
  const response = await module.handler(event, context);
  // The SDK's kept-alive sockets would hold the process; Lambda freezes it instead.
  exitWith(0, `${RESPONSE_MARKER}${JSON.stringify(response ?? null)}\n`);
}

/** Writes `text` and the process's peak memory on stdout, then exits with `code`. */
function exitWith(code: number, text = ''): void {
  const usage = { maxRssKiB: process.resourceUsage().maxRSS };
  process.stdout.write(`${text}${USAGE_MARKER}${JSON.stringify(usage)}\n`, () =>
    process.exit(code),
  );
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`function error: ${error instanceof Error ? error.stack : String(error)}\n`);
  exitWith(1);
});
