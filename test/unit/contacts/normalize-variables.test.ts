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

  it('returns text without reserved characters as it is', () => {
    const text = 'Montevideo, Uruguay';
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
