import { describe, expect, it } from 'vitest';
import { ContextValueError } from '../../infra/errors.js';
import {
  DEFAULT_STACK_NAME,
  readSettings,
  readStackName,
  SETTING_DEFAULTS,
} from '../../infra/settings.js';

const BASE_URL = 'https://demo.ucontactcloud.com';

function contextOf(values: Record<string, unknown>) {
  return (key: string): unknown => values[key];
}

function read(values: Record<string, unknown>) {
  return readSettings(contextOf({ ucontactBaseUrl: BASE_URL, ...values }));
}

function errorFor(values: Record<string, unknown>): string {
  try {
    readSettings(contextOf(values));
  } catch (error) {
    expect(error).toBeInstanceOf(ContextValueError);
    return (error as Error).message;
  }
  throw new Error('expected readSettings to refuse the context');
}

describe('readSettings', () => {
  it('gives every optional parameter its documented default', () => {
    expect(read({})).toEqual({ ucontactBaseUrl: BASE_URL, ...SETTING_DEFAULTS });
  });

  it('reads the strings `cdk -c key=value` passes', () => {
    const settings = read({
      maxConcurrency: '5',
      retentionDays: '7',
      sftp: 'true',
      notificationTopic: 'true',
      campaignSuffix: '->',
      alarmEmail: 'ops@example.com',
      existingBucketName: 'partner-drop',
      secretName: 'ucontact/loader',
    });
    expect(settings).toMatchObject({
      maxConcurrency: 5,
      retentionDays: 7,
      sftp: true,
      notificationTopic: true,
      campaignSuffix: '->',
      alarmEmail: 'ops@example.com',
      existingBucketName: 'partner-drop',
      secretName: 'ucontact/loader',
    });
  });

  it('keeps the load record at least as long as the reload window', () => {
    expect(read({ reloadWindowDays: '45' })).toMatchObject({
      reloadWindowDays: 45,
      reloadRecordDays: 45,
    });
    expect(
      errorFor({ ucontactBaseUrl: BASE_URL, reloadWindowDays: '45', reloadRecordDays: '30' }),
    ).toBe(
      'Context value reloadRecordDays (30) must be at least reloadWindowDays (45): a window cannot see loads whose record has expired',
    );
  });

  it('reads the numbers and booleans cdk.json holds', () => {
    expect(read({ maxConcurrency: 3, sftp: false })).toMatchObject({
      maxConcurrency: 3,
      sftp: false,
    });
  });

  it('drops a trailing slash from the base URL', () => {
    expect(read({ ucontactBaseUrl: `${BASE_URL}/` }).ucontactBaseUrl).toBe(BASE_URL);
  });

  it('asks for the base URL in one line when it is missing', () => {
    const message = errorFor({});
    expect(message).toContain('ucontactBaseUrl is required');
    expect(message).toContain('-c ucontactBaseUrl=https://');
    expect(message).not.toContain('\n');
  });

  it('refuses a base URL that is not https, without echoing it', () => {
    expect(errorFor({ ucontactBaseUrl: 'http://demo.ucontactcloud.com' })).toContain(
      'must use https',
    );
    const message = errorFor({ ucontactBaseUrl: 'https://user:pw@demo.ucontactcloud.com' });
    expect(message).toContain('no credentials');
    expect(message).not.toContain('pw@');
  });

  it.each([
    ['maxConcurrency', '1', 'from 2 to 1000'],
    ['maxConcurrency', '2.5', 'whole number'],
    ['retentionDays', '0', 'from 1 to 3650'],
    ['sftp', 'yes', 'true or false'],
    ['notificationTopic', '1', 'true or false'],
    ['alarmEmail', 'ops', 'not an email address'],
    ['existingBucketName', 'My_Bucket', 'not an S3 bucket name'],
    ['secretName', 'bad name!', 'not a Secrets Manager name'],
    ['secretArn', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x', 'complete secret ARN'],
    ['campaignSuffix', 'a/b', "'<-' (Power and Predictive campaigns), '->'"],
    ['campaignSuffix', '<-Outbound', 'or empty'],
  ])('refuses %s=%s with a message naming it', (key, value, expected) => {
    const message = errorFor({ ucontactBaseUrl: BASE_URL, [key]: value });
    expect(message).toContain(key);
    expect(message).toContain(expected);
  });

  it('refuses a secret given both by name and by ARN', () => {
    expect(
      errorFor({
        ucontactBaseUrl: BASE_URL,
        secretName: 'ucontact/loader',
        secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ucontact/loader-AbCdEf',
      }),
    ).toContain('either secretName or secretArn');
  });
});

describe('readStackName', () => {
  it('names the stack UcontactLoader unless told otherwise', () => {
    expect(readStackName(contextOf({}))).toBe(DEFAULT_STACK_NAME);
    expect(readStackName(contextOf({ stackName: 'UcontactLoaderTest' }))).toBe(
      'UcontactLoaderTest',
    );
  });

  it('refuses a name CloudFormation would refuse', () => {
    expect(() => readStackName(contextOf({ stackName: '1st_stack' }))).toThrow(ContextValueError);
  });
});
