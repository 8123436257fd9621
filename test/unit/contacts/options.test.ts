import { describe, expect, it } from 'vitest';
import {
  checkEngineOptions,
  DEFAULT_CHUNK_CEILINGS,
  DEFAULT_ENGINE_OPTIONS,
} from '../../../functions/contacts/options.js';

describe('checkEngineOptions', () => {
  it('finds nothing wrong with the defaults', () => {
    expect(
      checkEngineOptions({ ...DEFAULT_ENGINE_OPTIONS, ...DEFAULT_CHUNK_CEILINGS, campaign: 'V<-' }),
    ).toEqual([]);
  });

  it('reports every problem on its own line, named as the caller names the option', () => {
    const problems = checkEngineOptions(
      {
        defaultPriority: '0',
        minPhoneDigits: 20,
        maxPhoneDigits: 15,
        replacement: ':',
        maxRequestBytes: 8193,
      },
      { defaultPriority: 'DEFAULT_PRIORITY', minPhoneDigits: '--min', maxPhoneDigits: '--max' },
    );
    expect(problems).toEqual([
      '--min (20) must not be more than --max (15)',
      'The replacement must be one character other than ; : = a line break or NUL',
      'DEFAULT_PRIORITY must be a whole number from 1 to 9999 (no leading zeros), or empty',
      expect.stringMatching(/^The request ceiling must be at least 16384 bytes/),
    ]);
  });

  it('refuses a campaign by the campaign-name rule, naming its code', () => {
    expect(checkEngineOptions({ campaign: 'Ventas/Norte' }, { campaign: '--campaign' })).toEqual([
      expect.stringMatching(
        /^--campaign holds a character the dialer cannot take .*\(CAMPAIGN_RESERVED_CHARACTER\)$/,
      ),
    ]);
    expect(checkEngineOptions({ campaign: 'v'.repeat(101) })).toEqual([
      expect.stringMatching(/^The campaign is longer than 100 characters.*\(CAMPAIGN_TOO_LONG\)$/),
    ]);
    expect(checkEngineOptions({ campaign: 'Ventas->' })).toEqual([]);
  });

  it('accepts an empty default priority and leaves out the options not given', () => {
    expect(checkEngineOptions({ defaultPriority: '' })).toEqual([]);
    expect(checkEngineOptions({ replacement: '_' })).toEqual([]);
  });
});
