import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../../functions/contacts/errors.js';
import {
  normalizeVariables,
  replaceReserved,
} from '../../../functions/contacts/normalize-variables.js';
import { ChangeKind } from '../../../functions/contacts/reason-codes.js';

describe('replaceReserved', () => {
  it('replaces ; : = CR LF and NUL with the replacement', () => {
    expect(replaceReserved('a;b:c=d\re\nf\0g', ' ')).toBe('a b c d e f g');
    expect(replaceReserved('Calle 8; apto 3', '_')).toBe('Calle 8_ apto 3');
    expect(replaceReserved('10:30', '')).toBe('1030');
  });

  it('replaces control characters, line separators and text-direction controls, not tabs', () => {
    expect(replaceReserved('a\x01b\x1fc\x7fd\u0085e\u2028f\u2029g\u200eh\u202ei', '_')).toBe(
      'a_b_c_d_e_f_g_h_i',
    );
    expect(replaceReserved('a\tb', '_')).toBe('a\tb');
  });

  it('returns text without reserved characters as it is', () => {
    const text = 'Montevideo, Uruguay\u00a0(Centro) 😀 ñ';
    expect(replaceReserved(text, ' ')).toBe(text);
  });

  it('refuses a replacement that is itself reserved', () => {
    expect(() => replaceReserved('a;b', ':')).toThrow(InvalidOptionsError);
  });
});

describe('normalizeVariables', () => {
  it('keeps canonical variables, empty values included, with no change', () => {
    const variables = [
      ['state', ''],
      ['variable2', 'val2'],
    ] as const;
    expect(normalizeVariables(variables, ' ')).toEqual({ variables, changes: [] });
  });

  it('replaces reserved characters in names and values', () => {
    expect(normalizeVariables([['hora:inicio', 'a=b;c']], ' ')).toEqual({
      variables: [['hora inicio', 'a b c']],
      changes: [ChangeKind.ReservedCharacter],
    });
  });

  it('counts each kind of character replaced once, in the order first met', () => {
    expect(
      normalizeVariables(
        [
          ['nota', 'uno\u2028dos\0'],
          ['x\u200f', 'a;b\u2029'],
        ],
        ' ',
      ),
    ).toEqual({
      variables: [
        ['nota', 'uno dos '],
        ['x ', 'a b '],
      ],
      changes: [
        ChangeKind.LineSeparatorReplaced,
        ChangeKind.ControlCharacterReplaced,
        ChangeKind.BidiControlReplaced,
        ChangeKind.ReservedCharacter,
      ],
    });
  });

  it('writes a variable without = as name= and drops empty elements', () => {
    expect(
      normalizeVariables(
        [
          ['a', '1'],
          ['', undefined],
          ['flag', undefined],
        ],
        ' ',
      ),
    ).toEqual({
      variables: [
        ['a', '1'],
        ['flag', ''],
      ],
      changes: [ChangeKind.VariableRepaired],
    });
  });

  it('treats an empty field read as one empty element as no change', () => {
    expect(normalizeVariables([['', undefined]], ' ')).toEqual({ variables: [], changes: [] });
  });
});
