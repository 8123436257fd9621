import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'bin/ucontact-loader.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEBUG: '', REPORT_LANGUAGE: 'en' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CONTACTS = [
  'Ventas;5491155551234;;;9999',
  'Ventas;5491155550001;;5491144449999;9999',
  'Ventas;5491155550002;;;9999',
  'Ventas;5491166667777;;;9999',
].join('\n');

/** A work folder with the contact file and `lists/<list>/<file>` for each entry of `files`. */
function workWith(files: Record<string, string | Uint8Array>): {
  dir: string;
  contacts: string;
  lists: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'validate-suppression-dir-'));
  const lists = join(dir, 'lists');
  mkdirSync(lists);
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(lists, path, '..'), { recursive: true });
    writeFileSync(join(lists, path), body);
  }
  const contacts = join(dir, 'lista.csv');
  writeFileSync(contacts, CONTACTS);
  return { dir, contacts, lists };
}

function profilesFile(dir: string, profiles: unknown): string {
  const path = join(dir, 'campaigns.json');
  writeFileSync(path, JSON.stringify(profiles));
  return path;
}

describe('ucontact-loader validate --suppression-dir', () => {
  it('without profiles applies every list folder, in name order, then the --suppress files', () => {
    const { dir, contacts, lists } = workWith({
      'no-llame-ar/1.txt': '+54 9 11 5555-1234\n',
      'no-llame-ar/2.csv.gz': gzipSync('nombre,telefono\nAna,54 9 11 4444 9999\nx,\n'),
      'no-llame-ar/notas.md': '5491166667777\n',
      'bajas/sub/bajas.TXT': '5491155550002\n5491155551234\n',
      'vacia/leeme.md': 'nothing here\n',
    });
    const extra = join(dir, 'propia.txt');
    writeFileSync(extra, '5491166667777\n');
    const out = join(dir, 'out.txt');

    const result = cli(
      ...['validate', contacts, '-c', 'Ventas', '--suppression-dir', lists],
      ...['--suppress', extra, '--out', out, '--json'],
    );

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: The suppression list "vacia" has no \.txt or \.csv file \(\.gz too\) in .*vacia\/: it holds no number and scrubbed nothing\. [^\n]*\n$/,
    );
    const report = JSON.parse(result.stdout);
    // "bajas" comes first by name: the number on both lists counts for it.
    expect(report.suppression).toEqual([
      {
        list: 'bajas',
        version: expect.stringMatching(/^1 file, 28 bytes, last modified /),
        numbers: 2,
        badLines: 0,
        hits: 2,
      },
      expect.objectContaining({ list: 'no-llame-ar', numbers: 2, badLines: 1, hits: 1 }),
      { list: 'vacia', version: 'no file', numbers: 0, badLines: 0, hits: 0 },
      expect.objectContaining({ list: 'propia', numbers: 1, hits: 1 }),
    ]);
    expect(report.counts).toMatchObject({ accepted: 1, rejected: 3, suppressed: 3 });
    expect(report.changes).toEqual({ ALTERNATE_SUPPRESSED: 1 });
    expect(report.warnings).toEqual([
      { code: 'SUPPRESSION_LIST_NOT_FOUND', message: expect.stringContaining('"vacia"') },
    ]);
    expect(readFileSync(out, 'utf8')).toBe('Ventas;5491155550001;;;9999\n');
  });

  it("with --profiles applies only the lists the folder's profile names, in its order", () => {
    const { dir, contacts, lists } = workWith({
      'no-llame-ar/1.txt': '5491155551234\n',
      'bajas/bajas.txt': '5491155550002\n',
      'otra/otra.txt': '5491166667777\n',
    });
    const profiles = profilesFile(dir, {
      defaults: { suppress: ['otra'] },
      campaigns: { Ventas: { suppress: ['bajas', 'no-llame'] } },
    });
    const args = ['validate', contacts, '--profiles', profiles, '--folder', 'Ventas'];

    const result = cli(...args, '--suppression-dir', lists, '--json');

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    // The profile's own list replaces the defaults'; "no-llame" is mistyped and holds nothing.
    expect(
      report.suppression.map((l: { list: string; numbers: number }) => [l.list, l.numbers]),
    ).toEqual([
      ['bajas', 1],
      ['no-llame', 0],
    ]);
    expect(report.counts).toMatchObject({ accepted: 3, suppressed: 1 });
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^warning: The suppression list "no-llame" has no /),
    ]);

    const text = cli(...args, '--suppression-dir', lists);
    expect(text.stdout).toContain('  suppress   "no-llame": 0 numbers; 0 hits');
    expect(text.stdout).toContain('  warning    The suppression list "no-llame" has no ');
  });

  it('applies no list to a folder whose profile names none, as the function does', () => {
    const { dir, contacts, lists } = workWith({ 'bajas/bajas.txt': '5491155550002\n' });
    const profiles = profilesFile(dir, { campaigns: { Ventas: {} } });

    const result = cli(
      ...['validate', contacts, '--profiles', profiles, '--folder', 'Ventas'],
      ...['--suppression-dir', lists, '--json'],
    );

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.suppression).toBeUndefined();
    expect(report.counts).toMatchObject({ accepted: 4, rejected: 0 });
    expect(result.stderr).toBe(
      'note: the profile of folder Ventas names no suppression list: none from --suppression-dir applies, as in the function\n',
    );
  });

  it('applies nothing, quietly, from a folder without list folders', () => {
    const { contacts, lists } = workWith({ 'suelto.txt': '5491155550002\n' });
    const result = cli('validate', contacts, '-c', 'Ventas', '--suppression-dir', lists, '--json');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).suppression).toBeUndefined();
  });

  it('says in one line, exit 2, when the folder cannot be read', () => {
    const { dir, contacts } = workWith({});
    const missing = cli('validate', contacts, '-c', 'Ventas', '--suppression-dir', join(dir, 'no'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^error: cannot read the suppression folder .*no: no such folder\n$/,
    );
    const file = cli('validate', contacts, '-c', 'Ventas', '--suppression-dir', contacts);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(
      /^error: cannot read the suppression folder .*lista\.csv: not a folder\n$/,
    );
    expect(file.stderr).not.toContain('    at ');
  });

  it('shows the lists applied and the warning on the --html page', () => {
    const { dir, contacts, lists } = workWith({ 'bajas/bajas.txt': '5491155550002\n' });
    const profiles = profilesFile(dir, { campaigns: { Ventas: { suppress: ['bajas', 'bajs'] } } });
    const page = join(dir, 'page.html');

    const result = cli(
      ...['validate', contacts, '--profiles', profiles, '--folder', 'Ventas'],
      ...['--suppression-dir', lists, '--html', page],
    );

    expect(result.code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<h2>Warnings</h2><p><code>SUPPRESSION_LIST_NOT_FOUND</code>');
    expect(html).toContain('list: bajas; version: 1 file');
    expect(html).toContain('numbers: 1; badLines: 0; hits: 1');
    expect(html).toContain('data-count="suppressed">1<');
  });
});
