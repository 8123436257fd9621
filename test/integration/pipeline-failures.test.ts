import { createServer } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCredentialsSource } from '../../functions/pipeline/credentials.js';
import { UcontactClient, type UcontactLogger } from '../../functions/ucontact/client.js';
import { postFormOverHttp } from '../../functions/ucontact/http-call.js';
import {
  nativeLines,
  type PipelineStack,
  SECRET_ID,
  startPipelineStack,
  USER,
} from './pipeline-stack.js';
import { withS3Faults } from './s3-faults.js';

let stack: PipelineStack;
afterEach(async () => {
  await stack?.close();
});

const CHUNKS_OF_10 = { MAX_CHUNK_RECORDS: '10' };

/** An S3 client whose first GetObject fails as S3 does when it has an internal error. */
function failingGetObjectClient(): S3Client {
  let failed = false;
  return withS3Faults(stack.s3.client(), (command) => {
    if (command !== 'GetObjectCommand' || failed) return false;
    failed = true;
    return true;
  });
}

/** A port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The stack's uContact client, with `afterFirstUpload` run once uContact has answered the first
 * uploadbase, and uploads sent to the port `uploadPort` names, whenever it names one.
 */
function clientWith(options: {
  afterFirstUpload?: () => void;
  uploadPort?: () => number | undefined;
}) {
  let uploads = 0;
  return (baseUrl: string, logger: UcontactLogger) =>
    new UcontactClient({
      baseUrl,
      logger,
      callTimeoutMs: 2_000,
      uploadTimeoutMs: 1_000,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      post: async (url, body, headers, timeoutMs) => {
        const isUpload = url.pathname.endsWith('/uploadbase');
        const port = isUpload ? options.uploadPort?.() : undefined;
        const target = new URL(url);
        if (port !== undefined) target.port = String(port);
        const attempt = await postFormOverHttp(target, body, headers, timeoutMs);
        if (isUpload && ++uploads === 1) options.afterFirstUpload?.();
        return attempt;
      },
    });
}

