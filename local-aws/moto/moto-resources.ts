import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localS3Client } from '../embedded-s3.js';
import type { DeployedStack, TemplateValue } from './deployed-stack.js';
import { MotoTierError, MotoTierErrorCode } from './errors.js';

/** moto's default region and the dummy credentials every client of the tier signs with. */
export const MOTO_REGION = 'us-east-1';
const MOTO_CREDENTIALS = { accessKeyId: 'moto', secretAccessKey: 'moto' };

/** The tier's clients of one moto_server. */
export interface MotoClients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly secrets: SecretsManagerClient;
}

/** Clients of every service the tier uses, pointed at `endpoint`. */
export function motoClients(endpoint: string): MotoClients {
  const common = { endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS };
  return {
    s3: localS3Client(endpoint),
    sqs: new SQSClient(common),
    secrets: new SecretsManagerClient(common),
  };
}

/** What was created in moto, named as its clients need. */
export interface MotoResources {
  readonly bucket: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly secretArn: string;
  /** The queue's visibility timeout as created (the template's, unless overridden). */
  readonly visibilityTimeoutSeconds: number;
}

export interface CreateResourcesOptions {
  /** At least 3 characters (S3 and moto refuse shorter names); the queues are named after it. */
  readonly bucket: string;
  /** The secret's value, as an operator fills it in after deploying. */
  readonly credentials: { readonly user: string; readonly password: string };
  /**
   * Replaces the template's visibility timeout (seconds), so a failed message comes back sooner
   * than a deployed one would; every other setting is the template's.
   */
  readonly visibilityTimeoutSeconds?: number;
}

/**
 * Creates in moto what the stack declares for a dropped file's path: the bucket (versioned when
 * the template says so), the dead-letter queue, the events queue with its redrive policy, the
 * bucket's queue notification rules, and the secret. Rejects with the SDK's error when moto
 * refuses one, or MotoTierError when the template's stack cannot be mapped onto them.
 */
export async function createDeployedResources(
  clients: MotoClients,
  stack: DeployedStack,
  options: CreateResourcesOptions,
): Promise<MotoResources> {
  const { s3, sqs } = clients;
  const bucket = options.bucket;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (stack.bucket.versioned) {
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
  }
  const dlq = await createQueue(
    sqs,
    `${bucket}-dead-letters`,
    queueAttributes(stack.deadLetterQueue),
  );
  const visibility = options.visibilityTimeoutSeconds ?? stack.queue.visibilityTimeoutSeconds ?? 30;
  const queue = await createQueue(sqs, `${bucket}-events`, {
    ...queueAttributes(stack.queue),
    VisibilityTimeout: String(visibility),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: stack.queue.redrive.maxReceiveCount,
    }),
  });
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: stack.notifications.map((rule) => {
          if (rule.queueId !== stack.queue.logicalId) {
            throw new MotoTierError(
              MotoTierErrorCode.TemplateShape,
              `template: a notification rule sends to ${rule.queueId}, not to the events queue`,
            );
          }
          return {
            QueueArn: queue.arn,
            Events: rule.events as never[],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'prefix', Value: rule.prefix },
                  { Name: 'suffix', Value: rule.suffix },
                ],
              },
            },
          };
        }),
      },
    }),
  );
  const secret = await clients.secrets.send(
    new CreateSecretCommand({
      Name: `${bucket}/ucontact`,
      SecretString: JSON.stringify(options.credentials),
    }),
  );
  return {
    bucket,
    queueUrl: queue.url,
    queueArn: queue.arn,
    deadLetterQueueUrl: dlq.url,
    secretArn: secret.ARN ?? '',
    visibilityTimeoutSeconds: visibility,
  };
}

function queueAttributes(queue: {
  readonly messageRetentionSeconds: number | undefined;
  readonly visibilityTimeoutSeconds: number | undefined;
}): Record<string, string> {
  return {
    ...(queue.messageRetentionSeconds === undefined
      ? {}
      : { MessageRetentionPeriod: String(queue.messageRetentionSeconds) }),
    ...(queue.visibilityTimeoutSeconds === undefined
      ? {}
      : { VisibilityTimeout: String(queue.visibilityTimeoutSeconds) }),
  };
}

/** Creates a queue and reads its ARN; rejects with the SDK's error. */
export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  const created = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const url = created.QueueUrl ?? '';
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: Attributes?.QueueArn ?? '' };
}

/**
 * The function's environment as the stack sets it, with the template's references resolved to
 * what was created: the secret's `Ref` becomes its ARN in moto. Throws MotoTierError for a
 * reference to anything else.
 */
export function resolveEnvironment(
  stack: DeployedStack,
  resources: Pick<MotoResources, 'secretArn'>,
): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(stack.fn.environment)) {
    resolved[name] = resolveValue(name, value, stack, resources);
  }
  return resolved;
}

function resolveValue(
  name: string,
  value: TemplateValue,
  stack: DeployedStack,
  resources: Pick<MotoResources, 'secretArn'>,
): string {
  if (typeof value !== 'object') return String(value);
  const ref = (value as { Ref?: unknown }).Ref;
  if (stack.secret !== undefined && ref === stack.secret.logicalId) return resources.secretArn;
  throw new MotoTierError(
    MotoTierErrorCode.TemplateShape,
    `template: the function's ${name} is ${JSON.stringify(value)}, which the moto tier cannot resolve`,
  );
}
