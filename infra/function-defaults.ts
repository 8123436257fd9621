import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTION_BUNDLING, FUNCTION_NODE_OPTIONS } from './function-bundling.js';

export interface DefaultNodejsFunctionProps {
  /** The TypeScript file exporting `handler`. */
  readonly entry: string;
  /** The folder holding package.json and package-lock.json. */
  readonly projectRoot: string;
  /** Merged over the defaults (`NODE_OPTIONS`); a caller's entry wins. @default - none */
  readonly environment?: Record<string, string>;
  /** @default - what Lambda shows in the console is the construct path */
  readonly description?: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Size.mebibytes(512) */
  readonly ephemeralStorageSize?: Size;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * A Node.js function with the project's defaults: the newest Node runtime this aws-cdk-lib
 * offers, arm64, a minified ESM bundle with source maps (enabled at run time), its own log
 * group with a retention, and a role that may write only to that log group.
 */
export class DefaultNodejsFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: DefaultNodejsFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy, which may write
    // to every log group in the account.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      ...(props.description === undefined ? {} : { description: props.description }),
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 512,
      ephemeralStorageSize: props.ephemeralStorageSize ?? Size.mebibytes(512),
      role,
      logGroup,
      ...(props.description === undefined ? {} : { description: props.description }),
      environment: { NODE_OPTIONS: FUNCTION_NODE_OPTIONS, ...props.environment },
      bundling: FUNCTION_BUNDLING,
    });
  }
}
