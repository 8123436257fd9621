import { describe, expect, it } from 'vitest';
import {
  type CampaignOptions,
  campaignFromKey,
} from '../../../functions/pipeline/campaign-from-key.js';
import { MissingObjectIdentityError } from '../../../functions/pipeline/errors.js';
import { objectIdentity, resultLocation } from '../../../functions/pipeline/result-location.js';

const options: CampaignOptions = { incomingPrefix: 'incoming/', campaignSuffix: '<-' };
const key = 'incoming/Ventas Norte/lista ñandú +1.csv';
const locate = (object: { key: string; versionId?: string; eTag?: string }) =>
  resultLocation(object, campaignFromKey(object.key, options), 'results/');

describe('resultLocation', () => {
  it('files results under the campaign folder, the file name and the ETag', () => {
    expect(locate({ key, eTag: '"ac0ed22bc5c46896e07dff323c5cd9e5"' })).toEqual({
      prefix: 'results/Ventas Norte/lista ñandú +1.csv/e-ac0ed22bc5c46896e07dff323c5cd9e5/',
      manifestKey:
        'results/Ventas Norte/lista ñandú +1.csv/e-ac0ed22bc5c46896e07dff323c5cd9e5/manifest.json',
      rejectedKey:
        'results/Ventas Norte/lista ñandú +1.csv/e-ac0ed22bc5c46896e07dff323c5cd9e5/rejected.csv',
      stateKey:
        'results/Ventas Norte/lista ñandú +1.csv/e-ac0ed22bc5c46896e07dff323c5cd9e5/state.json',
      identity: 'e-ac0ed22bc5c46896e07dff323c5cd9e5',
    });
  });

  it('maps a redelivered event to the same place', () => {
    expect(locate({ key, eTag: 'abc', versionId: 'v1' })).toEqual(
      locate({ key, eTag: 'abc', versionId: 'v1' }),
    );
  });

  it('gives a new upload of the same name a new place', () => {
    expect(locate({ key, versionId: 'v1', eTag: 'abc' }).prefix).not.toBe(
      locate({ key, versionId: 'v2', eTag: 'abc' }).prefix,
    );
    expect(locate({ key, eTag: 'abc' }).prefix).not.toBe(locate({ key, eTag: 'def' }).prefix);
  });

  it('files refused campaign folders under _rejected by a hash, never by the raw name', () => {
    const location = locate({ key: 'incoming/Ventas;../../x/a.csv', eTag: 'abc' });
    expect(location.prefix).toMatch(/^results\/_rejected\/[0-9a-f]{16}\/e-abc\/$/);
    expect(locate({ key: 'incoming/a.csv', eTag: 'abc' }).prefix).toMatch(/^results\/_rejected\//);
  });

  it('neutralizes dot segments and control characters in the file path', () => {
    const location = locate({ key: 'incoming/Ventas/../\u0001x.csv', eTag: 'abc' });
    expect(location.prefix).toBe('results/Ventas/_/_x.csv/e-abc/');
  });
});

describe('objectIdentity', () => {
  it('prefers the version id over the ETag', () => {
    expect(objectIdentity({ versionId: 'Abc.123_x-y', eTag: 'e' })).toBe('v-Abc.123_x-y');
  });

  it('encodes version ids with unsafe characters, deterministically', () => {
    const id = objectIdentity({ versionId: '3/L4kqtJ+rmSpX' });
    expect(id).toMatch(/^v-b64\.[A-Za-z0-9_-]+$/);
    expect(objectIdentity({ versionId: '3/L4kqtJ+rmSpX' })).toBe(id);
  });

  it('uses the ETag of a multipart upload as it is', () => {
    expect(objectIdentity({ eTag: '"d41d8cd98f00b204e9800998ecf8427e-12"' })).toBe(
      'e-d41d8cd98f00b204e9800998ecf8427e-12',
    );
  });

  it('refuses an object with neither version id nor ETag', () => {
    expect(() => objectIdentity({ versionId: 'null' })).toThrow(MissingObjectIdentityError);
  });
});
