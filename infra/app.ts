import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ContextValueError } from './errors.js';
import { LoaderStack } from './loader-stack.js';
import { readSettings, readStackName } from './settings.js';

const app = new App();
try {
  const context = (key: string): unknown => app.node.tryGetContext(key);
  const settings = readSettings(context);
  const stackName = readStackName(context);
  // Environment-agnostic unless the CLI knows the account: synthesis never needs credentials.
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  new LoaderStack(app, stackName, {
    settings,
    ...(account && region ? { env: { account, region } } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
} catch (error) {
  if (!(error instanceof ContextValueError)) throw error;
  // One line for a user's mistake, no stack trace.
  console.error(error.message);
  process.exitCode = 1;
}
