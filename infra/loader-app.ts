import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LoaderStack, PROJECT_ROOT } from './loader-stack.js';
import { readSettings } from './settings.js';

/** The feature flags `cdk synth` passes to the app, read from cdk.json. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * An app holding the loader stack, built as `cdk synth -c key=value ...` would build it (the
 * context must name `ucontactBaseUrl`). Throws ContextValueError for a wrong context value.
 */
export function loaderApp(
  context: Record<string, unknown>,
  props: Omit<AppProps, 'context'> = {},
): { app: App; stack: LoaderStack } {
  const app = new App({
    // The built-in schema checks run in the cdk-nag test; elsewhere they only cost seconds.
    builtinCloudFormationValidation: false,
    ...props,
    context: { ...cdkJsonContext(), ...context },
  });
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stack = new LoaderStack(app, 'UcontactLoader', { settings });
  return { app, stack };
}

/**
 * The loader stack's CloudFormation template as JSON, without bundling the function (its code is
 * the one thing a template does not describe; local tiers build it themselves). Throws
 * ContextValueError for a wrong context value.
 */
export function loaderTemplateJson(context: Record<string, unknown>): Record<string, unknown> {
  const { stack } = loaderApp({ ...context, 'aws:cdk:bundling-stacks': [] });
  return Template.fromStack(stack).toJSON();
}
