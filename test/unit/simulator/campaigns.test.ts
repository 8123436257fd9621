import { describe, expect, it } from 'vitest';
import { campaignMatcher } from '../../../simulator/campaigns.js';

describe('campaignMatcher', () => {
  it('takes a suffixed name with its own suffix or none, never the other dialer type', () => {
    const known = campaignMatcher(['Ventas->', 'Cobros<-'], false);
    expect(['Ventas->', 'Ventas', 'Ventas<-'].map(known)).toEqual([true, true, false]);
    expect(['Cobros<-', 'Cobros', 'Cobros->'].map(known)).toEqual([true, true, false]);
  });

  it('takes either suffix for a name configured without one', () => {
    const known = campaignMatcher(['Encuesta'], false);
    expect(['Encuesta', 'Encuesta<-', 'Encuesta->', 'Encuesta<-<-', 'encuesta'].map(known)).toEqual(
      [true, true, true, false, false],
    );
  });

  it('compares names as given, without Unicode normalization or trimming', () => {
    const known = campaignMatcher(['Campa\u00f1a<-'], false);
    expect(known('Campa\u00f1a<-')).toBe(true);
    expect(known('Campan\u0303a<-')).toBe(false);
    expect(known(' Campa\u00f1a<-')).toBe(false);
  });

  it('never takes a bare suffix or an empty name', () => {
    const known = campaignMatcher(['<-', ''], false);
    expect(['<-', '->', ''].map(known)).toEqual([false, false, false]);
  });

  it('takes any non-blank name when told to accept any campaign', () => {
    const known = campaignMatcher([], true);
    expect(['Whatever->', 'x', '  '].map(known)).toEqual([true, true, false]);
  });
});
