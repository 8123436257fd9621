import { describe, expect, it } from 'vitest';
import { profileEngineOptions } from '../../../functions/profiles/engine-options.js';
import { parseProfiles } from '../../../functions/profiles/parse-profiles.js';
import { profileCampaign, resolveProfile } from '../../../functions/profiles/resolve-profile.js';
import type { CheckedProfiles } from '../../../functions/profiles/schema.js';

function profiles(file: unknown): CheckedProfiles {
  const parsed = parseProfiles(JSON.stringify(file));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.file;
}

const FILE = {
  strict: true,
  defaults: { defaultPriority: 9999, phone: { prefix: 'to-00', maxDigits: 12 } },
  campaigns: {
    'ventas-norte': {
      campaign: 'Ventas Norte<-',
      mapping: { columns: { 'Nro. Celular Titular': 'phone' } },
      phone: { minDigits: 8, maxDigits: 9, prefixes: ['09', '2', '4'] },
      defaultPriority: 5000,
    },
    'Campa\u00f1a': { enabled: false },
  },
};

describe('resolveProfile', () => {
  it("applies the folder's own fields over the defaults, phone rules one by one", () => {
    const verdict = resolveProfile(profiles(FILE), 'ventas-norte');
    expect(verdict).toEqual({
      ok: true,
      profile: {
        name: 'ventas-norte',
        source: 'campaign',
        campaign: 'Ventas Norte<-',
        mapping: { columns: { 'Nro. Celular Titular': 'phone' } },
        phone: { prefix: 'to-00', minDigits: 8, maxDigits: 9, prefixes: ['09', '2', '4'] },
        defaultPriority: 5000,
      },
    });
  });

  it('refuses a folder without a profile when strict, naming the folder', () => {
    expect(resolveProfile(profiles(FILE), 'Ventas Nrte')).toEqual({
      ok: false,
      code: 'CAMPAIGN_NOT_CONFIGURED',
      message: expect.stringContaining('"Ventas Nrte" has no profile'),
    });
  });

  it('gives the defaults to a folder without a profile when not strict', () => {
    const verdict = resolveProfile(profiles({ ...FILE, strict: false }), 'otra');
    expect(verdict).toMatchObject({ ok: true, profile: { name: null, source: 'defaults' } });
  });

  it('refuses a disabled profile, its folder matched in any Unicode form', () => {
    expect(resolveProfile(profiles(FILE), 'Campan\u0303a')).toMatchObject({
      ok: false,
      code: 'CAMPAIGN_NOT_CONFIGURED',
      message: expect.stringContaining('disabled'),
    });
  });
});

describe('profileCampaign', () => {
  it("is the profile's campaign as written, else the folder's campaign", () => {
    expect(profileCampaign({ campaign: 'Ventas Norte<-' }, 'ventas-norte->')).toBe(
      'Ventas Norte<-',
    );
    expect(profileCampaign({}, 'ventas-norte->')).toBe('ventas-norte->');
  });
});

describe('profileEngineOptions', () => {
  it('maps the profile to engine options, leaving out what it does not set', () => {
    const verdict = resolveProfile(profiles(FILE), 'ventas-norte');
    if (!verdict.ok) throw new Error(verdict.message);
    expect(profileEngineOptions(verdict.profile)).toEqual({
      mapping: { columns: { 'Nro. Celular Titular': 'phone' } },
      phoneRules: { minDigits: 8, maxDigits: 9, prefixes: ['09', '2', '4'] },
      phonePrefix: 'to-00',
      defaultPriority: '5000',
    });
    expect(profileEngineOptions({})).toEqual({});
  });
});
