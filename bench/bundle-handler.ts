import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../infra/function-bundling.js';

export interface HandlerBundle {
  /** The bundle Lambda would load (`index.mjs`). */
  readonly path: string;
  readonly bytes: number;
  readonly sourceMapBytes: number;
}

/** The bundling settings this translation applies; any other one must be added here first. */
const APPLIED = new Set([
  'minify',
  'sourceMap',
  'sourcesContent',
  'format',
  'target',
  'mainFields',
  'banner',
  'bundleAwsSDK',
  'externalModules',
]);

/**
 * esbuild options equal to the command line CDK's NodejsFunction runs for `bundling` (see
 * aws-lambda-nodejs' Bundling.buildEsbuildArgs). Throws when a setting is not translated, so the
 * benchmark never measures a bundle the stack would not build.
 */
export function esbuildOptionsFor(bundling: Readonly<BundlingOptions>): BuildOptions {
  const unknown = Object.keys(bundling).filter((key) => !APPLIED.has(key));
  if (unknown.length > 0) {
    throw new Error(`bench/bundle-handler.ts does not apply the bundling settings: ${unknown}`);
  }
  if (bundling.target === undefined) throw new Error('the bundling settings name no target');
  const externals =
    bundling.externalModules ?? (bundling.bundleAwsSDK === true ? [] : ['@aws-sdk/*']);
  return {
    bundle: true,
    platform: 'node',
    target: bundling.target,
    ...(bundling.format === undefined ? {} : { format: bundling.format }),
    minify: bundling.minify === true,
    sourcemap: bundling.sourceMap === true,
    sourcesContent: bundling.sourcesContent ?? true,
    external: [...externals],
    ...(bundling.banner === undefined ? {} : { banner: { js: bundling.banner } }),
    ...(bundling.mainFields === undefined ? {} : { mainFields: [...bundling.mainFields] }),
    logLevel: 'warning',
  };
}

/**
 * Bundles the contact-loader handler with the stack's bundling settings into `outDir`. Rejects
 * when esbuild fails.
 */
export async function bundleHandler(projectRoot: string, outDir: string): Promise<HandlerBundle> {
  const path = join(outDir, FUNCTION_BUNDLING.format === 'esm' ? 'index.mjs' : 'index.js');
  await build({
    ...esbuildOptionsFor(FUNCTION_BUNDLING),
    absWorkingDir: projectRoot,
    entryPoints: [join(projectRoot, 'functions/contact-loader/index.ts')],
    outfile: path,
  });
  const [code, map] = await Promise.all([stat(path), stat(`${path}.map`)]);
  return { path, bytes: code.size, sourceMapBytes: map.size };
}
