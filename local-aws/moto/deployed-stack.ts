import { MotoTierError, MotoTierErrorCode } from './errors.js';

/** A value of the template: a literal, or an intrinsic (`Ref`, `Fn::GetAtt`...) left as it is. */
export type TemplateValue = string | number | boolean | Record<string, unknown>;

/** One queue notification rule of the bucket. */
export interface NotificationRule {
  readonly events: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
  /** Logical ID of the queue it sends to. */
  readonly queueId: string;
}

/** What the stack declares for the path a dropped file takes, read from its template. */
export interface DeployedStack {
  readonly bucket: { readonly versioned: boolean };
  readonly queue: QueueShape & {
    readonly logicalId: string;
    /** The dead-letter queue and after how many receives a message goes there. */
    readonly redrive: { readonly deadLetterQueueId: string; readonly maxReceiveCount: number };
  };
  readonly deadLetterQueue: QueueShape & { readonly logicalId: string };
  readonly notifications: readonly NotificationRule[];
  /** The event source mapping from the queue to the function. */
  readonly eventSource: {
    readonly batchSize: number;
    readonly reportBatchItemFailures: boolean;
    readonly maxConcurrency: number | undefined;
  };
  readonly fn: {
    readonly environment: Readonly<Record<string, TemplateValue>>;
    readonly timeoutSeconds: number;
    readonly memoryMb: number;
    readonly ephemeralStorageMb: number | undefined;
    readonly runtime: string;
  };
  /** The secret the stack creates (absent when it imports one). */
  readonly secret: { readonly logicalId: string } | undefined;
}

export interface QueueShape {
  readonly visibilityTimeoutSeconds: number | undefined;
  readonly messageRetentionSeconds: number | undefined;
}

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
type Props = Record<string, unknown>;

/**
 * Reads the deployed path (bucket, queues, notification rules, event source mapping, the
 * contact-loader function, the secret) from the loader stack's synthesized template. Throws
 * MotoTierError (TEMPLATE_SHAPE) when one of them is missing or not as expected.
 */
export function readDeployedStack(template: Record<string, unknown>): DeployedStack {
  const resources = (template.Resources ?? {}) as Record<string, Resource>;
  const mapping = only(resources, 'AWS::Lambda::EventSourceMapping');
  const queueId = getAttId(mapping.props.EventSourceArn, 'event source mapping');
  const functionId = refId(mapping.props.FunctionName, 'event source mapping');
  const queue = byId(resources, queueId, 'AWS::SQS::Queue');
  const redrive = queue.RedrivePolicy as {
    deadLetterTargetArn?: unknown;
    maxReceiveCount?: unknown;
  };
  if (typeof redrive?.maxReceiveCount !== 'number') shape('the events queue has no redrive policy');
  const deadLetterQueueId = getAttId(redrive.deadLetterTargetArn, 'redrive policy');
  const fn = byId(resources, functionId, 'AWS::Lambda::Function');
  const bucket = bucketOf(resources);
  const scaling = mapping.props.ScalingConfig as { MaximumConcurrency?: number } | undefined;
  const secrets = Object.keys(resources).filter(
    (id) => resources[id]?.Type === 'AWS::SecretsManager::Secret',
  );
  return {
    bucket: {
      versioned:
        (bucket.props.VersioningConfiguration as { Status?: string } | undefined)?.Status ===
        'Enabled',
    },
    queue: {
      logicalId: queueId,
      ...queueShape(queue),
      redrive: { deadLetterQueueId, maxReceiveCount: redrive.maxReceiveCount },
    },
    deadLetterQueue: {
      logicalId: deadLetterQueueId,
      ...queueShape(byId(resources, deadLetterQueueId, 'AWS::SQS::Queue')),
    },
    notifications: notificationRules(resources),
    eventSource: {
      batchSize: Number(mapping.props.BatchSize ?? 10),
      reportBatchItemFailures: ((mapping.props.FunctionResponseTypes ?? []) as string[]).includes(
        'ReportBatchItemFailures',
      ),
      maxConcurrency: scaling?.MaximumConcurrency,
    },
    fn: {
      environment: ((fn.Environment as { Variables?: Record<string, TemplateValue> } | undefined)
        ?.Variables ?? {}) as Record<string, TemplateValue>,
      timeoutSeconds: Number(fn.Timeout ?? 3),
      memoryMb: Number(fn.MemorySize ?? 128),
      ephemeralStorageMb: (fn.EphemeralStorage as { Size?: number } | undefined)?.Size,
      runtime: String(fn.Runtime),
    },
    secret: secrets.length === 1 ? { logicalId: secrets[0]! } : undefined,
  };
}

/** The queue rules of the stack's bucket notifications, as S3 would be configured with them. */
function notificationRules(resources: Record<string, Resource>): NotificationRule[] {
  const custom = only(resources, 'Custom::S3BucketNotifications');
  const configuration = custom.props.NotificationConfiguration as {
    QueueConfigurations?: {
      Events: string[];
      QueueArn: unknown;
      Filter?: { Key?: { FilterRules?: { Name: string; Value: string }[] } };
    }[];
  };
  return (configuration.QueueConfigurations ?? []).map((rule) => {
    const filters = rule.Filter?.Key?.FilterRules ?? [];
    const value = (name: string) =>
      filters.find((filter) => filter.Name.toLowerCase() === name)?.Value ?? '';
    return {
      events: rule.Events,
      prefix: value('prefix'),
      suffix: value('suffix'),
      queueId: getAttId(rule.QueueArn, 'a notification rule'),
    };
  });
}

function bucketOf(resources: Record<string, Resource>): { props: Props } {
  const custom = only(resources, 'Custom::S3BucketNotifications');
  const bucketId = refId(custom.props.BucketName, 'bucket notifications');
  return { props: byId(resources, bucketId, 'AWS::S3::Bucket') };
}

function queueShape(props: Props): QueueShape {
  const seconds = (value: unknown) => (typeof value === 'number' ? value : undefined);
  return {
    visibilityTimeoutSeconds: seconds(props.VisibilityTimeout),
    messageRetentionSeconds: seconds(props.MessageRetentionPeriod),
  };
}

function only(resources: Record<string, Resource>, type: string): { id: string; props: Props } {
  const found = Object.entries(resources).filter(([, resource]) => resource.Type === type);
  if (found.length !== 1) shape(`the template holds ${found.length} ${type}, not one`);
  const [id, resource] = found[0]!;
  return { id, props: resource.Properties ?? {} };
}

function byId(resources: Record<string, Resource>, id: string, type: string): Props {
  const resource = resources[id];
  if (resource?.Type !== type) shape(`${id} is not a ${type} of the template`);
  return resource.Properties ?? {};
}

function refId(value: unknown, where: string): string {
  const ref = (value as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref !== 'string') shape(`${where}: expected a Ref to a resource of the stack`);
  return ref;
}

function getAttId(value: unknown, where: string): string {
  const att = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  if (!Array.isArray(att) || typeof att[0] !== 'string') {
    shape(`${where}: expected Fn::GetAtt of a resource of the stack`);
  }
  return att[0];
}

function shape(message: string): never {
  throw new MotoTierError(MotoTierErrorCode.TemplateShape, `template: ${message}`);
}
