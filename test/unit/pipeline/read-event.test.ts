import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UnsupportedEventError } from '../../../functions/pipeline/errors.js';
import {
  decodeS3Key,
  IgnoreReason,
  type MessageWork,
  readEvent,
  type WorkItem,
} from '../../../functions/pipeline/read-event.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../events/${name}`, import.meta.url), 'utf8'));

const options = { incomingPrefix: 'incoming/' };

/** The SQS-wrapped put event with its S3 record changed by `edit`. */
function sqsPut(
  edit: (record: { eventName: string; s3: { object: Record<string, unknown> } }) => void,
) {
  const event = fixture('sqs-s3-put.json');
  const body = JSON.parse(event.Records[0].body);
  edit(body.Records[0]);
  event.Records[0].body = JSON.stringify(body);
  return event;
}

function onlyItem(work: MessageWork[]): WorkItem {
  expect(work).toHaveLength(1);
  const first = work[0]!;
  if ('error' in first) throw first.error;
  expect(first.items).toHaveLength(1);
  return first.items[0]!;
}

describe('readEvent', () => {
  it('decodes the key of an SQS-wrapped put: + is a space, %2B a plus, UTF-8 escapes', () => {
    const work = readEvent(fixture('sqs-s3-put.json'), options);
    expect(work[0]?.messageId).toBe('7b6e2f4a-1c0d-4e8b-9a55-3f1e2d7c9b01');
    expect(onlyItem(work)).toEqual({
      action: 'process',
      object: {
        bucket: 'ucontact-loader-drop',
        key: 'incoming/Ventas Norte/lista ñandú +1.csv',
        size: 2602,
        eTag: 'ac0ed22bc5c46896e07dff323c5cd9e5',
        versionId: undefined,
        sequencer: '0066E1B2C3D4E5F601',
        eventName: 'ObjectCreated:Put',
      },
    });
  });

  it('reads a plain S3 event the same way, without a message id', () => {
    const work = readEvent(fixture('s3-put.json'), options);
    expect(work[0]?.messageId).toBeUndefined();
    const item = onlyItem(work);
    expect(item.action).toBe('process');
    expect(item.object?.key).toBe('incoming/Ventas Norte/lista ñandú +1.csv');
  });

  it('acknowledges and ignores the s3:TestEvent S3 sends when notifications are set up', () => {
    expect(onlyItem(readEvent(fixture('sqs-s3-test-event.json'), options))).toEqual({
      action: 'ignore',
      reason: IgnoreReason.TestEvent,
    });
  });

  it.each([
    'ObjectCreated:Put',
    'ObjectCreated:Post',
    'ObjectCreated:Copy',
    'ObjectCreated:CompleteMultipartUpload',
  ])('handles %s', (eventName) => {
    const item = onlyItem(
      readEvent(
        sqsPut((r) => (r.eventName = eventName)),
        options,
      ),
    );
    expect(item.action).toBe('process');
  });

  it.each([
    ['a delete', { eventName: 'ObjectRemoved:Delete' }, IgnoreReason.NotObjectCreated],
    ['a restore', { eventName: 'ObjectRestore:Completed' }, IgnoreReason.NotObjectCreated],
    ['a folder marker', { key: 'incoming/Ventas+Norte/' }, IgnoreReason.FolderMarker],
    ['a zero-byte object', { size: 0 }, IgnoreReason.EmptyObject],
    ['an SFTP .filepart', { key: 'incoming/Ventas/a.csv.filepart' }, IgnoreReason.TemporaryName],
    ['a .part upload', { key: 'incoming/Ventas/a.csv.PART' }, IgnoreReason.TemporaryName],
    ['a .tmp file', { key: 'incoming/Ventas/a.tmp' }, IgnoreReason.TemporaryName],
    ['an Office lock file', { key: 'incoming/Ventas/%7E%24lista.csv' }, IgnoreReason.TemporaryName],
    [
      'a result written by the function',
      { key: 'results/Ventas/a.csv/e-1/manifest.json' },
      IgnoreReason.OutsideIncoming,
    ],
    [
      'a key that only starts like the prefix',
      { key: 'incoming-old/Ventas/a.csv' },
      IgnoreReason.OutsideIncoming,
    ],
  ])('ignores %s', (_, change, reason) => {
    const event = sqsPut((record) => {
      if ('eventName' in change) record.eventName = change.eventName as string;
      if ('key' in change) record.s3.object.key = change.key;
      if ('size' in change) record.s3.object.size = change.size;
    });
    const item = onlyItem(readEvent(event, options));
    expect(item).toMatchObject({ action: 'ignore', reason });
  });

  it('keeps the object of an ignored record so a result can still be written', () => {
    const item = onlyItem(
      readEvent(
        sqsPut((r) => (r.s3.object.size = 0)),
        options,
      ),
    );
    expect(item.object?.key).toBe('incoming/Ventas Norte/lista ñandú +1.csv');
  });

  it('treats the version id "null" of unversioned objects as no version', () => {
    const event = sqsPut((r) => (r.s3.object.versionId = 'null'));
    expect(onlyItem(readEvent(event, options)).object?.versionId).toBeUndefined();
    const versioned = sqsPut((r) => (r.s3.object.versionId = '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY'));
    expect(onlyItem(readEvent(versioned, options)).object?.versionId).toBe(
      '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
    );
  });

  it('fails only the message whose body is not JSON, and reads the others', () => {
    const good = fixture('sqs-s3-put.json').Records[0];
    const bad = { ...good, messageId: 'bad-1', body: 'this is not json' };
    const work = readEvent({ Records: [bad, good] }, options);
    expect(work).toHaveLength(2);
    expect(work[0]).toMatchObject({ messageId: 'bad-1' });
    expect('error' in work[0]! && work[0].error.message).toMatch(/bad-1.*not JSON/);
    expect('items' in work[1]! && work[1].items[0]?.action).toBe('process');
  });

  it('fails a message whose body is JSON but not an S3 notification', () => {
    const good = fixture('sqs-s3-put.json').Records[0];
    const work = readEvent({ Records: [{ ...good, body: '{"hello":"world"}' }] }, options);
    expect('error' in work[0]! && work[0].error.message).toMatch(/not an S3 event notification/);
  });

  it('fails a message whose key has a broken escape', () => {
    const work = readEvent(
      sqsPut((r) => (r.s3.object.key = 'incoming/a/%E0%A4%A.csv')),
      options,
    );
    expect('error' in work[0]! && work[0].error.message).toMatch(/not URL-encoded/);
  });

  it('returns one entry per record of a multi-record notification', () => {
    const event = fixture('s3-put.json');
    const second = structuredClone(event.Records[0]);
    second.s3.object.key = 'incoming/Otra/b.csv';
    event.Records.push(second);
    const work = readEvent(event, options);
    expect('items' in work[0]! && work[0].items.map((i) => i.object?.key)).toEqual([
      'incoming/Ventas Norte/lista ñandú +1.csv',
      'incoming/Otra/b.csv',
    ]);
  });

  it('refuses an event that is neither SQS nor S3', () => {
    expect(() => readEvent({ detail: {} }, options)).toThrow(UnsupportedEventError);
    expect(() => readEvent({ Records: [{ eventSource: 'aws:sns' }] }, options)).toThrow(
      UnsupportedEventError,
    );
  });
});

describe('decodeS3Key', () => {
  it('turns + into a space and %2B into a plus', () => {
    expect(decodeS3Key('a+b%2Bc%C3%B1')).toBe('a b+cñ');
  });
});
