import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../functions/pipeline/manifest.js';
import { decodeS3Key } from '../../functions/pipeline/read-event.js';
import type { InvocationRecord } from '../../local-aws/moto/event-source.js';
import { findMotoServer } from '../../local-aws/moto/moto-server.js';
import { type MotoTier, startMotoTier } from '../../local-aws/moto/moto-tier.js';
import { runCli } from '../integration/run-cli.js';

/**
 * Shorter than the template's 5,400 s so that a failed message comes back within the test; the
 * event source keeps a running invocation's message in flight meanwhile, as the deployed queue
 * (six function timeouts) guarantees, so no message comes back while it is handled.
 */
const VISIBILITY_SECONDS = 2;
const SETTLE_MS = 90_000;
const NATIVE_SAMPLE = fileURLToPath(
  new URL('../../events/files/lista-nativa.csv', import.meta.url),
);
/** Rows of the native sample that load (the sample's manifest in the README). */
const SAMPLE_ACCEPTED = 31;

/** The object key an invocation's S3 notification names, as moto wrote it (undecoded). */
function rawKeyOf(record: InvocationRecord): string | undefined {
  try {
    const body = JSON.parse(record.messages[0]?.body ?? '') as {
      Records?: { s3?: { object?: { key?: string } } }[];
    };
    return body.Records?.[0]?.s3?.object?.key;
  } catch {
    return undefined;
  }
}

function invocationsFor(tier: MotoTier, key: string): InvocationRecord[] {
  return tier.eventSource.invocations.filter((record) => {
    const raw = rawKeyOf(record);
    return raw !== undefined && decodeS3Key(raw) === key;
  });
}

function contactsLoaded(tier: MotoTier, campaign: string): number {
  const bases = tier.simulator.state().bases.filter((base) => base.campaign === campaign);
  return bases.reduce((sum, base) => sum + base.records, 0);
}

