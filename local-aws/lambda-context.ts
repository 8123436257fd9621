import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** Lambda's longest timeout, the deployed function's. */
export const LAMBDA_TIMEOUT_MS = 15 * 60 * 1000;

/** What a local invocation tells the handler about itself, as Lambda's context does. */
export interface LambdaContextOptions {
  readonly timeoutMs?: number;
  readonly functionName?: string;
  readonly memoryMb?: number;
}

/**
 * A Lambda context whose remaining time counts down from `timeoutMs` (15 minutes by default)
 * from now. It cannot fail.
 */
export function localLambdaContext(options: LambdaContextOptions | number = {}): Context {
  const {
    timeoutMs = LAMBDA_TIMEOUT_MS,
    functionName = 'contact-loader',
    memoryMb = 1024,
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
