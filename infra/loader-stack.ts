import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PROFILES_KEY } from './bucket-layout.js';
import { grantKeyVia, KeyActions, KeyService } from './customer-key.js';
import { DropBucket } from './drop-bucket.js';
import { DropQueue } from './drop-queue.js';
import { DefaultNodejsFunction } from './function-defaults.js';
import { functionEnvironment } from './function-environment.js';
import { giveHandlersLogGroups } from './handler-log-groups.js';
import { LoaderAlarms } from './loader-alarms.js';
import { LoaderDashboard } from './loader-dashboard.js';
import { NotificationTopic } from './notification-topic.js';
import type { LoaderSettings } from './settings.js';
import { SftpServer } from './sftp-server.js';
import { UcontactSecret } from './ucontact-secret.js';

/** The folder holding package.json: bundling starts here. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Long files take minutes against uContact; Lambda allows at most 15. */
export const FUNCTION_TIMEOUT = Duration.minutes(15);

/** Normalized chunks are spooled to /tmp before upload; the function is told its size. */
export const EPHEMERAL_STORAGE = Size.gibibytes(2);

export interface LoaderStackProps extends StackProps {
  readonly settings: LoaderSettings;
}

/** Bucket, queue, function, secret, alarms and notifications of the contact loader. */
export class LoaderStack extends Stack {
  constructor(scope: Construct, id: string, props: LoaderStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const customerKey =
      settings.kmsKeyArn === undefined
        ? undefined
        : Key.fromKeyArn(this, 'CustomerKey', settings.kmsKeyArn);
    const drop = new DropBucket(this, 'Drop', {
      retentionDays: settings.retentionDays,
      reloadRecordDays: settings.reloadRecordDays,
      ...(customerKey === undefined ? {} : { encryptionKey: customerKey }),
      ...(settings.existingBucketName === undefined
        ? {}
        : { existingBucketName: settings.existingBucketName }),
    });
    const queues = new DropQueue(this, 'Events', { functionTimeout: FUNCTION_TIMEOUT });
    drop.notifyOnDrop(queues.queue);

    const credentials = new UcontactSecret(this, 'Credentials', {
      ...(settings.secretName === undefined ? {} : { secretName: settings.secretName }),
      ...(settings.secretArn === undefined ? {} : { secretArn: settings.secretArn }),
      ...(customerKey === undefined ? {} : { encryptionKey: customerKey }),
    });

    const fn = new DefaultNodejsFunction(this, 'ContactLoader', {
      entry: join(PROJECT_ROOT, 'functions', 'contact-loader', 'index.ts'),
      projectRoot: PROJECT_ROOT,
      description: 'Loads contact files dropped under incoming/ into uContact campaigns',
      timeout: FUNCTION_TIMEOUT,
      memorySize: 1024,
      ephemeralStorageSize: EPHEMERAL_STORAGE,
      environment: functionEnvironment({
        ucontactBaseUrl: settings.ucontactBaseUrl,
        secretArn: credentials.secret.secretArn,
        campaignSuffix: settings.campaignSuffix,
        timeout: FUNCTION_TIMEOUT,
        reloadWindowDays: settings.reloadWindowDays,
        ephemeralStorage: EPHEMERAL_STORAGE,
      }),
    });
    fn.addEventSource(
      new SqsEventSource(queues.queue, {
        batchSize: 1,
        // Bounds parallel uContact sessions; no reserved concurrency is needed for that.
        maxConcurrency: settings.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    drop.grantReadIncoming(fn);
    drop.grantReadWriteResults(fn);
    drop.grantReadWriteState(fn);
    drop.grantList(fn);
    drop.grantSuppression(fn);
    drop.grantReadProfiles(fn, PROFILES_KEY);
    // GetSecretValue only: secret.grantRead would add DescribeSecret, which the function never calls.
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [credentials.grantArn],
    });
    if (customerKey !== undefined) {
      grantKeyVia(fn, customerKey, KeyService.SecretsManager, KeyActions.Decrypt);
    }

    const notifications =
      settings.alarmEmail !== undefined || settings.notificationTopic
        ? new NotificationTopic(this, 'Notifications', {
            ...(settings.alarmEmail === undefined ? {} : { email: settings.alarmEmail }),
          })
        : undefined;
    if (notifications !== undefined) drop.notifyOnResult(notifications.topic);
    const alarms = new LoaderAlarms(this, 'Alarms', {
      fn,
      deadLetterQueue: queues.deadLetterQueue,
      ...(notifications === undefined ? {} : { topic: notifications.topic }),
    });

    new CfnOutput(this, 'BucketName', { value: drop.bucket.bucketName });
    new CfnOutput(this, 'SecretArn', { value: credentials.secret.secretArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: queues.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'FunctionName', { value: fn.functionName });
    const dashboard = new LoaderDashboard(this, 'Operations', {
      fn,
      queue: queues.queue,
      deadLetterQueue: queues.deadLetterQueue,
      alarms: alarms.alarms,
    });
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboard.dashboardName });
    if (notifications !== undefined) {
      new CfnOutput(this, 'NotificationTopicArn', { value: notifications.topic.topicArn });
    }
    if (settings.sftp) {
      const sftp = new SftpServer(this, 'Sftp', {
        bucket: drop.bucket,
        grantKey: (grantee, actions) => drop.grantKey(grantee, actions),
      });
      new CfnOutput(this, 'SftpServerId', { value: sftp.server.attrServerId });
      new CfnOutput(this, 'SftpEndpoint', { value: sftp.endpoint });
      new CfnOutput(this, 'SftpUserRoleArn', { value: sftp.userRole.roleArn });
    }
    giveHandlersLogGroups(this, RetentionDays.ONE_MONTH);
  }
}
