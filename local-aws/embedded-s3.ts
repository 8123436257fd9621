import { randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';

export interface EmbeddedS3 {
  /** The conditional-write layer's address: point S3 clients here. */
  readonly endpoint: string;
  /** A new client for `endpoint` (path style, dummy credentials, checksums only when required). */
  client(): S3Client;
  createBucket(name: string): void;
  close(): Promise<void>;
}

/**
 * Starts fauxqs in-process on a free port, behind a small HTTP layer that enforces S3's
 * conditional writes, which fauxqs 1.9 accepts blindly: writes to one key are serialized;
 * `If-None-Match: *` answers 412 when the key exists; `If-Match` answers 412 on another ETag
 * (404 when the key is missing). Every other request passes through untouched.
 */
export async function startEmbeddedS3(
  options: { buckets?: readonly string[] } = {},
): Promise<EmbeddedS3> {
  const fauxqs = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  for (const bucket of options.buckets ?? []) fauxqs.createBucket(bucket);
  const upstream = { host: '127.0.0.1', port: fauxqs.port };
  const locks = new Map<string, Promise<void>>();

  const server = createServer((req, res) => {
    handle(req, res, upstream, locks).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'InternalError', String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    client: () => localS3Client(endpoint),
    createBucket: (name) => {
      fauxqs.createBucket(name);
    },
    close: async () => {
      await closeServer(server);
      await fauxqs.stop();
    },
  };
}

/** An S3 client for a local endpoint: path style, dummy credentials, checksums only when required. */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A write that replaces the whole object: PutObject, CopyObject, CompleteMultipartUpload. */
function isObjectWrite(req: IncomingMessage, url: URL): boolean {
  const isObjectPath = url.pathname.split('/').filter(Boolean).length >= 2;
  if (!isObjectPath) return false;
  if (req.method === 'PUT')
    return !url.searchParams.has('partNumber') && !url.searchParams.has('uploadId');
  return req.method === 'POST' && url.searchParams.has('uploadId');
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: { host: string; port: number },
  locks: Map<string, Promise<void>>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  if (!isObjectWrite(req, url)) {
    await forward(req, res, upstream);
    return;
  }
  const lockKey = url.pathname;
  const previous = locks.get(lockKey) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const chained = previous.then(() => mine);
  locks.set(lockKey, chained);
  await previous;
  try {
    const refusal = await checkConditions(req, url, upstream);
    if (refusal) {
      await drain(req);
      sendError(res, refusal.status, refusal.code, refusal.message, refusal.condition);
      return;
    }
    await forward(req, res, upstream);
  } finally {
    release();
    if (locks.get(lockKey) === chained) locks.delete(lockKey);
  }
}

interface Refusal {
  status: number;
  code: string;
  message: string;
  condition?: string;
}

async function checkConditions(
  req: IncomingMessage,
  url: URL,
  upstream: { host: string; port: number },
): Promise<Refusal | undefined> {
  const ifNoneMatch = header(req, 'if-none-match');
  const ifMatch = header(req, 'if-match');
  if (ifNoneMatch === undefined && ifMatch === undefined) return undefined;
  const current = await headUpstream(url.pathname, upstream);
  if (ifNoneMatch !== undefined && current !== undefined) {
    return {
      status: 412,
      code: 'PreconditionFailed',
      message: 'At least one of the pre-conditions you specified did not hold',
      condition: 'If-None-Match',
    };
  }
  if (ifMatch !== undefined) {
    if (current === undefined) {
      return { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' };
    }
    const wanted = ifMatch.split(',').map(bareETag);
    if (!wanted.includes('*') && !wanted.includes(bareETag(current))) {
      return {
        status: 412,
        code: 'PreconditionFailed',
        message: 'At least one of the pre-conditions you specified did not hold',
        condition: 'If-Match',
      };
    }
  }
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function bareETag(value: string): string {
  return value.trim().replace(/^W\//, '').replace(/"/g, '');
}

/** The current ETag of an object, or undefined when it does not exist. */
function headUpstream(
  path: string,
  upstream: { host: string; port: number },
): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const head = httpRequest({ ...upstream, method: 'HEAD', path }, (response) => {
      response.resume();
      if (response.statusCode === 404) resolve(undefined);
      else if (response.statusCode === 200) resolve(String(response.headers.etag ?? ''));
      else reject(new Error(`HEAD ${path} answered ${response.statusCode}`));
    });
    head.on('error', reject);
    head.end();
  });
}

/** Pipes the request to fauxqs and its answer back, byte for byte. Resolves when the answer is sent. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: { host: string; port: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...req.headers };
    // The layer already answered 100-continue to the client; fauxqs gets the body straight away.
    delete headers.expect;
    const outgoing = httpRequest(
      { ...upstream, method: req.method, path: req.url, headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.statusMessage, response.headers);
        response.pipe(res);
        response.on('error', reject);
        res.on('close', () => resolve());
      },
    );
    outgoing.on('error', reject);
    req.pipe(outgoing);
  });
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve();
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  condition?: string,
): void {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    `<Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    (condition ? `<Condition>${condition}</Condition>` : '') +
    `<RequestId>${randomUUID()}</RequestId><HostId>local</HostId></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
  });
  res.end(xml);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
