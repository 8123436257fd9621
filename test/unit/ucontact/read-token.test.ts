import { describe, expect, it } from 'vitest';
import { AuthFailedError, BadAnswerError } from '../../../functions/ucontact/errors.js';
import { readToken } from '../../../functions/ucontact/read-token.js';

const SUPERVISOR_ANSWER = `[
  { "userid": "Admin", "password": "AjsBbbpWkaUl8dz0nMTc0Q==", "idgroup": "SuperUser", "enabled": true, "lastchange": "Feb 29, 2012 10:05:06 AM" },
  { "idgroup": "SuperUser", "containers": "", "queues": "", "bigroups": "", "description": "Super Usuarios", "allowdownloads": 1, "managedialers": 1, "managequality": 1 },
  "QWRtaW46NjBhM2FIM2EtZTcyNi00ZTBkLTk0MWMtYzBjODhjODU4MjQx"
]`;

describe('readToken', () => {
  it("takes the last element of a supervisor's array answer", () => {
    expect(readToken(SUPERVISOR_ANSWER)).toBe(
      'QWRtaW46NjBhM2FIM2EtZTcyNi00ZTBkLTk0MWMtYzBjODhjODU4MjQx',
    );
  });

  it("takes md5secret from an agent's object answer", () => {
    const answer =
      '{"mailbox": "", "md5secret": "QXBpVXN1cjozMTY4ZWw3y05ZTQ4LTQ1ZjltOTEyOS0yOWY2Yz1mMzViMDQ=", "pickupgroup": ""}';
    expect(readToken(answer)).toBe('QXBpVXN1cjozMTY4ZWw3y05ZTQ4LTQ1ZjltOTEyOS0yOWY2Yz1mMzViMDQ=');
  });

  it('treats the answer 0, with or without surrounding whitespace, as refused credentials', () => {
    expect(() => readToken('0')).toThrow(AuthFailedError);
    expect(() => readToken(' 0\n')).toThrow(expect.objectContaining({ code: 'AUTH_FAILED' }));
  });

  it('refuses an HTML page without quoting it', () => {
    const page = '<html><body>Login 099123456</body></html>';
    expect(() => readToken(page)).toThrow(BadAnswerError);
    expect(() => readToken(page)).toThrow(/HTML/);
    expect(() => readToken(page)).not.toThrow(/099123456/);
  });

  it('refuses an array whose last element is not a string, without quoting the answer', () => {
    expect(() => readToken('[{"userid":"Admin","password":"AjsBbbpWkaUl8dz0nMTc0Q=="}]')).toThrow(
      /last element is not a token/,
    );
    expect(() => readToken('[{"password":"AjsBbbpWkaUl8dz0nMTc0Q=="}]')).not.toThrow(/Ajs/);
  });

  it('refuses an object without md5secret', () => {
    expect(() => readToken('{"mailbox": ""}')).toThrow(/without an md5secret/);
  });
});

describe('readToken with an unusable token', () => {
  it('refuses a token that could not travel in a header, without quoting it', () => {
    expect(() => readToken('["abc def\\u00e9"]')).toThrow(/characters a header cannot carry/);
    expect(() => readToken('["abc def\\u00e9"]')).not.toThrow(/abc/);
  });
});
