import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/config/config.js';
import { InvalidConfigError } from '../../../functions/config/errors.js';
import { checkBaseUrl } from '../../../functions/config/parsers.js';
import { SETTINGS, shownDefault } from '../../../functions/config/settings.js';
import { DEFAULT_CHUNK_CEILINGS } from '../../../functions/contacts/options.js';
import { readmeTable } from '../../readme-table.js';

const minimal = {
  UCONTACT_BASE_URL: 'https://acme.ucontactcloud.com',
  UCONTACT_SECRET_ID: 'ucontact/supervisor',
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidConfigError');
}

describe('loadConfig', () => {
  it('fills every default from two required variables', () => {
    expect(loadConfig(minimal)).toEqual({
      ucontactBaseUrl: 'https://acme.ucontactcloud.com/',
      ucontactSecretId: 'ucontact/supervisor',
      ucontactLoginPath: 'Integra/resources/auth/UserLogin',
      incomingPrefix: 'incoming/',
      resultsPrefix: 'results/',
      statePrefix: 'state/',
      reloadWindowDays: 0,
      campaignSuffix: '',
      profilesKey: 'config/campaigns.json',
      chunkCeilings: DEFAULT_CHUNK_CEILINGS,
      rejectedCsvMaxBytes: 100 * 1024 * 1024,
      functionTimeoutSeconds: 900,
      timeReserveSeconds: 60,
      secretTtlSeconds: 300,
      recordConcurrency: 1,
      reportLanguage: 'es',
      ephemeralStorageMb: 2048,
      engine: { phonePrefix: 'keep', defaultPriority: '9999', replacement: ' ', memoryMb: 1024 },
      powertools: {
        serviceName: 'ucontact-loader',
        metricsNamespace: 'UcontactLoader',
        logLevel: 'INFO',
      },
    });
  });

  it('refuses a state prefix that overlaps where files are dropped or results go', () => {
    expect(problemsOf({ ...minimal, STATE_PREFIX: 'results/state' })).toEqual([
      "Environment variable STATE_PREFIX ('results/state/') must not overlap RESULTS_PREFIX ('results/')",
    ]);
    expect(loadConfig({ ...minimal, RELOAD_WINDOW_DAYS: '30' }).reloadWindowDays).toBe(30);
  });

  it("reads the function's memory from Lambda's variable and refuses one too small to check a file", () => {
    expect(
      loadConfig({ ...minimal, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '2048' }).engine.memoryMb,
    ).toBe(2048);
    expect(problemsOf({ ...minimal, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128' })).toEqual([
      'Environment variable AWS_LAMBDA_FUNCTION_MEMORY_SIZE must be a whole number of at least 256',
    ]);
  });

  it('says which variable is missing and what it should look like', () => {
    expect(problemsOf({})).toEqual([
      'Environment variable UCONTACT_BASE_URL is required (https://<tenant>.ucontactcloud.com)',
      'Environment variable UCONTACT_SECRET_ID is required (the name or ARN of the uContact secret)',
    ]);
  });

  it('reports every problem at once, one line each', () => {
    const problems = problemsOf({
      ...minimal,
      MAX_CHUNK_RECORDS: 'lots',
      RECORD_CONCURRENCY: '0',
      PHONE_PREFIX_POLICY: 'drop',
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^Environment variable MAX_CHUNK_RECORDS must be a whole number/);
  });

  it('refuses plain http except on loopback', () => {
    expect(
      problemsOf({ ...minimal, UCONTACT_BASE_URL: 'http://acme.ucontactcloud.com' })[0],
    ).toMatch(/must use https/);
    expect(
      loadConfig({ ...minimal, UCONTACT_BASE_URL: 'http://127.0.0.1:8080' }).ucontactBaseUrl,
    ).toBe('http://127.0.0.1:8080/');
    expect(
      loadConfig({ ...minimal, UCONTACT_BASE_URL: 'http://localhost:8080/uc' }).ucontactBaseUrl,
    ).toBe('http://localhost:8080/uc/');
  });

  it('refuses a base URL carrying a password without repeating it', () => {
    const [problem] = problemsOf({
      ...minimal,
      UCONTACT_BASE_URL: 'https://admin:s3cr3t@acme.com',
    });
    expect(problem).toMatch(/must not contain a user or password/);
    expect(problem).not.toContain('s3cr3t');
  });

  it.each([
    ['results inside incoming', { RESULTS_PREFIX: 'incoming/results/' }],
    ['incoming inside results', { INCOMING_PREFIX: 'results/in/' }],
    ['the same prefix', { RESULTS_PREFIX: 'incoming' }],
  ])('refuses overlapping prefixes: %s', (_, change) => {
    expect(problemsOf({ ...minimal, ...change })).toEqual([
      expect.stringMatching(
        /^Environment variable RESULTS_PREFIX .* must not overlap INCOMING_PREFIX/,
      ),
    ]);
  });

  it('adds the missing slash to prefixes', () => {
    const config = loadConfig({ ...minimal, INCOMING_PREFIX: 'drop', RESULTS_PREFIX: 'out' });
    expect([config.incomingPrefix, config.resultsPrefix]).toEqual(['drop/', 'out/']);
  });

  it('needs a time reserve that leaves the run time to work', () => {
    expect(
      problemsOf({ ...minimal, FUNCTION_TIMEOUT_SECONDS: '60', TIME_RESERVE_SECONDS: '45' }),
    ).toEqual([
      'Environment variable TIME_RESERVE_SECONDS (45) must leave at least 30 seconds of FUNCTION_TIMEOUT_SECONDS (60) for the work',
    ]);
    expect(
      loadConfig({ ...minimal, FUNCTION_TIMEOUT_SECONDS: '60', TIME_RESERVE_SECONDS: '30' })
        .timeReserveSeconds,
    ).toBe(30);
  });

  it('refuses a request ceiling the chunker cannot use, naming the least it takes', () => {
    expect(problemsOf({ ...minimal, MAX_REQUEST_BYTES: '8192' })).toEqual([
      expect.stringMatching(/^Environment variable MAX_REQUEST_BYTES must be at least 16384 bytes/),
    ]);
    expect(
      loadConfig({ ...minimal, MAX_REQUEST_BYTES: '16384' }).chunkCeilings.maxRequestBytes,
    ).toBe(16384);
  });

  it('refuses at cold start engine options that would refuse every row', () => {
    expect(problemsOf({ ...minimal, DEFAULT_PRIORITY: '0' })).toEqual([
      expect.stringMatching(/^Environment variable DEFAULT_PRIORITY must be a whole number/),
    ]);
    expect(problemsOf({ ...minimal, REPLACEMENT_CHAR: '--' })).toEqual([
      expect.stringMatching(/^Environment variable REPLACEMENT_CHAR must be one character/),
    ]);
  });

  it('refuses a function timeout above Lambda’s 900 seconds', () => {
    expect(problemsOf({ ...minimal, FUNCTION_TIMEOUT_SECONDS: '901' })[0]).toMatch(/from 1 to 900/);
  });

  it('refuses a profiles key a drop or a result could have, or a folder', () => {
    expect(problemsOf({ ...minimal, PROFILES_KEY: 'incoming/campaigns.json' })).toEqual([
      "Environment variable PROFILES_KEY ('incoming/campaigns.json') must not be under 'incoming/': the profiles would be read as a drop or a result",
    ]);
    expect(problemsOf({ ...minimal, PROFILES_KEY: 'config/' })[0]).toMatch(/PROFILES_KEY must be/);
  });

  it('refuses a replacement character the base format reserves', () => {
    expect(problemsOf({ ...minimal, REPLACEMENT_CHAR: ';' })[0]).toMatch(/REPLACEMENT_CHAR/);
  });

  it('accepts an empty default priority but not a word', () => {
    expect(loadConfig({ ...minimal, DEFAULT_PRIORITY: '' }).engine.defaultPriority).toBe('');
    expect(problemsOf({ ...minimal, DEFAULT_PRIORITY: 'alta' })[0]).toMatch(/DEFAULT_PRIORITY/);
  });

  it('takes either dialer suffix, or none, and nothing else', () => {
    expect(loadConfig({ ...minimal, CAMPAIGN_SUFFIX: '<-' }).campaignSuffix).toBe('<-');
    expect(loadConfig({ ...minimal, CAMPAIGN_SUFFIX: '->' }).campaignSuffix).toBe('->');
    expect(loadConfig({ ...minimal, CAMPAIGN_SUFFIX: '' }).campaignSuffix).toBe('');
    for (const value of [';', '<-Out', ' <-', 'x'.repeat(100)]) {
      expect(problemsOf({ ...minimal, CAMPAIGN_SUFFIX: value })).toEqual([
        "Environment variable CAMPAIGN_SUFFIX must be '<-' (Power and Predictive campaigns), '->' (Progressive and Preview) or empty",
      ]);
    }
  });

  it('takes the Powertools names as given and a log level in any case', () => {
    const config = loadConfig({
      ...minimal,
      POWERTOOLS_SERVICE_NAME: 'loader-eu',
      POWERTOOLS_METRICS_NAMESPACE: 'LoaderEu',
      POWERTOOLS_LOG_LEVEL: 'debug',
    });
    expect(config.powertools).toEqual({
      serviceName: 'loader-eu',
      metricsNamespace: 'LoaderEu',
      logLevel: 'DEBUG',
    });
    expect(problemsOf({ ...minimal, POWERTOOLS_LOG_LEVEL: 'verbose' })).toEqual([
      'Environment variable POWERTOOLS_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, SILENT, CRITICAL',
    ]);
  });

  it('keeps local endpoints only when they are URLs', () => {
    const config = loadConfig({ ...minimal, S3_ENDPOINT: 'http://127.0.0.1:4566' });
    expect(config.s3Endpoint).toBe('http://127.0.0.1:4566');
    expect(problemsOf({ ...minimal, SECRETS_ENDPOINT: 'nowhere' })[0]).toMatch(/SECRETS_ENDPOINT/);
  });
});

describe('checkBaseUrl', () => {
  it('refuses a query string without repeating the URL', () => {
    const result = checkBaseUrl('https://acme.com/?tenant=1');
    expect(result).toEqual({ problem: expect.stringMatching(/must not have a query or fragment/) });
    expect(JSON.stringify(result)).not.toContain('tenant=1');
  });
});

describe('the README settings table', () => {
  it('lists every setting, in order, with its default and meaning', () => {
    expect(readmeTable(/^\|/, '\n## Function settings\n')).toEqual(
      Object.values(SETTINGS).map((setting) => [
        `\`${setting.name}\``,
        shownDefault(setting),
        setting.description,
      ]),
    );
  });
});
