import { afterEach, describe, expect, it } from 'vitest';
import { createCredentialsSource } from '../../functions/pipeline/credentials.js';
import {
  nativeLines,
  type PipelineStack,
  SECRET_ID,
  startPipelineStack,
  USER,
} from './pipeline-stack.js';

let stack: PipelineStack;
afterEach(async () => {
  await stack?.close();
});

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
    expect(log).not.toContain('099765432');
    expect(log).toContain('"key":"incoming/Ventas/call 09*****32.csv"');
    expect(log).toContain('"campaign":"Ventas"');
    expect(log).toContain('"function_request_id"');
  });
});
