import { Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface UcontactSecretProps {
  /** @default - not imported by name */
  readonly secretName?: string;
  /** @default - not imported by ARN; neither name nor ARN: a placeholder is created */
  readonly secretArn?: string;
  /** Encrypts a created secret (an imported one keeps its own). @default - the aws/secretsmanager key */
  readonly encryptionKey?: IKey;
}

/** The uContact supervisor credentials, `{"user": "...", "password": "..."}`. */
export class UcontactSecret extends Construct {
  readonly secret: ISecret;
  /** The ARN to grant access on: it also matches the suffix Secrets Manager adds to names. */
  readonly grantArn: string;
  /** True when the stack created a placeholder that must be filled in after deploy. */
  readonly isPlaceholder: boolean;

  constructor(scope: Construct, id: string, props: UcontactSecretProps) {
    super(scope, id);
    if (props.secretArn !== undefined) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Secret', props.secretArn);
      this.grantArn = this.secret.secretArn;
      this.isPlaceholder = false;
      return;
    }
    if (props.secretName !== undefined) {
      this.secret = Secret.fromSecretNameV2(this, 'Secret', props.secretName);
      // A name-based ARN lacks the six random characters Secrets Manager appends.
      this.grantArn = `${this.secret.secretArn}-??????`;
      this.isPlaceholder = false;
      return;
    }
    // The user is left empty so the function refuses to log in until someone fills it in; the
    // password is random so no value ever appears in the template.
    const secret = new Secret(this, 'Secret', {
      description:
        'uContact supervisor credentials for the contact loader: fill in user and password',
      ...(props.encryptionKey === undefined ? {} : { encryptionKey: props.encryptionKey }),
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ user: '' }),
        generateStringKey: 'password',
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The uContact password is set in uContact by its administrators; Secrets Manager cannot rotate it there.',
    });
    this.secret = secret;
    this.grantArn = secret.secretArn;
    this.isPlaceholder = true;
  }
}
