import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../functions/contacts/normalize-phone.js';
import { PhonePrefixPolicy } from '../../../functions/contacts/options.js';
import { ChangeKind, RejectionCode } from '../../../functions/contacts/reason-codes.js';
import { optionsFor } from './native-line.js';

const options = optionsFor('DialerTest<-');

describe('normalizePhone', () => {
  it('accepts a number of plain digits unchanged, leading zero included', () => {
    expect(normalizePhone('098344484', options)).toEqual({
      ok: true,
      digits: '098344484',
      changes: [],
    });
  });

  it('strips spaces, non-breaking spaces, dashes, dots, parentheses and slashes', () => {
    for (const text of ['099 124 484', '099\u00a0124\u00a0484', '(099) 124-484', '099.124/484']) {
      expect(normalizePhone(text, options)).toEqual({
        ok: true,
        digits: '099124484',
        changes: [ChangeKind.PhoneFormatting],
      });
    }
  });

  it('keeps the digits after a + by default and reports the prefix change', () => {
    expect(normalizePhone('+598 99 124 484', options)).toEqual({
      ok: true,
      digits: '59899124484',
      changes: [ChangeKind.PhoneFormatting, ChangeKind.PhonePrefix],
    });
    expect(normalizePhone('0059899124484', options)).toMatchObject({
      digits: '0059899124484',
      changes: [],
    });
  });

  it('drops + and 00 under the strip policy', () => {
    const strip = optionsFor('x', { phonePrefix: PhonePrefixPolicy.Strip });
    expect(normalizePhone('+59899124484', strip)).toMatchObject({
      digits: '59899124484',
      changes: [ChangeKind.PhonePrefix],
    });
    expect(normalizePhone('0059899124484', strip)).toMatchObject({
      digits: '59899124484',
      changes: [ChangeKind.PhonePrefix],
    });
  });

  it('writes + as 00 under the to-00 policy', () => {
    const toDoubleZero = optionsFor('x', { phonePrefix: PhonePrefixPolicy.ToDoubleZero });
    expect(normalizePhone('+59899124484', toDoubleZero)).toMatchObject({
      digits: '0059899124484',
      changes: [ChangeKind.PhonePrefix],
    });
    expect(normalizePhone('0059899124484', toDoubleZero)).toMatchObject({ changes: [] });
  });

  it('refuses numbers shorter or longer than the limits without showing them', () => {
    const short = normalizePhone('12345', options);
    expect(short).toMatchObject({ ok: false, code: RejectionCode.InvalidPhone });
    expect(!short.ok && short.message).toContain('5 digits');
    const long = normalizePhone('1234567890123456', options);
    expect(long).toMatchObject({ ok: false, code: RejectionCode.InvalidPhone });
    expect(!long.ok && long.message).not.toContain('1234567890123456');
  });

  it('honours configured digit limits', () => {
    expect(normalizePhone('12345', optionsFor('x', { minPhoneDigits: 5 }))).toMatchObject({
      ok: true,
    });
  });

  it('names a character outside the BMP by its whole code point, never half of it', () => {
    for (const [text, named] of [
      ['099\u{1d7ce}12345', "'\u{1d7ce}' (U+1D7CE)"],
      ['0991234😀', "'😀' (U+1F600)"],
      ['099123\ud83d', 'U+D83D'],
    ] as const) {
      expect(normalizePhone(text, options)).toEqual({
        ok: false,
        code: RejectionCode.InvalidPhone,
        message: `The number contains the character ${named}`,
      });
    }
  });

  it('refuses letters and a + that is not at the start', () => {
    expect(normalizePhone('0983444B4', options)).toMatchObject({
      code: RejectionCode.InvalidPhone,
    });
    expect(normalizePhone('17688344484var1=val1:var2=val2', options)).toMatchObject({
      code: RejectionCode.InvalidPhone,
    });
    expect(normalizePhone('598+99124484', options)).toMatchObject({
      code: RejectionCode.InvalidPhone,
    });
  });

  it('refuses spreadsheet scientific notation with its own code instead of expanding it', () => {
    for (const text of ['9.8344484E+8', '9,83E+08', '1.7688E+10', ' 9.8344484e8 ']) {
      expect(normalizePhone(text, options)).toMatchObject({
        ok: false,
        code: RejectionCode.ScientificNotation,
      });
    }
  });

  it('refuses a number a spreadsheet wrote as a decimal instead of keeping its decimals as digits', () => {
    for (const text of [
      '98344484.0',
      '99123456.00',
      '98344484,5',
      ' +59899123456.0 ',
      '-98344484.0',
    ]) {
      const result = normalizePhone(text, options);
      expect(result).toMatchObject({ ok: false, code: RejectionCode.InvalidPhone });
      expect(!result.ok && result.message).toMatch(/format the column as text/);
    }
  });

  it('still reads dotted groups and a number with spaces and dashes as formatting', () => {
    expect(normalizePhone('099.124.484', options)).toMatchObject({ digits: '099124484' });
    expect(normalizePhone('2 123-4567', options)).toMatchObject({ digits: '21234567' });
    expect(normalizePhone('099.124.48', options)).toMatchObject({ digits: '09912448' });
  });

  it('reports an empty or blank number as missing', () => {
    for (const text of ['', '   ', ' - ']) {
      expect(normalizePhone(text, options)).toMatchObject({ code: RejectionCode.MissingPhone });
    }
  });
});
