import { describe, expect, it } from 'vitest';
import { jsonPath, parseProfiles } from '../../../functions/profiles/parse-profiles.js';

const problemsOf = (file: unknown) => {
  const parsed = parseProfiles(typeof file === 'string' ? file : JSON.stringify(file));
  return parsed.ok ? [] : parsed.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('parseProfiles', () => {
  it('reads the documented shape, folder names in NFC', () => {
    const parsed = parseProfiles(
      JSON.stringify({
        strict: true,
        defaults: { defaultPriority: 9999 },
        campaigns: {
          'Campan\u0303a': { campaign: 'Ventas Norte<-', phone: { prefixes: ['09'] } },
        },
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.file.strict).toBe(true);
    expect(Object.keys(parsed.file.campaigns)).toEqual(['Campa\u00f1a']);
  });

  it('takes a file without strict as not strict, and a BOM before the JSON', () => {
    const parsed = parseProfiles('\uFEFF{"defaults": {"phone": {"prefix": "strip"}}}');
    expect(parsed.ok && parsed.file.strict).toBe(false);
  });

  it('accepts suppression lists by name and a reload window in days, and refuses others', () => {
    expect(
      problemsOf({ defaults: { suppress: ['registro-nacional'], reloadWindowDays: 30 } }),
    ).toEqual([]);
    expect(
      problemsOf({ campaigns: { Ventas: { suppress: ['a/b'], reloadWindowDays: -1 } } }),
    ).toEqual([
      '$.campaigns.Ventas.suppress[0]: must be a list name: a folder under suppression/, without /',
      '$.campaigns.Ventas.reloadWindowDays: must be a whole number from 0 to 3650',
    ]);
    expect(problemsOf({ defaults: { suppress: 'bajas', reloadWindowDays: 1.5 } })).toHaveLength(2);
  });

  it('gives every problem of the schema, each with its JSON path', () => {
    const problems = problemsOf({
      strcit: true,
      campaigns: {
        'ventas-norte': {
          phone: { minDigits: 0, prefixes: ['+09'], prefix: 'drop' },
          mapping: { columns: { Celular: 'telefono' } },
          defaultPriorty: 5,
        },
        'Ventas Sur': { campaign: 'Ventas;Sur', enabled: 'yes', defaultPriority: 0 },
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        '$: "strcit" is not a field here (misspelt?)',
        '$.campaigns["ventas-norte"]: "defaultPriorty" is not a field here (misspelt?)',
        '$.campaigns["ventas-norte"].phone.minDigits: must be a whole number from 1 to 15',
        '$.campaigns["ventas-norte"].phone.prefixes[0]: must be digits only, like "09"',
        '$.campaigns["ventas-norte"].phone.prefix: must be one of keep, strip, to-00',
        expect.stringMatching(
          /^\$\.campaigns\["ventas-norte"\]\.mapping\.columns\.Celular: "telefono" .* is not a role/,
        ),
        expect.stringMatching(
          /^\$\.campaigns\["Ventas Sur"\]\.campaign: .*\(CAMPAIGN_RESERVED_CHARACTER\)$/,
        ),
        '$.campaigns["Ventas Sur"].enabled: must be true or false',
        '$.campaigns["Ventas Sur"].defaultPriority: must be a whole number from 1 to 9999, or "" to leave it empty',
      ]),
    );
    expect(problems).toHaveLength(9);
  });

  it('says where JSON that does not parse breaks', () => {
    expect(problemsOf('{\n  "campaigns": {\n    "a": {},\n  }\n}')).toEqual([
      expect.stringMatching(/^\$: not valid JSON at line 4, column 3: /),
    ]);
  });

  it('refuses folder names the drop folder could never have, and two names for one folder', () => {
    expect(
      problemsOf({ campaigns: { ' Ventas': {}, 'Campan\u0303a': {}, 'Campa\u00f1a': {} } }),
    ).toEqual([
      expect.stringMatching(/^\$\.campaigns\[" Ventas"\]: .*\(CAMPAIGN_SURROUNDING_SPACES\)$/),
      '$.campaigns["Campaña"]: names the same folder as another profile (the two differ only in Unicode form)',
    ]);
  });

  it('refuses digit bounds that leave no number once defaults apply', () => {
    expect(
      problemsOf({
        defaults: { phone: { minDigits: 10 } },
        campaigns: { a: { phone: { maxDigits: 9 } }, b: { phone: { minDigits: 8, maxDigits: 9 } } },
      }),
    ).toEqual([
      '$.campaigns.a.phone: minDigits (10) is more than maxDigits (9), once defaults apply',
    ]);
  });

  it('refuses a file that is not an object', () => {
    expect(problemsOf('[]')).toEqual(['$: must be an object ({...})']);
  });
});

describe('jsonPath', () => {
  it('writes names that are identifiers with dots, others and indexes in brackets', () => {
    expect(jsonPath(['campaigns', 'Ventas Norte', 'phone', 'prefixes', 0])).toBe(
      '$.campaigns["Ventas Norte"].phone.prefixes[0]',
    );
  });
});
