import { CfnResource, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Gives every Lambda function of the stack that has no log group of its own a log group with a
 * retention, as `LoggingConfig`. CDK's deploy-time handlers (the bucket-notifications one, an
 * auto-delete one) are raw `AWS::Lambda::Function` resources: left alone, Lambda creates
 * `/aws/lambda/<name>` on their first run and keeps it forever. Call it once every construct is
 * added; it cannot fail.
 */
export function giveHandlersLogGroups(stack: Stack, retention: RetentionDays): void {
  const functions = stack.node
    .findAll()
    .filter(
      (child): child is CfnResource =>
        child instanceof CfnResource && child.cfnResourceType === 'AWS::Lambda::Function',
    );
  for (const fn of functions) {
    if (fn instanceof CfnFunction && fn.loggingConfig !== undefined) continue;
    // CDK's handlers are the `Resource` of a construct named for them.
    const owner = fn.node.id === 'Resource' ? (fn.node.scope ?? fn) : fn;
    const logGroup = new LogGroup(stack, `${owner.node.id}Logs`, {
      retention,
      // As the function's own: `cdk destroy` keeps log groups (README, Removing).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    fn.addPropertyOverride('LoggingConfig.LogGroup', logGroup.logGroupName);
  }
}
