import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { SnsDestination, SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ACCEPTED_SUFFIXES,
  assertDisjointPrefixes,
  COMPILED_SUPPRESSION_DAYS,
  COMPILED_SUPPRESSION_PREFIX,
  INCOMING_PREFIX,
  LOAD_RECORD_PREFIX,
  MANIFEST_SUFFIX,
  RESULTS_PREFIX,
  STATE_PREFIX,
  SUPPRESSION_PREFIX,
} from './bucket-layout.js';
import { grantKeyVia, KeyActions, KeyService } from './customer-key.js';
import { acknowledgeWildcardResource } from './wildcard-acknowledgement.js';

export interface DropBucketProps {
  /** Days before objects under `incoming/` and `results/` expire. */
  readonly retentionDays: number;
  /** Days before the record of what was loaded (the reload window's memory) expires. */
  readonly reloadRecordDays: number;
  /**
   * Use this bucket instead of creating one. Its encryption, versioning, lifecycle and logging
   * stay with its owner.
   * @default - a new bucket (and a bucket for its access logs)
   */
  readonly existingBucketName?: string;
  /**
   * A customer-managed key: a new bucket is encrypted with it (SSE-KMS, bucket key on); for an
   * existing bucket it is the key the owner encrypts with. Grants include its use through S3.
   * @default - SSE-S3, no key to grant
   */
  readonly encryptionKey?: IKey;
}

/** Long enough to recover an overwritten or deleted file after a weekend; then it is gone. */
const NONCURRENT_VERSION_DAYS = 7;
const ACCESS_LOG_DAYS = 90;

/** The bucket contacts are dropped into and results are written to. */
export class DropBucket extends Construct {
  readonly bucket: IBucket;
  /** The bucket receiving server access logs, when this construct created the bucket. */
  readonly accessLogBucket?: Bucket;
  /** The customer-managed key objects are encrypted with, when one is given. */
  readonly encryptionKey?: IKey;
  private handlerAcknowledged = false;

  constructor(scope: Construct, id: string, props: DropBucketProps) {
    super(scope, id);
    assertDisjointPrefixes(INCOMING_PREFIX, RESULTS_PREFIX);
    if (props.encryptionKey !== undefined) this.encryptionKey = props.encryptionKey;
    if (props.existingBucketName !== undefined) {
      this.bucket = Bucket.fromBucketName(this, 'Bucket', props.existingBucketName);
      return;
    }
    // SSE-S3 even with a customer key: S3 delivers server access logs only to such a bucket.
    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(ACCESS_LOG_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the drop bucket access logs; logging it too would only log the log delivery.',
    });
    const days = Duration.days(props.retentionDays);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3 by default: no key policy to manage, and the function needs no KMS grant. With a
      // customer key, the bucket key cuts KMS calls (and their cost) to about one per object burst.
      ...(props.encryptionKey === undefined
        ? { encryption: BucketEncryption.S3_MANAGED }
        : {
            encryption: BucketEncryption.KMS,
            encryptionKey: props.encryptionKey,
            bucketKeyEnabled: true,
          }),
      enforceSSL: true,
      // The object version is the idempotency key: a new upload of the same name is a new load.
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      lifecycleRules: [
        // Contacts are personal data: dropped files and results do not stay forever.
        { id: 'expire-incoming', prefix: INCOMING_PREFIX, expiration: days },
        { id: 'expire-results', prefix: RESULTS_PREFIX, expiration: days },
        // Phone numbers loaded: kept as long as the longest reload window needs, no longer.
        {
          id: 'expire-load-record',
          prefix: LOAD_RECORD_PREFIX,
          expiration: Duration.days(props.reloadRecordDays),
        },
        // Compiled suppression lists are personal data too; one still in use is compiled again.
        {
          id: 'expire-compiled-suppression',
          prefix: COMPILED_SUPPRESSION_PREFIX,
          expiration: Duration.days(COMPILED_SUPPRESSION_DAYS),
        },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }

  /**
   * Sends every object created under `incoming/` with an accepted suffix to the queue, one rule
   * per suffix. Keys under `results/` never match.
   */
  notifyOnDrop(queue: IQueue): void {
    const destination = new SqsDestination(queue);
    for (const suffix of ACCEPTED_SUFFIXES) {
      this.bucket.addEventNotification(EventType.OBJECT_CREATED, destination, {
        prefix: INCOMING_PREFIX,
        suffix,
      });
    }
    this.acknowledgeNotificationsHandler();
  }