describe.skipIf(findMotoServer() === undefined)(
  'the deployed path on moto',
  { timeout: 150_000 },
  () => {
    let tier: MotoTier;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'moto-tier-'));
      tier = await startMotoTier({
        bundle: { outDir: join(dir, 'bundle') },
        visibilityTimeoutSeconds: VISIBILITY_SECONDS,
      });
    }, 120_000);

    afterAll(async () => {
      await tier?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('skips the s3:TestEvent moto writes when the notifications are configured', async () => {
      await tier.eventSource.settled(SETTLE_MS);
      const first = tier.eventSource.invocations[0];
      expect(JSON.parse(first?.messages[0]?.body ?? '{}')).toMatchObject({ Event: 's3:TestEvent' });
      expect(first?.invocation.response).toEqual({ batchItemFailures: [] });
      expect(first?.deleted).toEqual([first?.messages[0]?.messageId]);
      expect(await tier.manifests()).toEqual([]);
    });

    it('loads a file put into moto: notification, queue, the bundle in its own process, uContact, manifest', async () => {
      const key = 'incoming/Ventas Norte/lista.csv';
      await tier.put(key, NATIVE_SAMPLE);
      await tier.eventSource.settled(SETTLE_MS);

      const [invocation, ...more] = invocationsFor(tier, key);
      expect(more).toEqual([]);
      expect(invocation?.invocation.exitCode).toBe(0);
      expect(invocation?.deleted).toEqual([invocation?.messages[0]?.messageId]);
      const manifests = (await tier.manifests()).filter((m) => m.manifest.source.key === key);
      expect(manifests).toHaveLength(1);
      expect(manifests[0]?.key.startsWith('results/Ventas Norte/lista.csv/')).toBe(true);
      expect(manifests[0]?.manifest).toMatchObject({
        status: 'succeeded',
        campaign: 'Ventas Norte',
        counts: { accepted: SAMPLE_ACCEPTED, uploaded: SAMPLE_ACCEPTED },
        session: { endSession: 'ok' },
      });
      expect(contactsLoaded(tier, 'Ventas Norte')).toBe(SAMPLE_ACCEPTED);
      expect(tier.simulator.state().openSessions).toBe(0);
    });

    it("decodes moto's key encoding (every / as %2F) to the folder and name the partner used", async () => {
      const key = 'incoming/Campaña Sur/lista ñandú +1 a%2Fb.csv';
      await tier.put(key, NATIVE_SAMPLE);
      await tier.eventSource.settled(SETTLE_MS);

      const [invocation] = invocationsFor(tier, key);
      const raw = rawKeyOf(invocation!) ?? '';
      // What moto wrote: the whole key form-encoded, slashes included, unlike S3's own events.
      expect(raw).not.toContain('/');
      expect(raw.split('%2F')).toHaveLength(3);
      expect(raw).toContain('%252F');
      const [manifest] = (await tier.manifests()).filter((m) => m.manifest.source.key === key);
      expect(manifest?.manifest).toMatchObject({ status: 'succeeded', campaign: 'Campaña Sur' });
      expect(manifest?.key.startsWith('results/Campaña Sur/lista ñandú +1 a%2Fb.csv/')).toBe(true);
      // The sample's rows naming another campaign are refused here; every other row loads.
      const { accepted, uploaded } = manifest!.manifest.counts;
      expect(accepted).toBeGreaterThan(0);
      expect(uploaded).toBe(accepted);
      expect(contactsLoaded(tier, 'Campaña Sur')).toBe(accepted);
    });

    it('loads a redelivered message once: the claim is a conditional write moto enforces', async () => {
      const key = 'incoming/Ventas Norte/lista.csv';
      const [original] = invocationsFor(tier, key);
      const [before] = (await tier.manifests()).filter((m) => m.manifest.source.key === key);
      const uploads = tier.simulator.state().calls.uploadbase;

      const body = original?.messages[0]?.body ?? '';
      const { sqs } = tier.clients;
      const sent = await Promise.all(
        [1, 2, 3].map(() =>
          sqs.send(
            new SendMessageCommand({ QueueUrl: tier.resources.queueUrl, MessageBody: body }),
          ),
        ),
      );
      await tier.eventSource.settled(SETTLE_MS);

      const redelivered = tier.eventSource.invocations.filter((record) =>
        sent.some((s) => s.MessageId === record.messages[0]?.messageId),
      );
      expect(redelivered).toHaveLength(3);
      for (const record of redelivered) expect(record.deleted).toHaveLength(1);
      expect(tier.simulator.state().calls.uploadbase).toBe(uploads);
      expect(contactsLoaded(tier, 'Ventas Norte')).toBe(SAMPLE_ACCEPTED);
      const after = (await tier.manifests()).filter((m) => m.manifest.source.key === key);
      expect(after).toEqual([before]);

      // moto itself refuses to create the claim again: what stopped the three deliveries.
      const stateKey = before!.key.replace(/manifest\.json$/, 'state.json');
      const again = tier.clients.s3.send(
        new PutObjectCommand({
          Bucket: tier.resources.bucket,
          Key: stateKey,
          Body: await readFile(NATIVE_SAMPLE),
          IfNoneMatch: '*',
        }),
      );
      await expect(again).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    });

    it('drop --wait and results find what the function filed, though moto names no versionId', async () => {
      const cli = (args: string[]) =>
        runCli([...args, '--bucket', tier.resources.bucket, '--endpoint-url', tier.endpoint], {
          AWS_ACCESS_KEY_ID: 'moto',
          AWS_SECRET_ACCESS_KEY: 'moto',
          AWS_REGION: 'us-east-1',
          AWS_PROFILE: undefined,
        });
      const dropped = await cli([
        'drop',
        NATIVE_SAMPLE,
        '--folder',
        'Ventas Oeste',
        '--wait',
        '--json',
        '--timeout',
        '120s',
      ]);
      const key = 'incoming/Ventas Oeste/lista-nativa.csv';
      expect(dropped.stderr).toContain(`uploaded s3://${tier.resources.bucket}/${key}`);
      const manifest = JSON.parse(dropped.stdout) as Manifest;
      expect(manifest.source.key).toBe(key);
      // The bucket is versioned, yet moto's event names the ETag: the result is filed by it.
      expect(manifest.source.versionId).toBeNull();
      const [filed] = (await tier.manifests()).filter((m) => m.manifest.source.key === key);
      expect(filed?.key).toMatch(/\/e-[^/]+\/manifest\.json$/);
      expect(filed?.manifest).toEqual(manifest);
      expect(contactsLoaded(tier, 'Ventas Oeste')).toBe(manifest.counts.uploaded);
      expect(dropped.code).toBe(manifest.status === 'succeeded' ? 0 : 1);

      const listed = await cli(['results', '--folder', 'Ventas Oeste']);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('lista-nativa.csv');
      expect(listed.stdout).toContain(manifest.status);
      const shown = await cli(['results', 'show', key, '--json']);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toEqual(manifest);
    });

    it("sets aside a message that keeps failing after the stack's maxReceiveCount receives", async () => {
      const limit = tier.stack.queue.redrive.maxReceiveCount;
      expect(limit).toBeGreaterThan(1);
      const body = 'not an S3 notification';
      const sent = await tier.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: tier.resources.queueUrl, MessageBody: body }),
      );
      await tier.eventSource.settled(SETTLE_MS);

      const tries = tier.eventSource.invocations.filter(
        (record) => record.messages[0]?.messageId === sent.MessageId,
      );
      expect(tries.map((record) => record.messages[0]?.receiveCount)).toEqual(
        Array.from({ length: limit }, (_, i) => i + 1),
      );
      for (const record of tries) {
        expect(record.invocation.response?.batchItemFailures).toEqual([
          { itemIdentifier: sent.MessageId },
        ]);
        expect(record.deleted).toEqual([]);
      }
      const dead = await tier.deadLetters();
      expect(dead.map((message) => message.Body)).toContain(body);
    });
  },
);
