import { describe, expect, it } from 'vitest';
import { parseNativeLine } from '../../../functions/contacts/parse-native.js';

describe('parseNativeLine', () => {
  it('splits fields on ;, variables on : and their first =, alternates on :', () => {
    const text = 'DialerTest<-;098344484;var1=val1:var2=a=b:flag;099124484:H=0=999555555;9999;1001';
    expect(parseNativeLine(text, 7)).toEqual({
      line: 7,
      campaign: 'DialerTest<-',
      main: '098344484',
      variables: [
        ['var1', 'val1'],
        ['var2', 'a=b'],
        ['flag', undefined],
      ],
      alternates: ['099124484', 'H=0=999555555'],
      priority: '9999',
      agentphone: '1001',
      fieldCount: 6,
      sourceText: text,
    });
  });

  it('keeps a five-field line at five fields', () => {
    expect(parseNativeLine('PruebaEncuesta;25252961;;;9999', 1)).toMatchObject({
      variables: [],
      alternates: [],
      priority: '9999',
      agentphone: '',
      fieldCount: 5,
    });
  });

  it('does not treat quotes specially, as uContact does not', () => {
    expect(parseNativeLine('C;099111222;n="a;b";;9999;', 1)).toMatchObject({
      code: 'TOO_MANY_FIELDS',
    });
  });

  it('refuses more than six fields as TOO_MANY_FIELDS and fewer than five as MALFORMED_ROW', () => {
    expect(parseNativeLine('a;b;c;d;e;f;g', 1)).toMatchObject({ code: 'TOO_MANY_FIELDS' });
    expect(parseNativeLine('a;099111222', 1)).toMatchObject({
      code: 'MALFORMED_ROW',
      message: expect.stringContaining('2 fields'),
    });
  });
});