describe('files the pipeline cannot load', () => {
  it('fails for good when uContact refuses the login, after reading the secret again', async () => {
    stack = await startPipelineStack();
    stack.secrets.setSecret(SECRET_ID, { user: USER.user, password: 'wrong-password' });
    const object = await stack.put('incoming/Ventas/a.csv', nativeLines(5));

    const response = await stack.handler()(stack.eventFor(object));

    expect(response.batchItemFailures).toEqual([]);
    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'failed',
      error: { code: 'AUTH_FAILED' },
      counts: { accepted: 5, uploaded: 0 },
    });
    expect(stack.simulator.state()).toMatchObject({ openSessions: 0, bases: [] });
    expect(stack.secrets.fetchCount(SECRET_ID)).toBe(2);
    expect((await stack.stateOf(object))?.status).toBe('failed');
  });

  it('picks up a rotated password by reading the secret again, then loads the file', async () => {
    stack = await startPipelineStack({
      users: [{ user: USER.user, password: 'rotated-password', profile: 'supervisor' }],
    });
    const credentials = createCredentialsSource(stack.secrets.client(), {
      secretId: SECRET_ID,
      ttlSeconds: 300,
    });
    await credentials.get(); // warm cache holds the old password
    stack.secrets.setSecret(SECRET_ID, { user: USER.user, password: 'rotated-password' });
    const object = await stack.put('incoming/Ventas/rotated.csv', nativeLines(5));

    const response = await stack.handler({}, { credentials })(stack.eventFor(object));

    expect(response.batchItemFailures).toEqual([]);
    expect((await stack.manifestOf(object))?.status).toBe('succeeded');
    expect(stack.simulator.state().calls.login).toBe(2);
    expect(stack.secrets.fetchCount(SECRET_ID)).toBe(2);
  });

  it('writes a failed manifest and asks for redelivery while uContact is unavailable', async () => {
    stack = await startPipelineStack({ faults: ['login:503:4'], retryAfterSeconds: 0 });
    const object = await stack.put('incoming/Ventas/later.csv', nativeLines(5));
    const handler = stack.handler();
    const event = stack.eventFor(object);

    const first = await handler(event);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'failed',
      error: { code: 'HTTP_STATUS' },
    });
    expect(stack.metrics.FilesFailed).toBeUndefined();

    expect((await handler(event)).batchItemFailures).toEqual([]);
    expect((await stack.manifestOf(object))?.status).toBe('succeeded');
    expect(stack.simulator.state().bases).toHaveLength(1);
  });

  it('writes a failed manifest, not a succeeded one, when the file cannot be read yet, and retries it', async () => {
    stack = await startPipelineStack();
    const object = await stack.put('incoming/Ventas/unreadable.csv', nativeLines(5));
    const event = stack.eventFor(object);

    const first = await stack.handler({}, { s3: failingGetObjectClient() })(event);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'failed',
      error: { code: 'STORAGE' },
      counts: { uploaded: 0 },
    });
    expect(stack.simulator.state().calls.login).toBe(0);

    expect((await stack.handler()(event)).batchItemFailures).toEqual([]);
    expect((await stack.manifestOf(object))?.status).toBe('succeeded');
    expect(stack.simulator.state().bases).toHaveLength(1);
  });

  it('stops at the part uContact answers 503 for, and the redelivery resumes with it', async () => {
    stack = await startPipelineStack({ retryAfterSeconds: 0, keepText: true });
    const object = await stack.put('incoming/Ventas/busy.csv', nativeLines(25));
    const event = stack.eventFor(object);
    const createClient = clientWith({
      // Every attempt of part 2 meets a 503, as when uContact is overloaded for a while.
      afterFirstUpload: () => stack.simulator.addFault('uploadbase:503:4'),
    });

    const first = await stack.handler(CHUNKS_OF_10, { createClient })(event);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(stack.simulator.state()).toMatchObject({ openSessions: 0, calls: { uploadbase: 5 } });
    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'partial',
      error: { code: 'HTTP_STATUS', message: expect.stringMatching(/part 2/) },
      uploads: [
        { part: 1, outcome: 'accepted', attempts: 1 },
        { part: 2, outcome: 'failed', attempts: 4 },
        { part: 3, outcome: 'failed', attempts: 0 },
      ],
    });
    expect(stack.metrics.FilesPartial).toBeUndefined();

    const second = await stack.handler(CHUNKS_OF_10)(event);

    expect(second.batchItemFailures).toEqual([]);
    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({ status: 'succeeded', error: null, counts: { uploaded: 25 } });
    expect(manifest?.uploads.map((u) => [u.part, u.outcome, u.attempts])).toEqual([
      [1, 'accepted', 1],
      [2, 'accepted', 5],
      [3, 'accepted', 1],
    ]);
    const loaded = stack.simulator
      .state()
      .bases.flatMap((b) => b.text.trim().split('\n'))
      .sort();
    expect(loaded).toEqual(nativeLines(25).trim().split('\n').sort());
    expect(stack.metrics).toMatchObject({ FilesSucceeded: 1 });
  });

  it('stops when uContact becomes unreachable mid-upload, and the redelivery loads the rest once', async () => {
    stack = await startPipelineStack();
    const object = await stack.put('incoming/Ventas/unreachable.csv', nativeLines(25));
    const event = stack.eventFor(object);
    const refused = await closedPort();
    let down = false;
    const createClient = clientWith({
      afterFirstUpload: () => {
        down = true;
      },
      uploadPort: () => (down ? refused : undefined),
    });

    const first = await stack.handler(CHUNKS_OF_10, { createClient })(event);

    expect(first.batchItemFailures).toHaveLength(1);
    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'partial',
      error: { code: 'NETWORK' },
      uploads: [{ outcome: 'accepted' }, { outcome: 'failed' }, { outcome: 'failed' }],
    });
    expect(stack.simulator.state().openSessions).toBe(0);

    expect((await stack.handler(CHUNKS_OF_10)(event)).batchItemFailures).toEqual([]);
    expect((await stack.manifestOf(object))?.status).toBe('succeeded');
    const parts = stack.simulator.state().bases.map((b) => b.filename);
    expect(parts.sort()).toEqual([1, 2, 3].map((n) => `unreachable.part-00${n}-of-003.csv`));
  });

  it('ends for good when uContact refuses a part outright, sending the others', async () => {
    stack = await startPipelineStack({ faults: ['uploadbase:zero'] });
    const object = await stack.put('incoming/Ventas/refused.csv', nativeLines(25));
    const event = stack.eventFor(object);

    expect((await stack.handler(CHUNKS_OF_10)(event)).batchItemFailures).toEqual([]);

    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'partial',
      error: { code: 'CHUNKS_FAILED' },
      uploads: [{ outcome: 'failed' }, { outcome: 'accepted' }, { outcome: 'accepted' }],
    });
    expect((await stack.stateOf(object))?.status).toBe('partial');
    await stack.handler(CHUNKS_OF_10)(event);
    expect(stack.simulator.state().calls.uploadbase).toBe(3);
  });

  it('records an EndSession that failed in the manifest and in the SessionsLeftOpen metric', async () => {
    stack = await startPipelineStack({ faults: ['endsession:500:10'] });
    const object = await stack.put('incoming/Ventas/open.csv', nativeLines(5));

    await stack.handler()(stack.eventFor(object));

    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'succeeded',
      error: null,
      session: { endSession: 'failed', error: { code: 'HTTP_STATUS' } },
    });
    expect(stack.simulator.state().openSessions).toBe(1);
    expect(stack.metrics.SessionsLeftOpen).toBe(1);
  });

  it('rejects an unusable file with a manifest and never calls uContact', async () => {
    stack = await startPipelineStack();
    const binary = await stack.put('incoming/Ventas/photo.csv', new Uint8Array(4096).fill(0));
    const noContacts = await stack.put(
      'incoming/Ventas/short.csv',
      'Ventas;0991234X;nombre=A;;9999;\nVentas;0991235X;nombre=B;;9999;\n',
    );
    const handler = stack.handler();
    await handler(stack.eventFor(binary));
    await handler(stack.eventFor(noContacts));

    expect(await stack.manifestOf(binary)).toMatchObject({
      status: 'rejected',
      error: { code: 'BINARY_FILE' },
    });
    expect(await stack.manifestOf(noContacts)).toMatchObject({
      status: 'rejected',
      error: { code: 'NO_VALID_CONTACTS' },
      counts: { rows: 2, rejected: 2 },
    });
    expect(stack.simulator.state().calls.login).toBe(0);
    expect(stack.metrics.FilesRejected).toBe(2);
  });

  it('never logs the password, a session token or a full phone number', async () => {
    stack = await startPipelineStack({ faults: ['uploadbase:401'] });
    const lines = `${nativeLines(4)}Ventas;099123456;nombre=Dup;;9999;\nVentas;099123456;;;;\nVentas;12;;;;\n`;
    const phones = [...lines.matchAll(/;(\d{6,})1?;/g)].map((m) => m[1]!);
    const object = await stack.put('incoming/Ventas/call 099765432.csv', lines);

    await stack.handler()(stack.eventFor(object));

    expect((await stack.manifestOf(object))?.status).toBe('succeeded');
    const log = stack.logLines.join('\n');
    expect(stack.logLines.length).toBeGreaterThan(3);
    expect(log).not.toContain(USER.password);
    expect(log).not.toContain(Buffer.from(`${USER.user}:`).toString('base64').slice(0, 10));
    for (const phone of phones) expect(log).not.toContain(phone);
    // Keys are written as they are: operators search the logs by them.
    expect(log).toContain('"key":"incoming/Ventas/call 099765432.csv"');
    expect(log).toContain('"campaign":"Ventas"');
    expect(log).toContain('"function_request_id"');
  });
});
