import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawContact } from '../../../functions/contacts/contact.js';
import { InvalidOptionsError } from '../../../functions/contacts/errors.js';
import { formatLine } from '../../../functions/contacts/format-line.js';
import { ChangeKind, RejectionCode } from '../../../functions/contacts/reason-codes.js';
import { validateContact } from '../../../functions/contacts/validate-contact.js';
import { optionsFor, raw, rawFromLine } from './native-line.js';

const dialer = optionsFor('DialerTest<-');

function accepted(contact: RawContact, options = dialer) {
  const result = validateContact(contact, options);
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.message}`);
  return result.contact;
}

function refusal(contact: RawContact, options = dialer) {
  const result = validateContact(contact, options);
  if (result.ok) throw new Error(`accepted: ${formatLine(result.contact)}`);
  return result;
}

describe('validateContact with the public examples', () => {
  it.each([
    ['DialerTest<-', 'DialerTest<-;098344484;var1=val1:var2=val2;099124484:099111111;9999;1001'],
    ['prueba1', 'prueba1;098344484;var1=val1:var2=val2;099124484:099113110;9999;1001'],
    ['PruebaEncuesta', 'PruebaEncuesta;25252961;;;9999;'],
    [
      'AutomationDialerPD<-',
      'AutomationDialerPD<-;999444444;state=KY:variable2=val2;H=0=999555555:W=0=999666666;9999;',
    ],
    [
      'AutomationDialerPD<-',
      'AutomationDialerPD<-;999111111;state=NV:variable2=val2;999222222:999333333;9999;',
    ],
    [
      'AutomationDialerPD<-',
      'AutomationDialerPD<-;999777777;state=:variable2=val2;999888888:999999999;9999;',
    ],
    ['Campaign', 'Campaign;098344484;Name=Ana;;9999;'],
    ['Preview', 'Preview;098344484;Name=Ana;;9999'],
  ])('accepts and writes back byte for byte: %s', (campaign, line) => {
    const contact = accepted(rawFromLine(line), optionsFor(campaign));
    expect(contact.changes).toEqual([]);
    expect(formatLine(contact)).toBe(line);
  });

  it('refuses the vendor line that lacks the ; after the number as INVALID_PHONE', () => {
    const line = 'TestDialer<-;17688344484var1=val1:var2=val2;099124484:17688344484;9999;1001';
    const result = refusal(rawFromLine(line), optionsFor('TestDialer<-'));
    expect(result.code).toBe(RejectionCode.InvalidPhone);
    expect(result.message).not.toContain('17688344484');
  });

  it('keeps typed alternates and normalizes their numbers', () => {
    const contact = accepted(
      raw({
        campaign: 'DialerTest<-',
        main: '999444444',
        alternates: ['h=0=999 555 555', 'W=1=999666666'],
      }),
    );
    expect(contact.alternates).toEqual(['H=0=999555555', 'W=1=999666666']);
    expect(contact.changes).toContain(ChangeKind.PhoneFormatting);
  });
});

describe('validateContact campaign', () => {
  it('fills an empty campaign with the target', () => {
    const contact = accepted(rawFromLine(';098344484;;;9999;'));
    expect(contact.campaign).toBe('DialerTest<-');
    expect(contact.changes).toEqual([ChangeKind.CampaignFilled]);
  });

  it('rewrites a campaign that differs only by the <- suffix', () => {
    expect(accepted(rawFromLine('DialerTest;098344484;;;9999;')).changes).toEqual([
      ChangeKind.CampaignSuffix,
    ]);
    const contact = accepted(
      rawFromLine('TestDialer<-;098344484;;;9999;'),
      optionsFor('TestDialer'),
    );
    expect(formatLine(contact)).toBe('TestDialer;098344484;;;9999;');
  });

  it('loads a Progressive or Preview campaign named with -> as it is', () => {
    const contact = accepted(rawFromLine('Ventas->;098344484;;;9999;'), optionsFor('Ventas->'));
    expect(contact.changes).toEqual([]);
    expect(formatLine(contact)).toBe('Ventas->;098344484;;;9999;');
  });

  it('rewrites a campaign that differs only by the -> suffix, either way', () => {
    const target = accepted(rawFromLine('Ventas;098344484;;;9999;'), optionsFor('Ventas->'));
    expect(target.changes).toEqual([ChangeKind.CampaignSuffix]);
    expect(formatLine(target)).toBe('Ventas->;098344484;;;9999;');
    const line = accepted(rawFromLine('Ventas->;098344484;;;9999;'), optionsFor('Ventas'));
    expect(formatLine(line)).toBe('Ventas;098344484;;;9999;');
  });

  it('refuses a line for the same name with the other suffix as CAMPAIGN_MISMATCH', () => {
    expect(refusal(rawFromLine('Ventas<-;098344484;;;9999;'), optionsFor('Ventas->')).code).toBe(
      RejectionCode.CampaignMismatch,
    );
    expect(refusal(rawFromLine('Ventas->;098344484;;;9999;'), optionsFor('Ventas<-')).code).toBe(
      RejectionCode.CampaignMismatch,
    );
  });

  it('takes a campaign written in decomposed form for the composed target, and says so', () => {
    const contact = accepted(
      rawFromLine(' Campan\u0303a ;098344484;;;9999;'),
      optionsFor('Campaña<-'),
    );
    expect(contact.campaign).toBe('Campaña<-');
    expect(contact.changes).toEqual([ChangeKind.CampaignSuffix, ChangeKind.CampaignNormalized]);
  });

  it('trims spaces around the campaign', () => {
    expect(accepted(rawFromLine(' DialerTest<- ;098344484;;;9999;')).changes).toEqual([
      ChangeKind.FieldTrimmed,
    ]);
  });

  it('refuses another campaign as CAMPAIGN_MISMATCH, masking numbers in the message', () => {
    const result = refusal(rawFromLine('098344484;OtherDialer;;;9999;'));
    expect(result.code).toBe(RejectionCode.CampaignMismatch);
    expect(result.message).toContain('09*****84');
    expect(result.message).not.toContain('098344484');
  });
});

describe('validateContact main number and alternates', () => {
  it('reformats the main number and reports it', () => {
    const contact = accepted(rawFromLine('DialerTest<-;(099) 124-484;;;9999;'));
    expect(contact.main).toBe('099124484');
    expect(contact.changes).toEqual([ChangeKind.PhoneFormatting]);
  });

  it('reports a + prefix that was dropped', () => {
    expect(accepted(rawFromLine('DialerTest<-;+59899124484;;;9999;')).changes).toEqual([
      ChangeKind.PhonePrefix,
    ]);
  });

  it('promotes the first usable alternate when the main number is empty', () => {
    const contact = accepted(rawFromLine('DialerTest<-;;;abc:099124484:099111111;9999;'));
    expect(formatLine(contact)).toBe('DialerTest<-;099124484;;099111111;9999;');
    expect(contact.changes).toEqual(
      expect.arrayContaining([ChangeKind.AlternatePromoted, ChangeKind.AlternateDropped]),
    );
  });

  it('drops invalid alternates, ones equal to the main number and repeats', () => {
    const contact = accepted(
      rawFromLine('DialerTest<-;098344484;;123:098344484:099124484:H=0=099124484:M=0=;9999;'),
    );
    expect(contact.alternates).toEqual(['099124484']);
    expect(contact.changes).toEqual([ChangeKind.AlternateDropped]);
  });

  it('drops an empty alternate between two separators', () => {
    const contact = accepted(rawFromLine('DialerTest<-;098344484;;099124484::099111111;9999;'));
    expect(formatLine(contact)).toBe('DialerTest<-;098344484;;099124484:099111111;9999;');
    expect(contact.changes).toEqual([ChangeKind.AlternateDropped]);
  });

  it('refuses a missing main number without a usable alternate as MISSING_PHONE', () => {
    expect(refusal(rawFromLine('DialerTest<-;;;;9999;')).code).toBe(RejectionCode.MissingPhone);
    expect(refusal(rawFromLine('DialerTest<-; ;;12:x;9999;')).code).toBe(
      RejectionCode.MissingPhone,
    );
  });

  it('refuses a main number in scientific notation as SCIENTIFIC_NOTATION', () => {
    expect(refusal(rawFromLine('DialerTest<-;9.8344484E+8;;;9999;')).code).toBe(
      RejectionCode.ScientificNotation,
    );
  });

  it('refuses a main number of the wrong length as INVALID_PHONE', () => {
    expect(refusal(rawFromLine('DialerTest<-;12345;;;9999;')).code).toBe(
      RejectionCode.InvalidPhone,
    );
  });
});

describe('validateContact priority and agentphone', () => {
  it('fills an empty priority with the default', () => {
    const contact = accepted(rawFromLine('DialerTest<-;098344484;;;;'));
    expect(contact.priority).toBe('9999');
    expect(contact.changes).toEqual([ChangeKind.PriorityDefaulted]);
  });

  it('leaves an empty priority empty when the default is empty', () => {
    const contact = accepted(
      rawFromLine('DialerTest<-;098344484;;;;'),
      optionsFor('DialerTest<-', { defaultPriority: '' }),
    );
    expect(formatLine(contact)).toBe('DialerTest<-;098344484;;;;');
    expect(contact.changes).toEqual([]);
  });

  it('trims spaces and leading zeros from the priority', () => {
    const contact = accepted(rawFromLine('DialerTest<-;098344484;;; 0050 ;'));
    expect(contact.priority).toBe('50');
    expect(contact.changes).toEqual([ChangeKind.FieldTrimmed]);
  });

  it.each(['0', '10000', 'alta', '1.5', '-3'])(
    'refuses priority %j as BAD_PRIORITY',
    (priority) => {
      expect(refusal(raw({ campaign: 'DialerTest<-', main: '098344484', priority })).code).toBe(
        RejectionCode.BadPriority,
      );
    },
  );

  it('refuses an agentphone that is not digits as BAD_AGENTPHONE', () => {
    expect(refusal(rawFromLine('DialerTest<-;098344484;;;9999;ext 10')).code).toBe(
      RejectionCode.BadAgentphone,
    );
  });

  it('quotes a refused field cut short without showing the start of a number in it', () => {
    const agentphone = `${'x'.repeat(35)}0991234567`;
    const { message } = refusal(raw({ campaign: 'DialerTest<-', main: '098344484', agentphone }));
    expect(message).toContain(`${'x'.repeat(35)}09***...`);
    expect(message).not.toMatch(/\d{3}/);
  });

  it('trims spaces around the agentphone', () => {
    const contact = accepted(rawFromLine('DialerTest<-;098344484;;;9999; 1001 '));
    expect(contact.agentphone).toBe('1001');
    expect(contact.changes).toEqual([ChangeKind.FieldTrimmed]);
  });

  it('refuses options whose default priority is not valid', () => {
    const options = optionsFor('DialerTest<-', { defaultPriority: '9;9' });
    expect(() => validateContact(rawFromLine('DialerTest<-;098344484;;;;'), options)).toThrow(
      InvalidOptionsError,
    );
  });
});

describe('validateContact variables', () => {
  it('replaces reserved characters in variables with the configured replacement', () => {
    const contact = accepted(
      raw({
        campaign: 'DialerTest<-',
        main: '098344484',
        variables: [['dirección', 'Calle 8;\napto 3']],
        priority: '9999',
      }),
      optionsFor('DialerTest<-', { replacement: '_' }),
    );
    expect(formatLine(contact)).toBe('DialerTest<-;098344484;dirección=Calle 8__apto 3;;9999;');
    expect(contact.changes).toEqual([ChangeKind.ReservedCharacter]);
  });

  it('writes a variable without a value as name= and drops empty ones', () => {
    const contact = accepted(rawFromLine('DialerTest<-;098344484;a=1::vip;;9999;'));
    expect(formatLine(contact)).toBe('DialerTest<-;098344484;a=1:vip=;;9999;');
    expect(contact.changes).toEqual([ChangeKind.VariableRepaired]);
  });
});

const RESERVED = /[;:=\r\n\0]/;
const anyText = fc.string({ unit: 'binary', maxLength: 12 });
/** Arbitrary text now and then, plausible values mostly, so that many records get through. */
const sometimes = <T>(plausible: fc.Arbitrary<T>, other: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: plausible }, { weight: 1, arbitrary: other });
const phoneLike = sometimes(
  fc.oneof(
    { weight: 3, arbitrary: fc.stringMatching(/^\d{6,15}$/) },
    fc.stringMatching(/^[+]?[0-9 ().\-/]{0,18}$/),
    fc.stringMatching(/^[MWHmwh]=\d{1,2}=\d{5,16}$/),
  ),
  anyText,
);
const rawContacts = fc.record({
  line: fc.nat(),
  campaign: sometimes(fc.constantFrom('', 'DialerTest<-', 'DialerTest', ' DialerTest<-'), anyText),
  main: phoneLike,
  variables: fc.array(fc.tuple(anyText, fc.option(anyText, { nil: undefined })), { maxLength: 4 }),
  alternates: fc.array(phoneLike, { maxLength: 4 }),
  priority: sometimes(
    fc.oneof(fc.constantFrom('', '9999', ' 7 '), fc.stringMatching(/^\d{0,5}$/)),
    anyText,
  ),
  agentphone: sometimes(fc.constantFrom('', '1001', ' 22 '), anyText),
  fieldCount: fc.constantFrom(5, 6),
});

describe('validateContact on arbitrary records', () => {
  it('either refuses with a code or writes a line with the native field structure', () => {
    const codes = new Set<string>(Object.values(RejectionCode));
    let accepted = 0;
    fc.assert(
      fc.property(rawContacts, (record) => {
        const result = validateContact(record, dialer);
        if (!result.ok) {
          expect(codes.has(result.code)).toBe(true);
          return;
        }
        accepted++;
        const line = formatLine(result.contact);
        expect(line).not.toMatch(/[\r\n\0]/);
        const fields = line.split(';');
        expect(fields.length).toBe(
          record.fieldCount === 5 && result.contact.agentphone === '' ? 5 : 6,
        );
        const [campaign, main, variables, alternates, priority, agentphone = ''] = fields;
        expect(campaign).toBe('DialerTest<-');
        expect(main).toMatch(/^\d{6,15}$/);
        if (variables !== '') {
          for (const pair of variables!.split(':')) expect(pair.split('=')).toHaveLength(2);
        }
        for (const [name, value] of result.contact.variables) {
          expect(name).not.toMatch(RESERVED);
          expect(value).not.toMatch(RESERVED);
        }
        if (alternates !== '') {
          for (const alternate of alternates!.split(':')) {
            expect(alternate).toMatch(/^(?:[MWH]=\d{1,2}=)?\d{6,15}$/);
          }
        }
        expect(priority).toMatch(/^[1-9]\d{0,3}$/);
        expect(agentphone).toMatch(/^\d*$/);
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });

  it('writes a line back byte for byte whenever it reports no change', () => {
    // Mostly canonical fields, so that many lines pass unchanged; the rest must report a change.
    const noisy = (canonical: string[], other: string[]) =>
      fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...canonical) },
        { weight: 2, arbitrary: fc.constantFrom(...other) },
        fc.string({
          unit: fc.constantFrom('0', '9', 'a', '=', ':', ' ', 'H', '+', '-'),
          maxLength: 12,
        }),
      );
    const phone = noisy(
      ['098344484', '099124484', 'H=0=999555555'],
      ['+59899124484', '099 124 484', '12', '', 'h=00=099124484'],
    );
    const lines = fc
      .tuple(
        noisy(['DialerTest<-'], ['DialerTest', '', ' DialerTest<-']),
        phone,
        noisy(['', 'a=1', 'state=:b=2', '='], ['flag', 'a=1::b=2', 'x=1=2']),
        fc.array(phone, { maxLength: 2 }).map((list) => list.join(':')),
        noisy(['9999', '1'], ['', '0050', ' 5']),
        fc.option(noisy(['', '1001'], [' 1001']), { nil: undefined }),
      )
      .map((fields) => fields.filter((f) => f !== undefined).join(';'));
    let unchanged = 0;
    fc.assert(
      fc.property(lines, (line) => {
        const result = validateContact(rawFromLine(line), dialer);
        if (result.ok && result.contact.changes.length === 0) {
          unchanged++;
          expect(formatLine(result.contact)).toBe(line);
        }
      }),
      { numRuns: 3000 },
    );
    expect(unchanged).toBeGreaterThan(100);
  });
});

describe('validateContact on an empty priority', () => {
  it('gives the default exactly as it does to a blank one, which always takes the full path', () => {
    let defaulted = 0;
    fc.assert(
      fc.property(
        rawContacts,
        fc.boolean(),
        fc.constantFrom('9999', '5'),
        (record, ownCampaign, defaultPriority) => {
          const options = { ...dialer, defaultPriority };
          // Mostly the file's campaign, so that many records are canonical but for the priority.
          const campaign = ownCampaign ? record.campaign : dialer.campaign;
          const empty = validateContact({ ...record, campaign, priority: '' }, options);
          // A blank priority is never canonical, so it is read by the full path.
          const blank = validateContact({ ...record, campaign, priority: ' ' }, options);
          expect(empty).toEqual(blank);
          if (empty.ok && empty.contact.changes.length === 1) defaulted++;
        },
      ),
      { numRuns: 3000 },
    );
    expect(defaulted).toBeGreaterThan(100);
  });
});
