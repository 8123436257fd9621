import { readFileSync } from 'node:fs';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqsEvent } from '../../local-aws/s3-event.js';
import { BUCKET, nativeLines, type PipelineStack, startPipelineStack } from './pipeline-stack.js';

const sample = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8'));

let stack: PipelineStack;
beforeEach(async () => {
  stack = await startPipelineStack();
});
afterEach(async () => {
  await stack.close();
});

/** The sample put event for `key`, as S3 wraps it in SQS, with the object's real ETag and size. */
function recordFor(
  key: string,
  object: { size: number; eTag: string },
  eventName = 'ObjectCreated:Put',
) {
  return {
    eventSource: 'aws:s3',
    eventName,
    s3: { bucket: { name: BUCKET }, object: { key, size: object.size, eTag: object.eTag } },
  };
}

describe('the contact-loader handler over embedded S3 and the simulator', () => {
  it('decodes an S3-encoded key and files the result under the real name', async () => {
    const object = await stack.put(
      'incoming/Ventas Norte/lista ñandú +1.csv',
      nativeLines(5, 'Ventas Norte'),
    );
    const event = sample('sqs-s3-put.json');
    const body = JSON.parse(event.Records[0].body);
    body.Records[0].s3.bucket.name = BUCKET;
    Object.assign(body.Records[0].s3.object, { size: object.size, eTag: object.eTag });
    event.Records[0].body = JSON.stringify(body);

    const response = await stack.handler()(event);

    expect(response.batchItemFailures).toEqual([]);
    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({
      status: 'succeeded',
      campaign: 'Ventas Norte',
      source: { key: 'incoming/Ventas Norte/lista ñandú +1.csv' },
      counts: { accepted: 5, uploaded: 5 },
    });
    expect(stack.simulator.state().bases.map((b) => [b.campaign, b.filename])).toEqual([
      ['Ventas Norte', 'lista ñandú +1.csv'],
    ]);
  });

  it('accounts in the manifest for every line of a spreadsheet export, a stray quote included', async () => {
    const text =
      'sep=,\r\ntelefono,nombre,direccion\r\n099111222,"Perez, Juan\r\n099111333,"Lopez",Salto\r\n' +
      '\r\n099111444,Ana,"Av. Italia 1234\r\nApto 5, Montevideo"\r\n';
    const object = await stack.put('incoming/Ventas/export.csv', text);

    expect((await stack.handler()(stack.eventFor(object))).batchItemFailures).toEqual([]);

    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({
      status: 'succeeded',
      counts: { lines: 7, header: 2, rows: 3, blank: 1, joined: 1, accepted: 2, uploaded: 2 },
      rejections: [{ line: 3, code: 'MALFORMED_ROW' }],
    });
    const { lines, header, rows, blank, joined } = manifest!.counts;
    expect(header + rows + blank + joined).toBe(lines);
  });

  it('reads headers in free words, says so in the manifest, and writes a rejected.csv safe to open', async () => {
    const file = [
      'Nombre,Contact Phone Number,Other phone,Phone type,Numero de cliente',
      'Ana,099 111 222,098 333 444,mobile,C-1',
      'Luis,=1+2,,fixed,C-2',
      '@SUM(A1),+59,,mobile,C-3',
    ].join('\r\n');
    const object = await stack.put('incoming/Ventas/clientes.csv', file);

    expect((await stack.handler()(stack.eventFor(object))).batchItemFailures).toEqual([]);

    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({
      status: 'succeeded',
      counts: { accepted: 1, rejected: 2 },
      columns: [
        { header: 'Nombre', role: 'variable:Nombre' },
        { header: 'Contact Phone Number', role: 'phone' },
        { header: 'Other phone', role: 'alternate' },
        { header: 'Phone type', role: 'variable:Phone_type' },
        { header: 'Numero de cliente', role: 'variable:Numero_de_cliente' },
      ],
    });
    expect(stack.simulator.state().bases.map((base) => base.records)).toEqual([1]);
    const got = await stack.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: manifest!.rejectedFile! }),
    );
    const rows = parse((await got.Body?.transformToString('utf-8')) ?? '') as string[][];
    // A `'` before what a spreadsheet would run as a formula, where a cell could start.
    expect(rows.slice(1).map((cells) => cells[3])).toEqual([
      "Luis,'=1+2,,fixed,C-2",
      "'@SUM(A1),'+59,,mobile,C-3",
    ]);
  });

  it('handles a plain S3 event as well as an SQS-wrapped one', async () => {
    const object = await stack.put('incoming/Ventas/plain.csv', nativeLines(3));
    const response = await stack.handler()({
      Records: [recordFor('incoming/Ventas/plain.csv', object)],
    });
    expect(response.batchItemFailures).toEqual([]);
    expect((await stack.manifestOf(object))?.status).toBe('succeeded');
  });

  it('ignores test events, folder markers, temporary names, removals and keys outside incoming/', async () => {
    const handler = stack.handler();
    const temp = await stack.put('incoming/Ventas/big.csv.filepart', nativeLines(3));
    const outside = await stack.put('results/Ventas/x.csv', nativeLines(3));
    const folder = await stack.put('incoming/Ventas/', '');
    const events = [
      sample('sqs-s3-test-event.json'),
      sqsEvent([{ Records: [recordFor('incoming/Ventas/big.csv.filepart', temp)] }]),
      sqsEvent([{ Records: [recordFor('results/Ventas/x.csv', outside)] }]),
      sqsEvent([{ Records: [recordFor('incoming/Ventas/', folder)] }]),
      sqsEvent([{ Records: [recordFor('incoming/Ventas/big.csv', temp, 'ObjectRemoved:Delete')] }]),
    ];
    for (const event of events) expect((await handler(event)).batchItemFailures).toEqual([]);
    expect(stack.simulator.state().calls).toEqual({ login: 0, uploadbase: 0, endsession: 0 });
    expect(await stack.manifestOf(temp)).toBeUndefined();
  });

  it('answers a zero-byte drop with a skipped manifest and no uContact call', async () => {
    const empty = await stack.put('incoming/Ventas/empty.csv', '');
    const response = await stack.handler()(stack.eventFor(empty));
    expect(response.batchItemFailures).toEqual([]);
    expect(await stack.manifestOf(empty)).toMatchObject({
      status: 'skipped',
      error: { code: 'EMPTY_OBJECT' },
    });
    expect(stack.simulator.state().calls.login).toBe(0);
  });

  it('returns only the unreadable message of a batch as a failure and handles the rest', async () => {
    const good = await stack.put('incoming/Ventas/good.csv', nativeLines(4));
    const event = sqsEvent([
      { Records: [recordFor('incoming/Ventas/good.csv', good)] },
      'not an S3 event',
    ]);
    event.Records[1]!.body = '{not json';

    const response = await stack.handler()(event);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]!.messageId }]);
    expect((await stack.manifestOf(good))?.status).toBe('succeeded');
    expect(stack.metrics.FilesSucceeded).toBe(1);
    expect(stack.metrics.RowsAccepted).toBe(4);
    expect(stack.metrics.ChunksAccepted).toBe(1);
  });

  it.each([
    ['a dot-dot segment', 'incoming/Ventas/../x.csv', 'incoming/Ventas/_/x.csv'],
    ['an empty segment', 'incoming/Ventas//x.csv', 'incoming/Ventas/_/x.csv'],
    ['a control character', 'incoming/Ventas/x\u0001.csv', 'incoming/Ventas/x_.csv'],
  ])(
    'loads two keys with the same bytes that differ by %s, each with its own manifest',
    async (_, first, second) => {
      const handler = stack.handler();
      const lines = nativeLines(3);
      const objects = [await stack.put(first, lines), await stack.put(second, lines)];
      expect(objects[0]!.eTag).toBe(objects[1]!.eTag);

      for (const object of objects) {
        expect((await handler(stack.eventFor(object))).batchItemFailures).toEqual([]);
      }

      const manifests = await Promise.all(objects.map((object) => stack.manifestOf(object)));
      expect(manifests.map((manifest) => [manifest?.status, manifest?.source.key])).toEqual([
        ['succeeded', first],
        ['succeeded', second],
      ]);
      expect(stack.simulator.state().bases).toHaveLength(2);
    },
  );

  it('tells uContact the composed name of a campaign folder typed on a Mac', async () => {
    const key = 'incoming/Campan\u0303a/lista.csv';
    const object = await stack.put(key, nativeLines(2, 'Campaña'));
    expect((await stack.handler()(stack.eventFor(object))).batchItemFailures).toEqual([]);
    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({
      status: 'succeeded',
      campaign: 'Campaña',
      source: { key },
      counts: { accepted: 2 },
    });
    const listed = await stack.client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'results/Campaña/' }),
    );
    expect(listed.Contents?.map((entry) => entry.Key)).toContainEqual(
      expect.stringMatching(/^results\/Campaña\/lista\.csv~[0-9a-f]{12}\/e-\w+\/manifest\.json$/),
    );
    expect(stack.simulator.state().bases.map((base) => base.campaign)).toEqual(['Campaña']);
  });

  it('refuses a campaign folder the dialer cannot take and files the result under _rejected/', async () => {
    const object = await stack.put('incoming/Ven;tas/a.csv', nativeLines(2));
    const response = await stack.handler()(stack.eventFor(object));
    expect(response.batchItemFailures).toEqual([]);
    expect(await stack.manifestOf(object)).toMatchObject({
      status: 'rejected',
      campaign: null,
      error: { code: 'CAMPAIGN_RESERVED_CHARACTER' },
    });
    expect(stack.simulator.state().calls.login).toBe(0);
  });
});
