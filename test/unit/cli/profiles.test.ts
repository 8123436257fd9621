import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(root, 'schemas/campaigns.example.json');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'bin/ucontact-loader.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEBUG: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function profilesFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'profiles-')), 'campaigns.json');
  writeFileSync(path, content);
  return path;
}

describe('ucontact-loader profiles check', () => {
  it('says a good file is valid and exits 0', () => {
    const result = cli('profiles', 'check', EXAMPLE);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/valid, 3 campaign profile\(s\), strict/);
  });

  it('prints every problem of a broken file on a line of its own with its JSON path, and exits 1', () => {
    const file = profilesFile(
      JSON.stringify({
        strict: 'yes',
        campaigns: { 'ventas-norte': { phone: { maxDigits: 99 }, enabeld: false } },
      }),
    );
    const result = cli('profiles', 'check', file);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      '$.strict: must be true or false',
      '$.campaigns["ventas-norte"].phone.maxDigits: must be a whole number from 1 to 15',
      '$.campaigns["ventas-norte"]: "enabeld" is not a field here (misspelt?)',
    ]);
  });

  it('says where a file that is not JSON breaks, and exits 1', () => {
    const result = cli('profiles', 'check', profilesFile('{"strict": true,,}'));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\$: not valid JSON at line 1, column \d+/);
  });

  it('exits 2 for a file that cannot be read', () => {
    const result = cli('profiles', 'check', join(root, 'no-such-campaigns.json'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot read the profiles file .*: no such file/);
  });
});

describe('ucontact-loader profiles show', () => {
  it('prints the profile that applies to a folder, after the defaults', () => {
    const result = cli('profiles', 'show', EXAMPLE, 'ventas-norte');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      name: 'ventas-norte',
      source: 'campaign',
      campaign: 'Ventas Norte<-',
      defaultPriority: 5000,
      mapping: { columns: { 'Nro. Celular Titular': 'phone', Zona: 'variable:region' } },
      phone: { prefix: 'keep', minDigits: 8, maxDigits: 9, prefixes: ['09', '2', '4'] },
      enabled: true,
    });
  });

  it('names the folder when strict profiles refuse it, and exits 1', () => {
    const result = cli('profiles', 'show', EXAMPLE, 'Ventas Nrte');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /CAMPAIGN_NOT_CONFIGURED: the folder "Ventas Nrte" has no profile/,
    );
  });
});

describe('ucontact-loader validate --profiles --folder', () => {
  const partner = join(root, 'test/fixtures/contacts/profile-partner.csv');

  it("applies the folder's profile: its mapping, phone rules, priority and dialer campaign", () => {
    const out = join(mkdtempSync(join(tmpdir(), 'profiles-')), 'out.txt');
    const result = cli(
      'validate',
      partner,
      '--profiles',
      EXAMPLE,
      '--folder',
      'ventas-norte',
      '--json',
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.counts).toMatchObject({ rows: 4, accepted: 2, rejected: 2 });
    expect(report.rejections).toEqual([
      {
        line: 3,
        code: 'PHONE_RULE',
        message: expect.stringMatching(/31\*+67 does not start with 09, 2 or 4/),
      },
      { line: 4, code: 'PHONE_RULE', message: expect.stringMatching(/has 7 digits, fewer than 8/) },
    ]);
    expect(readFileSync(out, 'utf8')).toBe(
      'Ventas Norte<-;099111222;Cliente=Ana:region=Norte;;5000;\n' +
        'Ventas Norte<-;26012345;Cliente=Juan:region=Este;;5000;\n',
    );
  });

  it('refuses a folder the strict profiles do not configure, as the function would (exit 1)', () => {
    const result = cli('validate', partner, '--profiles', EXAMPLE, '--folder', 'Ventas Nrte');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: CAMPAIGN_NOT_CONFIGURED: the folder "Ventas Nrte"/);
  });

  it('lists the problems of an invalid profiles file (exit 2)', () => {
    const file = profilesFile('{"campaigns": {"ventas-norte": {"phone": {"minDigits": "8"}}}}');
    const result = cli('validate', partner, '--profiles', file, '--folder', 'ventas-norte');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /is invalid:\n\$\.campaigns\["ventas-norte"\]\.phone\.minDigits: must be a whole number/,
    );
  });

  it('takes --campaign or --profiles with --folder, not both', () => {
    const both = cli('validate', partner, '--profiles', EXAMPLE, '--folder', 'x', '-c', 'Y');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--campaign cannot go with --profiles/);
    const neither = cli('validate', partner);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/--campaign is required \(or --profiles with --folder\)/);
  });
});

describe('ucontact-loader local --put', () => {
  it('refuses a value that is not <key>=<file>, before starting anything', () => {
    const result = cli('local', '--put', 'campaigns.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--put takes <key>=<file>/);
  });
});
