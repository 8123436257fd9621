import type { App, AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loaderApp as buildLoaderApp } from '../../infra/loader-app.js';
import type { LoaderStack } from '../../infra/loader-stack.js';

export const BASE_URL = 'https://demo.ucontactcloud.com';

/** An app holding the loader stack, built as `cdk synth -c key=value ...` would build it. */
export function loaderApp(
  context: Record<string, unknown>,
  props: Omit<AppProps, 'context'> = {},
): { app: App; stack: LoaderStack } {
  return buildLoaderApp({ ucontactBaseUrl: BASE_URL, ...context }, props);
}

/** The loader stack's template for the given context values. */
export function loaderTemplate(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(loaderApp(context).stack);
}
