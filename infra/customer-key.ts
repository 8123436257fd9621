import { Aws } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';

/** The services through which the stack's principals use a customer-managed key. */
export const KeyService = {
  S3: 's3',
  SecretsManager: 'secretsmanager',
} as const;
export type KeyService = (typeof KeyService)[keyof typeof KeyService];

/** What each use of the key needs: reading an object or a secret decrypts, writing one makes a data key. */
export const KeyActions = {
  Decrypt: ['kms:Decrypt'],
  DecryptAndGenerate: ['kms:Decrypt', 'kms:GenerateDataKey'],
} as const;

/**
 * Lets the grantee use the key only through the given service in this region (`kms:ViaService`):
 * the role may decrypt an object through S3, never call KMS with the key directly. The key's
 * policy must let IAM policies of the account grant its use (the default key policy does).
 */
export function grantKeyVia(
  grantee: IGrantable,
  key: IKey,
  service: KeyService,
  actions: readonly string[],
): void {
  Grant.addToPrincipal({
    grantee,
    actions: [...actions],
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` } },
  });
}
