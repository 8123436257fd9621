import { describe, expect, it } from 'vitest';
import { AuthFailedError, BadAnswerError } from '../../../functions/ucontact/errors.js';
import { readToken } from '../../../functions/ucontact/read-token.js';

const TOKEN = 'QWRtaW46NjBhM2FIM2EtZTcyNi00ZTBkLTk0MWMtYzBjODhjODU4MjQx';
const USER_ELEMENT =
  '{ "userid": "Admin", "password": "AjsBbbpWkaUl8dz0nMTc0Q==", "idgroup": "SuperUser", "enabled": true, "lastchange": "Feb 29, 2012 10:05:06 AM" }';
const GROUP_ELEMENT =
  '{ "idgroup": "SuperUser", "containers": "", "queues": "", "bigroups": "", "description": "Super Usuarios", "allowdownloads": 1, "managedialers": 1, "managequality": 1 }';

describe('readToken', () => {
  it("takes the last element of a supervisor's array answer", () => {
    expect(readToken(`[${USER_ELEMENT}, ${GROUP_ELEMENT}, "${TOKEN}"]`)).toBe(TOKEN);
  });

  it('takes md5secret from the element of a supervisor-with-phone array that holds it', () => {
    const phone = `{ "name": "Admin", "mailbox": "", "md5secret": "${TOKEN}", "context": "supervisors" }`;
    expect(readToken(`[${USER_ELEMENT}, ${GROUP_ELEMENT}, ${phone}]`)).toBe(TOKEN);
    expect(readToken(`[${USER_ELEMENT}, ${phone}, ${GROUP_ELEMENT}]`)).toBe(TOKEN);
  });

  it("takes md5secret from an agent's object answer", () => {
    const answer =
      '{"mailbox": "", "md5secret": "QXBpVXN1cjozMTY4ZWw3y05ZTQ4LTQ1ZjltOTEyOS0yOWY2Yz1mMzViMDQ=", "pickupgroup": ""}';
    expect(readToken(answer)).toBe('QXBpVXN1cjozMTY4ZWw3y05ZTQ4LTQ1ZjltOTEyOS0yOWY2Yz1mMzViMDQ=');
  });

  it('takes the first line of a plain-text answer, as getUserToken clients read it', () => {
    expect(readToken(`${TOKEN}\n`)).toBe(TOKEN);
    expect(readToken(`  ${TOKEN}\r\nsomething else`)).toBe(TOKEN);
    expect(readToken(`"${TOKEN}"`)).toBe(TOKEN);
  });

  it('treats the answer 0, with or without surrounding whitespace, as refused credentials', () => {
    expect(() => readToken('0')).toThrow(AuthFailedError);
    expect(() => readToken(' 0\n')).toThrow(expect.objectContaining({ code: 'AUTH_FAILED' }));
  });

  it('refuses an HTML page, masking phone numbers in its excerpt', () => {
    const page = '<html><body>Login 099123456</body></html>';
    expect(() => readToken(page)).toThrow(BadAnswerError);
    expect(() => readToken(page)).toThrow(/HTML/);
    expect(() => readToken(page)).not.toThrow(/099123456/);
  });

  it.each([
    ['an array with neither a token string nor md5secret', `[${USER_ELEMENT}, ${GROUP_ELEMENT}]`],
    ['an object without md5secret', '{"mailbox": "", "password": "s3cr3tHash"}'],
    ['a short error text', 'Error'],
    ['text with spaces', 'user not found'],
    ['an empty body', ''],
    ['a JSON number', '42'],
  ])('refuses %s as BAD_ANSWER, naming what came', (_, answer) => {
    expect(() => readToken(answer)).toThrow(BadAnswerError);
    expect(() => readToken(answer)).toThrow(/holds no token/);
  });

  it('never shows a password, a password hash or the password given in its excerpt', () => {
    const answers = [
      `[${USER_ELEMENT}]`,
      '{"mailbox": "", "password": "s3cr3tHash"}',
      'Invalid password pa55word for ApiUser',
    ];
    for (const answer of answers) {
      let message = '';
      try {
        readToken(answer, ['pa55word']);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/holds no token/);
      expect(message).not.toMatch(/AjsBbbpWkaUl8dz0nMTc0Q|s3cr3tHash|pa55word/);
    }
  });
});

describe('readToken with an unusable token', () => {
  it('refuses a token that could not travel in a header, without quoting it', () => {
    expect(() => readToken('["abc def\\u00e9"]')).toThrow(/characters a header cannot carry/);
    expect(() => readToken('["abc def\\u00e9"]')).not.toThrow(/abc/);
  });
});
