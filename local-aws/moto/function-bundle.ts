import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleHandler, type HandlerBundle } from '../../bench/bundle-handler.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The contact-loader as Lambda runs it, and the script that invokes it once in a process. */
export interface FunctionBundle {
  readonly handler: HandlerBundle;
  /** `node <runner> <handler.path>` runs one invocation (see bundle-runner.ts). */
  readonly runner: string;
}

/**
 * Builds into `outDir` the handler bundle, with the stack's own esbuild settings (the builder the
 * benchmark uses), and the runner beside it, plain JavaScript for any Node from 20 on. Rejects
 * when esbuild fails.
 */
export async function buildFunctionBundle(outDir: string): Promise<FunctionBundle> {
  await mkdir(outDir, { recursive: true });
  const runner = join(outDir, 'bundle-runner.mjs');
  const [handler] = await Promise.all([
    bundleHandler(PROJECT_ROOT, join(outDir, 'function')),
    build({
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [join(PROJECT_ROOT, 'local-aws/moto/bundle-runner.ts')],
      outfile: runner,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    }),
  ]);
  return { handler, runner };
}
