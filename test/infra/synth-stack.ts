import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LoaderStack, PROJECT_ROOT } from '../../infra/loader-stack.js';
import { readSettings } from '../../infra/settings.js';

export const BASE_URL = 'https://demo.ucontactcloud.com';

/** The feature flags `cdk synth` passes to the app, read from cdk.json. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** An app holding the loader stack, built as `cdk synth -c key=value ...` would build it. */
export function loaderApp(
  context: Record<string, unknown>,
  props: Omit<AppProps, 'context'> = {},
): { app: App; stack: LoaderStack } {
  const app = new App({
    // The built-in schema checks run in the cdk-nag test; elsewhere they only cost seconds.
    builtinCloudFormationValidation: false,
    ...props,
    context: { ...cdkJsonContext(), ucontactBaseUrl: BASE_URL, ...context },
  });
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stack = new LoaderStack(app, 'UcontactLoader', { settings });
  return { app, stack };
}

/** The loader stack's template for the given context values. */
export function loaderTemplate(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(loaderApp(context).stack);
}
