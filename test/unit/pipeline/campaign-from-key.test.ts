import { describe, expect, it } from 'vitest';
import { CampaignRefusal } from '../../../functions/contacts/campaign-name.js';
import {
  type CampaignOptions,
  campaignFromKey,
} from '../../../functions/pipeline/campaign-from-key.js';

const plain: CampaignOptions = { incomingPrefix: 'incoming/', campaignSuffix: '' };
const dialer: CampaignOptions = { incomingPrefix: 'incoming/', campaignSuffix: '<-' };

describe('campaignFromKey', () => {
  it('takes the first folder under the prefix as the campaign', () => {
    expect(campaignFromKey('incoming/Ventas Norte/lista ñandú +1.csv', plain)).toEqual({
      ok: true,
      campaign: 'Ventas Norte',
      folder: 'Ventas Norte',
      folderNormalized: false,
      name: 'lista ñandú +1.csv',
    });
  });

  it('keeps sub-folders in the name', () => {
    expect(campaignFromKey('incoming/Ventas/2025/marzo.csv', plain)).toMatchObject({
      campaign: 'Ventas',
      name: '2025/marzo.csv',
    });
  });

  it('appends the configured suffix when the folder lacks it', () => {
    expect(campaignFromKey('incoming/AutomationDialerPD/a.csv', dialer)).toMatchObject({
      campaign: 'AutomationDialerPD<-',
      folder: 'AutomationDialerPD',
    });
  });

  it('does not append the suffix twice', () => {
    expect(campaignFromKey('incoming/AutomationDialerPD<-/a.csv', dialer)).toMatchObject({
      campaign: 'AutomationDialerPD<-',
    });
  });

  it('keeps a folder that ends in the other suffix as it is', () => {
    expect(campaignFromKey('incoming/Ventas->/a.csv', dialer)).toMatchObject({
      campaign: 'Ventas->',
      folder: 'Ventas->',
    });
  });

  it('tells uContact the composed (NFC) name of a folder typed on a Mac, and keeps the file name', () => {
    expect(campaignFromKey('incoming/Campan\u0303a/man\u0303ana.csv', dialer)).toEqual({
      ok: true,
      campaign: 'Campaña<-',
      folder: 'Campaña',
      folderNormalized: true,
      name: 'man\u0303ana.csv',
    });
  });

  it.each([
    ['a file directly under the prefix', 'incoming/lista.csv', CampaignRefusal.NoCampaignFolder],
    ['an empty folder name', 'incoming//lista.csv', CampaignRefusal.EmptyName],
    ['a semicolon', 'incoming/Ventas;Norte/a.csv', CampaignRefusal.ReservedCharacter],
    ['a colon', 'incoming/Ventas:Norte/a.csv', CampaignRefusal.ReservedCharacter],
    ['an equals sign', 'incoming/Ventas=1/a.csv', CampaignRefusal.ReservedCharacter],
    ['a backslash', 'incoming/Ventas\\Norte/a.csv', CampaignRefusal.ReservedCharacter],
    ['a control character', 'incoming/Ven\ttas/a.csv', CampaignRefusal.ReservedCharacter],
    ['a dot', 'incoming/./a.csv', CampaignRefusal.DotName],
    ['two dots', 'incoming/../a.csv', CampaignRefusal.DotName],
    ['a zero-width space', 'incoming/Ven\u200btas/a.csv', CampaignRefusal.InvisibleCharacter],
    ['a bidirectional control', 'incoming/\u202eVentas/a.csv', CampaignRefusal.InvisibleCharacter],
    ['a leading space', 'incoming/ Ventas/a.csv', CampaignRefusal.SurroundingSpaces],
    ['a trailing space', 'incoming/Ventas /a.csv', CampaignRefusal.SurroundingSpaces],
    ['more than 100 characters', `incoming/${'v'.repeat(101)}/a.csv`, CampaignRefusal.TooLong],
  ])('refuses %s', (_, key, reason) => {
    const verdict = campaignFromKey(key, plain);
    expect(verdict).toMatchObject({
      ok: false,
      reason,
      message: expect.stringMatching(/^the (campaign folder name|file) /),
    });
  });

  it('counts the suffix in the length limit', () => {
    expect(campaignFromKey(`incoming/${'v'.repeat(99)}/a.csv`, dialer)).toMatchObject({
      ok: false,
      reason: CampaignRefusal.TooLong,
    });
  });

  it('never quotes the refused name in its message', () => {
    const verdict = campaignFromKey('incoming/Ventas;<script>/a.csv', plain);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).not.toContain('<script>');
  });
});