  /**
   * Publishes every manifest written under `results/` to the topic, so subscribers hear of each
   * finished file. The topic's policy lets only this bucket publish.
   */
  notifyOnResult(topic: ITopic): void {
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new SnsDestination(topic), {
      prefix: RESULTS_PREFIX,
      suffix: MANIFEST_SUFFIX,
    });
    this.acknowledgeNotificationsHandler();
  }

  private acknowledgeNotificationsHandler(): void {
    if (this.handlerAcknowledged) return;
    // CloudFormation cannot configure notifications on a bucket without a dependency cycle (and
    // not at all on an imported one), so CDK adds one custom-resource function per stack.
    const handler = Stack.of(this).node.tryFindChild(
      'BucketNotificationsHandler050a0587b7544547bf325f094a3db834',
    );
    if (handler !== undefined) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's bucket-notifications function (deploy time only) writes its logs under the basic execution policy; CDK offers no way to replace it.",
      });
      this.handlerAcknowledged = true;
    }
  }

  /** Lets the grantee read dropped files, by version too. */
  grantReadIncoming(grantee: IGrantable): void {
    this.grantObjects(grantee, `${INCOMING_PREFIX}*`, ['s3:GetObject', 's3:GetObjectVersion']);
    this.grantKey(grantee, KeyActions.Decrypt);
  }

  /**
   * Lets the grantee use the bucket's customer key through S3 (nothing without one). A multipart
   * upload to an SSE-KMS bucket needs Decrypt as well as GenerateDataKey.
   */
  grantKey(grantee: IGrantable, actions: readonly string[]): void {
    if (this.encryptionKey === undefined) return;
    grantKeyVia(grantee, this.encryptionKey, KeyService.S3, actions);
  }

  /** Lets the grantee read the campaign profiles file, that one key only. */
  grantReadProfiles(grantee: IGrantable, key: string): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [this.bucket.arnForObjects(key)],
    });
  }

  /**
   * Lets the grantee read and write results. PutObject covers conditional writes and multipart
   * uploads; aborting one (a large rejected.csv that failed) is a separate action.
   */
  grantReadWriteResults(grantee: IGrantable): void {
    this.grantObjects(grantee, `${RESULTS_PREFIX}*`, [
      's3:GetObject',
      's3:PutObject',
      's3:AbortMultipartUpload',
    ]);
    this.grantKey(grantee, KeyActions.DecryptAndGenerate);
  }

  /**
   * Lets the grantee read suppression lists (`suppression/`) and read and write their compiled
   * form (`state/suppression/`), which no other role reaches.
   */
  grantSuppression(grantee: IGrantable): void {
    this.grantObjects(grantee, `${SUPPRESSION_PREFIX}*`, ['s3:GetObject']);
    this.grantObjects(grantee, `${COMPILED_SUPPRESSION_PREFIX}*`, ['s3:GetObject', 's3:PutObject']);
  }

  /**
   * Lets the grantee keep its own records under `state/`: the record of what was loaded (read,
   * written, and deleted for a part that failed) and the campaigns' leases.
   */
  grantReadWriteState(grantee: IGrantable): void {
    this.grantObjects(grantee, `${STATE_PREFIX}*`, [
      's3:GetObject',
      's3:PutObject',
      's3:DeleteObject',
    ]);
    this.grantKey(grantee, KeyActions.DecryptAndGenerate);
  }

  /**
   * Lets the grantee list the bucket. Without it, reading a result that does not exist yet answers
   * 403 instead of 404, and a first run could not tell "not claimed" from "not allowed".
   */
  grantList(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
    });
  }

  private grantObjects(grantee: IGrantable, keyPattern: string, actions: string[]): void {
    // Exact actions: the bucket's grantRead/grantPut would add s3:GetObject*, s3:List* and
    // s3:Abort*, wider than the function needs.
    const resourceArn = this.bucket.arnForObjects(keyPattern);
    Grant.addToPrincipal({ grantee, actions, resourceArns: [resourceArn] });
    acknowledgeWildcardResource(
      grantee,
      resourceArn,
      `A key pattern, not a wildcard grant: the function handles any object under ${keyPattern}, and only with ${actions.join(', ')}.`,
    );
  }
}
