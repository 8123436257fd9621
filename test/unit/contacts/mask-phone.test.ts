import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesInText } from '../../../functions/contacts/mask-phone.js';
import { normalizePhone } from '../../../functions/contacts/normalize-phone.js';
import { DEFAULT_ENGINE_OPTIONS, PhonePrefixPolicy } from '../../../functions/contacts/options.js';
import { PHONE_FORMATTING_CHARACTERS } from '../../../functions/contacts/phone-characters.js';

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

  it('masks Arabic-Indic digits as digits', () => {
    expect(maskPhone('٠٩٩١٢٣٤٥٦٧')).toBe('٠٩******٦٧');
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
    expect(maskPhonesInText('The row is longer than 16384 characters.')).toBe(
      'The row is longer than 16384 characters.',
    );
  });

  it('masks numbers written with spaces, dots, dashes or parentheses', () => {
    expect(maskPhonesInText('call +598 99 555 124 today')).toBe('call +59* ** *** *24 today');
    expect(maskPhonesInText('alt 099-124-484;')).toBe('alt 09*-***-*84;');
    expect(maskPhonesInText('(099) 124.484')).toBe('(09*) ***.*84');
    expect(maskPhonesInText('+44 (0) 20 7946 0958')).toBe('+44 (*) ** **** **58');
  });

  it.each([
    ['slashes', 'tel 099/123/4567.', 'tel 09*/***/**67.'],
    ['underscores', 'tel 099_123_4575.', 'tel 09*_***_**75.'],
    ['one digit at a time', 'tel 0 9 9 1 2 3 4 5 6 7.', 'tel 0 9 * * * * * * 6 7.'],
    ['wide gaps', 'tel 099 -- 123 -- 4567', 'tel 09* -- *** -- **67'],
    ['no-break spaces and en dashes', 'tel 099\u00a0123\u20134567', 'tel 09*\u00a0***\u2013**67'],
    ['Arabic-Indic digits', 'tel ٠٩٩ ١٢٣ ٤٥٦٧', 'tel ٠٩* *** **٦٧'],
    ['Extended Arabic-Indic digits', 'tel ۰۹۹۱۲۳۴۵۶۷', 'tel ۰۹******۶۷'],
  ])('masks a number written with %s', (_, text, masked) => {
    expect(maskPhonesInText(text)).toBe(masked);
  });

  it('masks dates and addresses written as a number the engine could read', () => {
    expect(maskPhonesInText('on 14.03.2025 from 127.0.0.1:8765')).toBe(
      'on 14.**.**25 from 12*.*.0.1:8765',
    );
    expect(maskPhonesInText('2025-03-14 099 555 124')).toBe('20**-**-** *** *** *24');
  });

  it('keeps ISO 8601 time stamps, times and short numbers readable', () => {
    const text = 'at 2025-03-14T13:05:10.002Z, line 12, HTTP 503, 3 of 39 rows, 12:30';
    expect(maskPhonesInText(text)).toBe(text);
  });
});

/** A character of a candidate number: mostly digits, some formatting the engine strips. */
const numberCharacter = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...'0123456789') },
  { weight: 2, arbitrary: fc.constantFrom(...PHONE_FORMATTING_CHARACTERS) },
);
const candidate = fc
  .tuple(fc.boolean(), fc.array(numberCharacter, { minLength: 1, maxLength: 40 }))
  .map(([plus, characters]) => (plus ? '+' : '') + characters.join(''));
const phoneOptions = fc.record({
  phonePrefix: fc.constantFrom(...Object.values(PhonePrefixPolicy)),
  minPhoneDigits: fc.integer({ min: DEFAULT_ENGINE_OPTIONS.minPhoneDigits, max: 10 }),
  maxPhoneDigits: fc.integer({ min: 10, max: 30 }),
});
/** What messages put around a number (never a `T12:30` right after it: see the ISO time stamps). */
const before = fc.constantFrom('', 'The number ', 'line 12: ', 'alt ', '"', '(', 'x=', 'part 3 ');
const after = fc.constantFrom('', ' is already on an earlier line', '; the first', '"', ')', ' 7');
const digitsIn = (text: string) => text.match(/\p{Nd}/gu)?.length ?? 0;

describe('maskPhonesInText, for every number the engine reads', () => {
  it('shows at most two leading and two trailing digits of it, wherever it sits in a message', () => {
    fc.assert(
      fc.property(candidate, phoneOptions, before, after, (phone, options, head, tail) => {
        fc.pre(normalizePhone(phone, options).ok);
        const masked = maskPhonesInText(head + phone + tail);
        // Masking replaces a character with one character, so the number keeps its place.
        const shown = masked.slice(head.length, head.length + phone.length);
        expect(digitsIn(shown)).toBeLessThanOrEqual(4);
        expect(shown).not.toMatch(/\d{5}/);
      }),
      { numRuns: 2000 },
    );
  });

  it('does the same for numbers in Arabic-Indic digits or joined by underscores', () => {
    const character = fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...'0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹') },
      { weight: 2, arbitrary: fc.constantFrom(...`${PHONE_FORMATTING_CHARACTERS}_`) },
    );
    const number = fc
      .array(character, { minLength: 6, maxLength: 30 })
      .map((characters) => characters.join(''))
      .filter((text) => digitsIn(text) >= 6 && /^\p{Nd}/u.test(text));
    fc.assert(
      fc.property(number, before, after, (phone, head, tail) => {
        const masked = maskPhonesInText(head + phone + tail);
        expect(digitsIn(masked.slice(head.length, head.length + phone.length))).toBeLessThanOrEqual(
          4,
        );
      }),
      { numRuns: 1000 },
    );
  });
});
