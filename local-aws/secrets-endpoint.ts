import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface SecretsEndpoint {
  readonly endpoint: string;
  /** A real SDK client pointed at this endpoint with dummy credentials. */
  client(): SecretsManagerClient;
  /** Sets (or rotates) a secret; objects are stored as their JSON text. */
  setSecret(id: string, value: string | object): void;
  deleteSecret(id: string): void;
  /** How many GetSecretValue calls were answered, per secret id. */
  fetchCount(id: string): number;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/**
 * Starts a minimal Secrets Manager on a free loopback port: only `GetSecretValue` (AWS JSON 1.1),
 * secrets looked up by name or by the ARN it reports. Anything else answers 400 as AWS does.
 */
export async function startSecretsEndpoint(
  initial: Readonly<Record<string, string | object>> = {},
): Promise<SecretsEndpoint> {
  const secrets = new Map<string, { value: string; versionId: string }>();
  const fetches = new Map<string, number>();
  const arnOf = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}`;
  const setSecret = (id: string, value: string | object) => {
    secrets.set(id, {
      value: typeof value === 'string' ? value : JSON.stringify(value),
      versionId: randomUUID(),
    });
  };
  for (const [id, value] of Object.entries(initial)) setSecret(id, value);

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => answer(req, res, body))
      .catch(() => send(res, 500, { __type: 'InternalServiceError', message: 'internal error' }));
  });

  const answer = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      send(res, 400, {
        __type: 'UnknownOperationException',
        message: `operation ${target || '(none)'} is not supported by the local endpoint`,
      });
      return;
    }
    let secretId = '';
    try {
      secretId = String((JSON.parse(body) as { SecretId?: unknown }).SecretId ?? '');
    } catch {
      send(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
      return;
    }
    const name = secretId.startsWith(arnOf('')) ? secretId.slice(arnOf('').length) : secretId;
    const secret = secrets.get(name);
    if (!secret) {
      send(res, 400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
      return;
    }
    fetches.set(name, (fetches.get(name) ?? 0) + 1);
    send(res, 200, {
      ARN: arnOf(name),
      Name: name,
      VersionId: secret.versionId,
      SecretString: secret.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: Date.now() / 1000,
    });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    client: () =>
      new SecretsManagerClient({
        endpoint,
        region: REGION,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    setSecret,
    deleteSecret: (id) => {
      secrets.delete(id);
    },
    fetchCount: (id) => fetches.get(id) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}
