import { describe, expect, it } from 'vitest';
import { sessionSummary, uploadLines, uploadText } from '../../../cli/upload-report.js';
import type { SessionReport } from '../../../functions/ucontact/upload-session.js';

const chunk = { part: 1, filename: 'lista.csv', records: 3, bytes: 90, offset: 0 };
/** uContact quoting a number back, spaced as people write it. */
const answer = 'uploadbase answered: bad number 0 9 9 1 2 3 4 5 6 7 in line 2';

const session: SessionReport = {
  results: [
    {
      part: 1,
      filename: 'lista.csv',
      records: 3,
      bytes: 90,
      outcome: 'failed',
      attempts: 1,
      durationMs: 12,
      error: { code: 'REFUSED', message: answer },
    },
  ],
  login: { ok: true, attempts: 1, durationMs: 5 },
  endSession: {
    ok: false,
    attempts: 4,
    durationMs: 40,
    error: { code: 'HTTP_STATUS', message: `EndSession for 099/123/4567 answered 500` },
  },
  relogins: 0,
};

describe('upload report', () => {
  it('masks phone numbers in the errors it prints, in text and in --json', () => {
    const lines = uploadLines([chunk], (c) => c.filename, session);
    const shown = [
      uploadText(lines, session, 'https://acme.ucontactcloud.com/'),
      JSON.stringify(lines),
      JSON.stringify(sessionSummary(session)),
    ].join('\n');
    expect(shown).toContain('bad number 0 9 * * * * * * 6 7 in line 2');
    expect(shown).toContain('EndSession for 09*/***/**67 answered 500');
    expect(shown).not.toMatch(/0 9 9 1|099\/123/);
  });
});
