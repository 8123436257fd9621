import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialsSource } from '../../functions/pipeline/credentials.js';
import { CredentialsError } from '../../functions/pipeline/errors.js';
import { type SecretsEndpoint, startSecretsEndpoint } from '../../local-aws/secrets-endpoint.js';

let endpoint: SecretsEndpoint;
beforeEach(async () => {
  endpoint = await startSecretsEndpoint({
    'ucontact/supervisor': { user: 'sup', password: 'first' },
  });
});
afterEach(async () => {
  await endpoint.close();
});

describe('credentials from the local Secrets Manager endpoint', () => {
  it('serves the cached password until a forced fetch picks up the rotated one', async () => {
    const source = createCredentialsSource(endpoint.client(), {
      secretId: 'ucontact/supervisor',
      ttlSeconds: 300,
    });
    expect(await source.get()).toEqual({ user: 'sup', password: 'first' });
    endpoint.setSecret('ucontact/supervisor', { user: 'sup', password: 'rotated' });
    expect((await source.get()).password).toBe('first');
    expect((await source.get({ forceFetch: true })).password).toBe('rotated');
    expect(endpoint.fetchCount('ucontact/supervisor')).toBe(2);
  });

  it('finds the secret by its ARN too', async () => {
    const source = createCredentialsSource(endpoint.client(), {
      secretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ucontact/supervisor',
      ttlSeconds: 0,
    });
    expect((await source.get()).user).toBe('sup');
  });

  it('fails with CredentialsError when the secret does not exist', async () => {
    const source = createCredentialsSource(endpoint.client(), {
      secretId: 'missing',
      ttlSeconds: 0,
    });
    await expect(source.get()).rejects.toThrow(CredentialsError);
  });
});
