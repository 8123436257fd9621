import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { loaderTemplateJson } from '../../infra/loader-app.js';
import { startEmbeddedS3 } from '../../local-aws/embedded-s3.js';
import { LOCAL_BUCKET } from '../../local-aws/local-run.js';
import { readDeployedStack } from '../../local-aws/moto/deployed-stack.js';
import { startEventSource } from '../../local-aws/moto/event-source.js';
import { buildFunctionBundle } from '../../local-aws/moto/function-bundle.js';
import { invokeBundle } from '../../local-aws/moto/invoke-bundle.js';
import { createQueue, MOTO_REGION } from '../../local-aws/moto/moto-resources.js';
import { functionEnvironment, TEMPLATE_BASE_URL } from '../../local-aws/moto/moto-tier.js';
import { putFile } from '../../local-aws/put-file.js';
import { nextSequencer, s3PutNotification } from '../../local-aws/s3-event.js';
import { startSecretsEndpoint } from '../../local-aws/secrets-endpoint.js';
import { DEFAULT_SIMULATOR_OPTIONS, startSimulator } from '../../simulator/simulator.js';
import {
  type SoakBackend,
  type SoakInvoke,
  type SoakOptions,
  soakFunctionSettings,
} from './soak-types.js';

const SECRET_ID = `${LOCAL_BUCKET}/ucontact`;

/**
 * The soak's backend without moto: the embedded S3 (fauxqs behind the conditional-write layer),
 * fauxqs's own SQS for the events queue and its dead-letter queue (the stack's receive limit),
 * the local Secrets Manager and the simulator. The notification S3 would write is sent to the
 * queue after each put; the same event source invokes the same bundle. Rejects when a part cannot
 * start; the ones started are stopped first.
 */
export async function startEmbeddedBackend(
  options: SoakOptions,
  dir: string,
  invoke: SoakInvoke,
): Promise<SoakBackend> {
  const stack = readDeployedStack(loaderTemplateJson({ ucontactBaseUrl: TEMPLATE_BASE_URL }));
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const bundlePromise = buildFunctionBundle(dir);
    const storage = await startEmbeddedS3({ buckets: [LOCAL_BUCKET] });
    closers.push(storage.close);
    const user = DEFAULT_SIMULATOR_OPTIONS.users[0];
    const secrets = await startSecretsEndpoint({
      [SECRET_ID]: { user: user.user, password: user.password },
    });
    closers.push(secrets.close);
    const simulator = await startSimulator({ anyCampaign: true, keepText: true, log: () => {} });
    closers.push(simulator.close);
    const sqs = new SQSClient({
      endpoint: storage.endpoint,
      region: MOTO_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const queues = await createQueues(sqs, options, stack.queue.redrive.maxReceiveCount);
    const env = functionEnvironment(
      stack,
      { secretArn: SECRET_ID },
      { s3: storage.endpoint, secrets: secrets.endpoint, ucontact: simulator.url },
      {
        env: soakFunctionSettings(options),
        functionTimeoutSeconds: options.functionTimeoutSeconds,
      },
    );
    const bundle = await bundlePromise;
    const plain = (
      event: SQSEvent,
      signal: AbortSignal,
      extra?: Readonly<Record<string, string>>,
    ) =>
      invokeBundle(bundle, event, {
        env: { ...env, ...extra },
        timeoutMs: options.functionTimeoutSeconds * 1000,
        signal,
      });
    const source = startEventSource({
      sqs,
      queueUrl: queues.url,
      queueArn: queues.arn,
      batchSize: stack.eventSource.batchSize,
      concurrency: options.concurrency,
      reportBatchItemFailures: stack.eventSource.reportBatchItemFailures,
      deliveries: options.deliveries,
      invoke: (event, signal) => invoke(event, signal, plain),
    });
    closers.push(source.stop);
    const s3 = storage.client();
    return {
      kind: 'embedded',
      s3Endpoint: storage.endpoint,
      simulatorUrl: simulator.url,
      s3,
      sqs,
      bucket: LOCAL_BUCKET,
      resultsPrefix: env.RESULTS_PREFIX ?? 'results/',
      deadLetterQueueUrl: queues.deadLetterUrl,
      put: async (key, path) => {
        const stored = await putFile(s3, LOCAL_BUCKET, key, path);
        const object = { bucket: LOCAL_BUCKET, key, ...stored, sequencer: nextSequencer() };
        const body = JSON.stringify(s3PutNotification(object, stored.eventName));
        await sqs.send(new SendMessageCommand({ QueueUrl: queues.url, MessageBody: body }));
      },
      idle: async (timeoutMs) => void (await source.idle(timeoutMs)),
      settled: (timeoutMs) => source.settled(timeoutMs),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function createQueues(sqs: SQSClient, options: SoakOptions, maxReceiveCount: number) {
  const dead = await createQueue(sqs, `${LOCAL_BUCKET}-dead-letters`, {});
  const queue = await createQueue(sqs, `${LOCAL_BUCKET}-events`, {
    VisibilityTimeout: String(options.visibilitySeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dead.arn, maxReceiveCount }),
  });
  return { ...queue, deadLetterUrl: dead.url };
}
