import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeS3Key } from '../../../functions/pipeline/read-event.js';
import { encodeS3Key, s3PutNotification, sqsEvent } from '../../../local-aws/s3-event.js';

const sample = JSON.parse(
  readFileSync(new URL('../../../events/s3-put.json', import.meta.url), 'utf8'),
);

describe('encodeS3Key', () => {
  it('encodes a key as the sample S3 notification does', () => {
    expect(encodeS3Key('incoming/Ventas Norte/lista ñandú +1.csv')).toBe(
      sample.Records[0].s3.object.key,
    );
  });

  it('round-trips through the decoder the function uses', () => {
    for (const key of [
      'incoming/a b/c+d(1)!.csv',
      "incoming/x/o'neil ~%.csv",
      'incoming/é/ü.txt',
    ]) {
      expect(decodeS3Key(encodeS3Key(key))).toBe(key);
    }
  });
});

describe('sqsEvent', () => {
  it('wraps each notification in its own SQS message', () => {
    const object = {
      bucket: 'b',
      key: 'incoming/a b/c.csv',
      size: 3,
      eTag: '"abc"',
      sequencer: '01',
    };
    const event = sqsEvent([s3PutNotification(object), s3PutNotification(object)]);
    expect(event.Records).toHaveLength(2);
    expect(event.Records[0]!.messageId).not.toBe(event.Records[1]!.messageId);
    const body = JSON.parse(event.Records[0]!.body);
    expect(body.Records[0].s3.object).toMatchObject({
      key: 'incoming/a+b/c.csv',
      eTag: 'abc',
      size: 3,
    });
  });
});
