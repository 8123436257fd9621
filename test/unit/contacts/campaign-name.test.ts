import { describe, expect, it } from 'vitest';
import {
  CampaignRefusal,
  campaignSuffixOf,
  checkCampaignName,
  isCampaignSuffixSetting,
  MAX_CAMPAIGN_LENGTH,
  namesSameCampaign,
} from '../../../functions/contacts/campaign-name.js';

describe('checkCampaignName', () => {
  it('accepts both dialer suffixes and names without one', () => {
    for (const name of ['Ventas<-', 'Ventas->', 'Ventas Norte', 'Ventas..Norte']) {
      expect(checkCampaignName(name)).toEqual({ ok: true, name, campaign: name });
    }
  });

  it('appends the suffix only to a name that ends in neither suffix', () => {
    expect(checkCampaignName('Ventas', '<-')).toMatchObject({ campaign: 'Ventas<-' });
    expect(checkCampaignName('Ventas<-', '<-')).toMatchObject({ campaign: 'Ventas<-' });
    expect(checkCampaignName('Ventas->', '<-')).toMatchObject({ campaign: 'Ventas->' });
    expect(checkCampaignName('Ventas<-', '->')).toMatchObject({ campaign: 'Ventas<-' });
  });

  it('turns a name typed in decomposed form (macOS) into the composed one uContact knows', () => {
    const decomposed = 'Campan\u0303a';
    expect(checkCampaignName(decomposed, '<-')).toEqual({
      ok: true,
      name: 'Campaña',
      campaign: 'Campaña<-',
    });
  });

  it.each([
    ['an empty name', '', CampaignRefusal.EmptyName],
    ['a dot', '.', CampaignRefusal.DotName],
    ['two dots', '..', CampaignRefusal.DotName],
    ['a zero-width space', 'Ven\u200btas', CampaignRefusal.InvisibleCharacter],
    ['a zero-width joiner', 'Ventas\u200d', CampaignRefusal.InvisibleCharacter],
    ['a word joiner', '\u2060Ventas', CampaignRefusal.InvisibleCharacter],
    ['a byte order mark', '\ufeffVentas', CampaignRefusal.InvisibleCharacter],
    ['a right-to-left mark', 'Ventas\u200f', CampaignRefusal.InvisibleCharacter],
    ['a right-to-left override', 'Ven\u202etas', CampaignRefusal.InvisibleCharacter],
    ['a left-to-right isolate', 'Ven\u2066tas\u2069', CampaignRefusal.InvisibleCharacter],
    ['an Arabic letter mark', 'Ventas\u061c', CampaignRefusal.InvisibleCharacter],
    ['a semicolon', 'Ventas;Norte', CampaignRefusal.ReservedCharacter],
    ['a colon', 'Ventas:Norte', CampaignRefusal.ReservedCharacter],
    ['an equals sign', 'Ventas=1', CampaignRefusal.ReservedCharacter],
    ['a slash', 'Ventas/Norte', CampaignRefusal.ReservedCharacter],
    ['a backslash', 'Ventas\\Norte', CampaignRefusal.ReservedCharacter],
    ['a tab', 'Ven\ttas', CampaignRefusal.ReservedCharacter],
    ['a C1 control character', 'Ven\u0085tas', CampaignRefusal.ReservedCharacter],
    ['a leading space', ' Ventas', CampaignRefusal.SurroundingSpaces],
    ['a trailing no-break space', 'Ventas\u00a0', CampaignRefusal.SurroundingSpaces],
    ['more than the dialer takes', 'v'.repeat(MAX_CAMPAIGN_LENGTH + 1), CampaignRefusal.TooLong],
  ])('refuses %s', (_, name, reason) => {
    expect(checkCampaignName(name)).toMatchObject({ ok: false, reason });
  });

  it('counts the length in characters after NFC, the suffix included', () => {
    const accents = 'e\u0301'.repeat(MAX_CAMPAIGN_LENGTH);
    expect(checkCampaignName(accents)).toMatchObject({ ok: true, name: 'é'.repeat(100) });
    expect(checkCampaignName('😀'.repeat(MAX_CAMPAIGN_LENGTH))).toMatchObject({ ok: true });
    expect(checkCampaignName('v'.repeat(MAX_CAMPAIGN_LENGTH - 1), '<-')).toMatchObject({
      ok: false,
      reason: CampaignRefusal.TooLong,
      message: expect.stringContaining('with the suffix <-'),
    });
  });

  it('says what to do, starting with the caller’s label, without quoting the name', () => {
    const check = checkCampaignName('Ventas;<script>', '', '--campaign');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.message).toMatch(/^--campaign holds a character .*: give the campaign name as/);
    expect(check.message).not.toContain('<script>');
  });
});

describe('namesSameCampaign', () => {
  it('matches a name with or without a suffix, but never two different suffixes', () => {
    expect(namesSameCampaign('Ventas', 'Ventas<-')).toBe(true);
    expect(namesSameCampaign('Ventas->', 'Ventas')).toBe(true);
    expect(namesSameCampaign('Ventas->', 'Ventas->')).toBe(true);
    expect(namesSameCampaign('Ventas<-', 'Ventas->')).toBe(false);
    expect(namesSameCampaign('Ventas', 'Compras')).toBe(false);
  });
});

describe('the suffix setting', () => {
  it('takes <-, -> or nothing', () => {
    expect(['', '<-', '->'].every(isCampaignSuffixSetting)).toBe(true);
    expect(['<', '<-Out', ' <-', '=>'].some(isCampaignSuffixSetting)).toBe(false);
    expect(campaignSuffixOf('Ventas->')).toBe('->');
    expect(campaignSuffixOf('Ventas')).toBe('');
  });
});
