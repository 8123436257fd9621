import { readFileSync } from 'node:fs';
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
