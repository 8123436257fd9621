import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { checkBaseUrl } from '../config/parsers.js';
import { CredentialsError, SecretFormatError } from './errors.js';

/** The supervisor login kept in Secrets Manager. Never log it. */
export interface UcontactCredentials {
  readonly user: string;
  readonly password: string;
  /** Overrides the configured base URL when present; ends with `/`. */
  readonly baseUrl?: string;
}

export interface CredentialsSource {
  /**
   * The credentials, from the warm cache when younger than the TTL. Pass `forceFetch` after a
   * login answered AUTH_FAILED, so a rotated password is picked up without a redeploy.
   */
  get(options?: { forceFetch?: boolean }): Promise<UcontactCredentials>;
}

const EXPECTED = 'JSON {"user": "...", "password": "..."} (optionally "baseUrl")';

/**
 * Parses the secret's text. Throws SecretFormatError naming what is wrong, never the value:
 * not even JSON.parse's message is kept, because it quotes the text.
 */
export function parseCredentials(secretId: string, text: string): UcontactCredentials {
  const wrong = (what: string) =>
    new SecretFormatError(`Secret ${secretId} ${what}; it must be ${EXPECTED}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw wrong('is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw wrong('is not a JSON object');
  }
  const { user, password, baseUrl } = value as Record<string, unknown>;
  if (typeof user !== 'string' || user.trim() === '') throw wrong('has no "user"');
  if (typeof password !== 'string' || password === '') throw wrong('has no "password"');
  if (baseUrl === undefined || baseUrl === null || baseUrl === '') return { user, password };
  if (typeof baseUrl !== 'string') throw wrong('has a "baseUrl" that is not text');
  const parsed = checkBaseUrl(baseUrl);
  if ('problem' in parsed) throw wrong(`has an unusable "baseUrl": ${parsed.problem}`);
  return { user, password, baseUrl: parsed.url };
}

/**
 * Reads uContact credentials from Secrets Manager through Powertools Parameters, cached for
 * `ttlSeconds` while the function is warm. `get` throws CredentialsError when the secret cannot
 * be fetched and SecretFormatError when its content is not the expected JSON.
 */
export function createCredentialsSource(
  client: SecretsManagerClient,
  options: { readonly secretId: string; readonly ttlSeconds: number },
): CredentialsSource {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return {
    async get({ forceFetch = false } = {}) {
      let secret: string | Uint8Array | undefined;
      try {
        secret = await provider.get(options.secretId, { maxAge: options.ttlSeconds, forceFetch });
      } catch (error) {
        throw new CredentialsError(`cannot read secret ${options.secretId} from Secrets Manager`, {
          cause: error,
        });
      }
      if (secret === undefined) throw new SecretFormatError(`Secret ${options.secretId} is empty`);
      const text = typeof secret === 'string' ? secret : new TextDecoder().decode(secret);
      return parseCredentials(options.secretId, text);
    },
  };
}
