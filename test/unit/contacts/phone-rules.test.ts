import { describe, expect, it } from 'vitest';
import { brokenPhoneRule, normalizePhone } from '../../../functions/contacts/normalize-phone.js';
import { optionsFor } from './native-line.js';
import { runEngine } from './run-engine.js';

const RULES = { minDigits: 8, maxDigits: 9, prefixes: ['09', '2', '4'] };
const options = { ...optionsFor('Ventas<-'), phoneRules: RULES };

describe('brokenPhoneRule', () => {
  it('names the rule a number breaks, or nothing when it fits', () => {
    expect(brokenPhoneRule('0912345', RULES)).toBe('has 7 digits, fewer than 8');
    expect(brokenPhoneRule('0912345678', RULES)).toBe('has 10 digits, more than 9');
    expect(brokenPhoneRule('31234567', RULES)).toBe('does not start with 09, 2 or 4');
    expect(brokenPhoneRule('099123456', RULES)).toBeUndefined();
    expect(brokenPhoneRule('41234567', RULES)).toBeUndefined();
  });
});

describe('normalizePhone with phone rules', () => {
  it('refuses a number outside the rules as PHONE_RULE, after normalization, the number masked', () => {
    const result = normalizePhone('31 23 45 67', options);
    expect(result).toEqual({
      ok: false,
      code: 'PHONE_RULE',
      message:
        "The number 31****67 does not start with 09, 2 or 4, as the campaign's profile asks (phone rules)",
    });
  });

  it('checks the digits once the prefix policy applied', () => {
    const strip = { ...options, phonePrefix: 'strip' as const, phoneRules: { prefixes: ['598'] } };
    expect(normalizePhone('0059899123456', strip)).toMatchObject({
      ok: true,
      digits: '59899123456',
    });
  });

  it('keeps INVALID_PHONE for what is no number at all', () => {
    expect(normalizePhone('12345', options)).toMatchObject({ ok: false, code: 'INVALID_PHONE' });
  });
});

describe('the engine with phone rules', () => {
  it('refuses main numbers outside them and drops such alternates, in canonical lines too', async () => {
    const text =
      'Ventas<-;099123456;;;9999;\n' + // fits: the canonical line is sent as it is
      'Ventas<-;0991234;;;9999;\n' + // 7 digits
      'Ventas<-;31234567;;;9999;\n' + // another leading digit
      'Ventas<-;21234567;;31234567:41234567;9999;\n'; // one alternate breaks the rules
    const run = await runEngine(text, { campaign: 'Ventas<-', phoneRules: RULES });
    expect(run.lines).toEqual(['Ventas<-;099123456;;;9999;', 'Ventas<-;21234567;;41234567;9999;']);
    expect(run.rejections.map((r) => [r.line, r.code, r.message])).toEqual([
      [
        2,
        'PHONE_RULE',
        expect.stringMatching(/^Main number: The number 09\*+34 has 7 digits, fewer than 8/),
      ],
      [3, 'PHONE_RULE', expect.stringContaining('does not start with 09, 2 or 4')],
    ]);
    expect(run.summary.changes).toMatchObject({ ALTERNATE_DROPPED: 1 });
  });

  it('applies them to headered files as well', async () => {
    const run = await runEngine('telefono;nombre\n099123456;Ana\n31234567;Luis\n', {
      campaign: 'Ventas<-',
      phoneRules: RULES,
    });
    expect(run.contacts.map((c) => c.main)).toEqual(['099123456']);
    expect(run.rejections.map((r) => r.code)).toEqual(['PHONE_RULE']);
  });
});
