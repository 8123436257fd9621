import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { Grant, type IGrantable, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnServer } from 'aws-cdk-lib/aws-transfer';
import { Construct } from 'constructs';
import { INCOMING_PREFIX } from './bucket-layout.js';
import { KeyActions } from './customer-key.js';
import { acknowledgeWildcardResource } from './wildcard-acknowledgement.js';

export interface SftpServerProps {
  readonly bucket: IBucket;
  /** Lets the user role use the bucket's customer key; nothing when the bucket has none. */
  readonly grantKey?: (grantee: IGrantable, actions: readonly string[]) => void;
}

/**
 * An AWS Transfer Family SFTP server with service-managed users. Users are added after deploy,
 * each with the user role below and a logical home directory under `incoming/`.
 */
export class SftpServer extends Construct {
  readonly server: CfnServer;
  /** The role every SFTP user gets: it may only read, write and delete under `incoming/`. */
  readonly userRole: Role;
  /** The host name partners connect to. */
  readonly endpoint: string;

  constructor(scope: Construct, id: string, props: SftpServerProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.server = new CfnServer(this, 'Server', {
      domain: 'S3',
      endpointType: 'PUBLIC',
      identityProviderType: 'SERVICE_MANAGED',
      protocols: ['SFTP'],
      securityPolicyName: 'TransferSecurityPolicy-2024-01',
      // Structured logs go straight to our log group; no logging role is needed.
      structuredLogDestinations: [logGroup.logGroupArn],
    });
    this.endpoint = `${this.server.attrServerId}.server.transfer.${Aws.REGION}.${Aws.URL_SUFFIX}`;

    this.userRole = new Role(this, 'UserRole', {
      description: 'Assumed by SFTP users of the contact loader: incoming/ only',
      // Only this server's users may assume it (confused-deputy protection).
      assumedBy: new ServicePrincipal('transfer.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:transfer:${Aws.REGION}:${Aws.ACCOUNT_ID}:user/${this.server.attrServerId}/*`,
          },
        },
      }),
    });
    Grant.addToPrincipal({
      grantee: this.userRole,
      actions: ['s3:ListBucket'],
      resourceArns: [props.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [INCOMING_PREFIX, `${INCOMING_PREFIX}*`] } },
    });
    // Delete as well as put: SFTP clients upload under a temporary name and rename (copy, delete).
    // Large files go up in parts; a broken transfer's parts are aborted by the role itself.
    const incomingObjects = props.bucket.arnForObjects(`${INCOMING_PREFIX}*`);
    Grant.addToPrincipal({
      grantee: this.userRole,
      actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resourceArns: [incomingObjects],
    });
    props.grantKey?.(this.userRole, KeyActions.DecryptAndGenerate);
    acknowledgeWildcardResource(
      this.userRole,
      incomingObjects,
      `A key pattern, not a wildcard grant: SFTP users write the files they drop, anywhere under ${INCOMING_PREFIX} and nowhere else.`,
    );
  }
}
