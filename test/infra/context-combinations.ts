/**
 * The stack parameters the README documents, combined so that every resource-shaping choice is
 * synthesized at least once: the bucket (created or existing), the secret (created, by name, by
 * ARN), the customer key, the SFTP server and the notification topic (with or without email).
 * Parameters that only change values (retentionDays, maxConcurrency, campaignSuffix, stackName)
 * ride along in one of them.
 */
export const KMS_KEY_ARN =
  'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:ucontact/loader-AbCdEf';

export const CONTEXT_COMBINATIONS: readonly {
  readonly name: string;
  readonly context: Readonly<Record<string, string>>;
}[] = [
  { name: 'default', context: {} },
  { name: 'sftp-email', context: { sftp: 'true', alarmEmail: 'ops@example.com' } },
  {
    name: 'existing-bucket-secret-name-topic',
    context: {
      existingBucketName: 'partner-drop',
      secretName: 'ucontact/loader',
      notificationTopic: 'true',
      retentionDays: '7',
      maxConcurrency: '5',
      campaignSuffix: '<-',
    },
  },
  { name: 'kms', context: { kmsKeyArn: KMS_KEY_ARN } },
  {
    name: 'kms-sftp-secret-arn-topic',
    context: {
      kmsKeyArn: KMS_KEY_ARN,
      sftp: 'true',
      secretArn: SECRET_ARN,
      notificationTopic: 'true',
    },
  },
  {
    name: 'kms-existing-bucket-sftp-email',
    context: {
      kmsKeyArn: KMS_KEY_ARN,
      existingBucketName: 'partner-drop',
      secretName: 'ucontact/loader',
      sftp: 'true',
      alarmEmail: 'ops@example.com',
    },
  },
];
