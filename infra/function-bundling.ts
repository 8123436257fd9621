import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * ESM bundles keep CommonJS dependencies working by giving them a `require`. Named so that
 * esbuild's own `__require` shim and bundled code never collide with it.
 */
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __loaderCreateRequire } from 'node:module'; const require = __loaderCreateRequire(import.meta.url);";

/**
 * How every function is bundled: a minified ESM bundle for the Lambda runtime, with source maps.
 * The benchmark bundles the handler with these same settings to measure its size and cold start.
 */
export const FUNCTION_BUNDLING: Readonly<BundlingOptions> = {
  minify: true,
  sourceMap: true,
  // Maps without embedded sources: stack traces need only file names and lines.
  sourcesContent: false,
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: CREATE_REQUIRE_BANNER,
  // The AWS SDK is bundled at the versions the tests ran against, not taken from the
  // runtime, whose copy changes without notice (the SDK's and Powertools' advice).
  bundleAwsSDK: true,
  externalModules: [],
};

/** Source maps are read only when Node is asked to: the functions' NODE_OPTIONS. */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';
