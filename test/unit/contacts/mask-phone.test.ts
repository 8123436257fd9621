import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesInText } from '../../../functions/contacts/mask-phone.js';

describe('maskPhone', () => {
  it('keeps only the first two and last two digits', () => {
    expect(maskPhone('098344484')).toBe('09*****84');
    expect(maskPhone('17688344484')).toBe('17*******84');
  });

  it('keeps formatting characters in place', () => {
    expect(maskPhone('+598 99 123 456')).toBe('+59* ** *** *56');
  });

  it('masks short numbers completely', () => {
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone('')).toBe('');
  });
});

describe('maskPhonesInText', () => {
  it('masks every run of six or more digits and leaves shorter ones', () => {
    expect(maskPhonesInText('line 12: 098344484 then 099124484, ext 1001')).toBe(
      'line 12: 09*****84 then 09*****84, ext 1001',
    );
  });

  it('leaves text without long digit runs untouched', () => {
    expect(maskPhonesInText('priority 9999 for 2 rows')).toBe('priority 9999 for 2 rows');
  });
});
