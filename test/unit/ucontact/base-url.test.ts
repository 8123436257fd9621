import { describe, expect, it } from 'vitest';
import { parseBaseUrl } from '../../../functions/ucontact/base-url.js';
import { InvalidBaseUrlError } from '../../../functions/ucontact/errors.js';

describe('parseBaseUrl', () => {
  it('accepts https and adds the trailing slash API paths resolve under', () => {
    expect(parseBaseUrl('https://acme.ucontactcloud.com').href).toBe(
      'https://acme.ucontactcloud.com/',
    );
    expect(parseBaseUrl('https://dialer.example.com/uc').href).toBe(
      'https://dialer.example.com/uc/',
    );
  });

  it.each([
    'http://127.0.0.1:8080/',
    'http://127.3.4.5/',
    'http://localhost:9000',
    'http://[::1]:9000/',
  ])('accepts plain http on the loopback address %s', (url) => {
    expect(parseBaseUrl(url).protocol).toBe('http:');
  });

  it.each([
    'http://acme.ucontactcloud.com/',
    'http://10.0.0.5/',
    'http://128.0.0.1/',
    'ftp://127.0.0.1/',
  ])('refuses %s with a message asking for https', (url) => {
    expect(() => parseBaseUrl(url)).toThrow(InvalidBaseUrlError);
    expect(() => parseBaseUrl(url)).toThrow(/https:\/\//);
  });

  it('refuses a URL carrying credentials without repeating them', () => {
    expect(() => parseBaseUrl('https://api:hunter2@acme.ucontactcloud.com/')).toThrow(
      /user or password/,
    );
    expect(() => parseBaseUrl('https://api:hunter2@acme.ucontactcloud.com/')).not.toThrow(
      /hunter2/,
    );
  });

  it('refuses text that is not a URL', () => {
    expect(() => parseBaseUrl('acme.ucontactcloud.com')).toThrow(/not a URL/);
  });
});
