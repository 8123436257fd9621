import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
