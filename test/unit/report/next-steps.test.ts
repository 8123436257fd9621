import { describe, expect, it } from 'vitest';
import { FileRejectionCode, RejectionCode } from '../../../functions/contacts/reason-codes.js';
import {
  ALARM_ADVICE,
  FILE_CODE_ADVICE,
  nextSteps,
  ROW_CODE_ADVICE,
} from '../../../functions/report/next-steps.js';
import { readmeTable } from '../../readme-table.js';
import { sampleManifest } from './sample-manifests.js';

/** The rows of the README table whose first header cell is `first`. */
const readmeTableOf = (first: string) => readmeTable(new RegExp(`^\\|\\s*${first}\\s*\\|`));

describe('the README and the report page give the same advice', () => {
  it('lists every alarm, in order, with what it means and what to do', () => {
    expect(readmeTableOf('alarm')).toEqual(
      Object.entries(ALARM_ADVICE).map(([name, advice]) => [
        `\`${name}\``,
        advice.means.en,
        advice.todo.en,
      ]),
    );
  });

  it.each([
    ['row code', ROW_CODE_ADVICE, RejectionCode],
    ['file code', FILE_CODE_ADVICE, FileRejectionCode],
  ] as const)('says what to do for every %s', (heading, advice, codes) => {
    const rows = readmeTableOf(heading).map((cells) => [cells[0], cells.at(-1)]);
    expect(rows).toEqual(Object.values(codes).map((code) => [`\`${code}\``, advice[code]?.en]));
  });

  it('has every piece of advice in Spanish too', () => {
    const all = [
      ...Object.values(ALARM_ADVICE).flatMap((a) => [a.means, a.todo]),
      ...Object.values(ROW_CODE_ADVICE),
      ...Object.values(FILE_CODE_ADVICE),
    ];
    expect(all.filter((text) => text.es.trim() === '' || text.es === text.en)).toEqual([]);
  });
});

describe('nextSteps', () => {
  it('gives a partial file with an unknown chunk and an open session each alarm advice', () => {
    expect(nextSteps(sampleManifest('partial'), 'en')).toEqual([
      ALARM_ADVICE.FilesPartial.todo.en,
      ALARM_ADVICE.ChunksUnknown.todo.en,
      ALARM_ADVICE.SessionsLeftOpen.todo.en,
      'the refused rows are in `rejected.csv`: correct them and send them in a new file',
    ]);
  });

  it('gives a file refused as a whole the advice of its code', () => {
    const manifest = {
      ...sampleManifest('rejected'),
      error: { code: 'XLS_NOT_SUPPORTED', message: 'an Excel 97-2003 workbook' },
    };
    expect(nextSteps(manifest, 'es')[0]).toBe(FILE_CODE_ADVICE.XLS_NOT_SUPPORTED!.es);
  });

  it('tells a file that loaded whole that there is nothing to do', () => {
    expect(nextSteps(sampleManifest('succeeded', 0), 'en')).toEqual([
      'nothing to do: every accepted contact is in the campaign',
    ]);
  });
});
