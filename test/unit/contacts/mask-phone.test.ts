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

  it('masks numbers written with spaces, dots, dashes or parentheses', () => {
    expect(maskPhonesInText('call +598 99 555 124 today')).toBe('call +59* ** *** *24 today');
    expect(maskPhonesInText('alt 099-124-484;')).toBe('alt 09*-***-*84;');
    expect(maskPhonesInText('(099) 124.484')).toBe('(09*) ***.*84');
    expect(maskPhonesInText('+44 (0) 20 7946 0958')).toBe('+44 (*) ** **** **58');
  });

  it('keeps dates, times, addresses and short numbers readable', () => {
    const text =
      'at 2025-03-14T13:05:10.002Z (14.03.2025) from 127.0.0.1:8765, line 12, HTTP 503, 3 of 39 rows';
    expect(maskPhonesInText(text)).toBe(text);
  });

  it('still masks the number after a date', () => {
    expect(maskPhonesInText('2025-03-14 099 555 124')).toBe('2025-03-14 09* *** *24');
  });
});
