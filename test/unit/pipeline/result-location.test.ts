import { createHash } from 'node:crypto';
import fc from 'fast-check';
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
      reportKey:
        'results/Ventas Norte/lista ñandú +1.csv/e-ac0ed22bc5c46896e07dff323c5cd9e5/report.html',
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

  it('keeps the exact name of a key whose name is a safe path, sub-folders included', () => {
    expect(locate({ key: 'incoming/Ventas/2025/marzo_x.csv', eTag: 'abc' }).prefix).toBe(
      'results/Ventas/2025/marzo_x.csv/e-abc/',
    );
    expect(locate({ key: 'incoming/Ventas->/a..b~x.csv', eTag: 'abc' }).prefix).toBe(
      'results/Ventas->/a..b~x.csv/e-abc/',
    );
  });

  it('neutralizes dot segments and control characters, and marks the path with a hash of the key', () => {
    const key = 'incoming/Ventas/../\u0001x.csv';
    expect(locate({ key, eTag: 'abc' }).prefix).toBe(
      `results/Ventas/_/_x.csv~${sha256(key).slice(0, 12)}/e-abc/`,
    );
  });

  it('files a folder typed on a Mac under its composed name, marked', () => {
    expect(locate({ key: 'incoming/Campan\u0303a/x.csv', eTag: 'abc' }).prefix).toMatch(
      /^results\/Campaña\/x\.csv~[0-9a-f]{12}\/e-abc\/$/,
    );
  });

  it.each([
    ['a dot-dot segment', 'incoming/Camp/../x.csv', 'incoming/Camp/_/x.csv'],
    ['a dot segment', 'incoming/Camp/./x.csv', 'incoming/Camp/_/x.csv'],
    ['an empty segment', 'incoming/Camp//x.csv', 'incoming/Camp/_/x.csv'],
    ['a control character', 'incoming/Camp/x\u0001.csv', 'incoming/Camp/x_.csv'],
    ['a backslash', 'incoming/Camp/a\\b.csv', 'incoming/Camp/a_b.csv'],
    ['two lossy keys', 'incoming/Camp/../x.csv', 'incoming/Camp//x.csv'],
    ['a decomposed folder', 'incoming/Campan\u0303a/x.csv', 'incoming/Campaña/x.csv'],
    [
      'a name that looks marked',
      'incoming/Camp/../x.csv',
      `incoming/Camp/_/x.csv~${sha256('incoming/Camp/../x.csv').slice(0, 12)}`,
    ],
    [
      'a file that looks like a refused one',
      'incoming/Ven;tas/x.csv',
      `incoming/_rejected/${sha256('incoming/Ven;tas/x.csv').slice(0, 16)}`,
    ],
  ])('gives two keys with the same bytes two places: %s', (_, first, second) => {
    const a = locate({ key: first, eTag: 'abc' });
    const b = locate({ key: second, eTag: 'abc' });
    expect(a.prefix).not.toBe(b.prefix);
    expect(locate({ key: first, eTag: 'abc' })).toEqual(a);
  });

  it('never gives two keys the same place', () => {
    const segment = fc
      .array(fc.constantFrom('a', '_', '.', '~', '\u0001', '\\', 'n\u0303', 'ñ', '0'), {
        maxLength: 4,
      })
      .map((parts) => parts.join(''));
    const key = fc
      .tuple(
        fc.constantFrom('Camp', 'Campaña', 'Campan\u0303a', '_rejected'),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
      )
      .map(([folder, names]) => `incoming/${folder}/${names.join('/')}`);
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 2, maxLength: 40 }), (keys) => {
        const places = new Set(keys.map((k) => locate({ key: k, eTag: 'abc' }).prefix));
        expect(places.size).toBe(keys.length);
      }),
      { numRuns: 500 },
    );
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

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
