import { describe, expect, it } from 'vitest';
import { carriedOut, FaultQueue, faultAnswer } from '../../../simulator/faults.js';

const context = { loginUrl: 'http://127.0.0.1:9/ucontact/login.jsp', retryAfterSeconds: 7 };

describe('faultAnswer', () => {
  it('sends each redirect status with a Location to the login page', () => {
    for (const kind of ['301', '302', '303', '307', '308'] as const) {
      expect(faultAnswer(kind, context)).toMatchObject({
        status: Number(kind),
        type: 'text/html',
        headers: { Location: context.loginUrl },
      });
    }
  });

  it('serves the login form with status 200 for loginpage', () => {
    const answer = faultAnswer('loginpage', context);
    expect(answer?.status).toBe(200);
    expect(answer?.body).toMatch(/<input type="password" name="j_password"/);
  });

  it("answers Tomcat's 500 page and a proxy's 502 page after a load", () => {
    expect(faultAnswer('500-after-load', context)?.body).toContain('Apache Tomcat');
    expect(faultAnswer('502-after-load', context)).toMatchObject({
      status: 502,
      body: expect.stringContaining('<title>502 Bad Gateway</title>'),
    });
  });

  it('adds Retry-After to 429 and 503 only', () => {
    expect(faultAnswer('429', context)?.headers).toEqual({ 'Retry-After': '7' });
    expect(faultAnswer('503', context)?.headers).toEqual({ 'Retry-After': '7' });
    expect(faultAnswer('403', context)?.headers).toBeUndefined();
  });

  it('sends nothing for timeout and reset', () => {
    expect(faultAnswer('timeout', context)).toBeUndefined();
    expect(faultAnswer('reset', context)).toBeUndefined();
  });
});

describe('carriedOut', () => {
  it('loads the base first only for timeout and the after-load kinds on uploadbase', () => {
    expect(carriedOut('uploadbase', 'timeout')).toBe(true);
    expect(carriedOut('uploadbase', '500-after-load')).toBe(true);
    expect(carriedOut('uploadbase', '502-after-load')).toBe(true);
    expect(carriedOut('uploadbase', '302')).toBe(false);
    expect(carriedOut('uploadbase', 'loginpage')).toBe(false);
    expect(carriedOut('login', 'timeout')).toBe(false);
  });
});

describe('FaultQueue', () => {
  it('refuses a parsed fault that names an after-load kind on another call', () => {
    const queue = new FaultQueue();
    expect(() => queue.add({ call: 'login', kind: '500-after-load', times: 1 })).toThrow(
      /uploadbase only/,
    );
    queue.add({ call: 'uploadbase', kind: '307', times: 2 });
    expect([queue.take('uploadbase'), queue.take('uploadbase'), queue.take('uploadbase')]).toEqual([
      '307',
      '307',
      undefined,
    ]);
  });
});
