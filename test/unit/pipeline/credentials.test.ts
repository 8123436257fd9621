import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCredentialsSource,
  parseCredentials,
} from '../../../functions/pipeline/credentials.js';
import { CredentialsError, SecretFormatError } from '../../../functions/pipeline/errors.js';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());

describe('parseCredentials', () => {
  it('reads user, password and an optional base URL', () => {
    expect(
      parseCredentials('s', '{"user":"sup","password":"pw","baseUrl":"https://a.com"}'),
    ).toEqual({
      user: 'sup',
      password: 'pw',
      baseUrl: 'https://a.com/',
    });
    expect(parseCredentials('s', '{"user":"sup","password":"pw"}')).toEqual({
      user: 'sup',
      password: 'pw',
    });
  });

  it.each([
    ['plain text', 'hunter2-password', /is not JSON/],
    ['a JSON string', '"hunter2-password"', /is not a JSON object/],
    ['no password', '{"user":"sup","pass":"hunter2-password"}', /has no "password"/],
    ['no user', '{"password":"hunter2-password"}', /has no "user"/],
    [
      'an http base URL',
      '{"user":"u","password":"hunter2-password","baseUrl":"http://a.com"}',
      /must use https/,
    ],
  ])('refuses %s with one clear error that never shows the secret', (_, text, message) => {
    let caught: unknown;
    try {
      parseCredentials('ucontact/supervisor', text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretFormatError);
    const error = caught as Error;
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^Secret ucontact\/supervisor /);
    expect(`${error.message} ${String(error.cause ?? '')}`).not.toContain('hunter2');
  });
});

describe('createCredentialsSource', () => {
  it('caches while warm and refetches when forced', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '{"user":"u","password":"old"}' })
      .resolves({ SecretString: '{"user":"u","password":"new"}' });
    const source = createCredentialsSource(new SecretsManagerClient({}), {
      secretId: 'cache-test',
      ttlSeconds: 300,
    });
    expect((await source.get()).password).toBe('old');
    expect((await source.get()).password).toBe('old');
    expect((await source.get({ forceFetch: true })).password).toBe('new');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('wraps a Secrets Manager failure in CredentialsError naming the secret', async () => {
    secrets.on(GetSecretValueCommand).rejects(new Error('AccessDenied'));
    const source = createCredentialsSource(new SecretsManagerClient({}), {
      secretId: 'denied-test',
      ttlSeconds: 300,
    });
    await expect(source.get()).rejects.toThrow(CredentialsError);
    await expect(source.get()).rejects.toThrow(/denied-test/);
  });
});
