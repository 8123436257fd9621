import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { workbook } from '../contacts/workbooks.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (name: string) => join(root, 'test/fixtures/contacts', name);

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'bin/ucontact-loader.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEBUG: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ucontact-loader validate', () => {
  it('prints one JSON object with input, counts, rejections and chunks, and exits 0', () => {
    const result = cli(
      'validate',
      fixture('vendor-examples.txt'),
      '--campaign',
      'DialerTest<-',
      '--json',
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      input: { format: 'native', encoding: 'utf-8', delimiter: ';' },
      counts: {
        rows: 7,
        accepted: 6,
        rejected: 1,
        duplicates: 0,
        modified: 0,
        lines: 7,
        header: 0,
        blank: 0,
        joined: 0,
      },
      rejections: [{ line: 2, code: 'INVALID_PHONE', message: expect.any(String) }],
      chunks: [{ records: 6, bytes: expect.any(Number) }],
    });
    expect(report.rejections[0].message).not.toMatch(/\d{6}/);
  });

  it('prints a summary with format, counts, rejections and chunks', () => {
    const result = cli('validate', fixture('partner-export.csv'), '-c', 'Camp<-');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/headered, utf-8-bom, delimiter ";"/);
    expect(result.stdout).toMatch(
      /lines\s+9 = 2 header \+ 3 rows \+ 3 blank \+ 1 joined \(line breaks inside quoted cells\)/,
    );
    expect(result.stdout).toMatch(/accepted\s+3/);
    expect(result.stdout).toMatch(/1 part/);
    expect(result.stderr).toBe('');
  });

  it('writes the accepted lines with --out and the refused rows as CSV with --rejected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const input = join(dir, 'in.txt');
    writeFileSync(
      input,
      'Camp<-;099111222;a=1;;9999;\nCamp<-;12;n="x, y";;9999;\nCamp<-;099111222;;;9999;\n',
    );
    const out = join(dir, 'out.txt');
    const rejected = join(dir, 'rejected.csv');
    const result = cli('validate', input, '-c', 'Camp<-', '--out', out, '--rejected', rejected);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('Camp<-;099111222;a=1;;9999;\n');
    const csv = readFileSync(rejected, 'utf8').split('\r\n');
    expect(csv[0]).toBe('line,code,message,original');
    expect(csv[1]).toMatch(/^2,INVALID_PHONE,.*,"Camp<-;12;n=""x, y"";;9999;"$/);
    expect(csv[2]).toMatch(/^3,DUPLICATE,/);
  });

  it("reports each chunk's bytes as sent: its lines with no line break after the last", () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const input = join(dir, 'in.txt');
    writeFileSync(input, 'Camp<-;099111222;a=ñ;;9999;\nCamp<-;099111333;;;9999;\n');
    const out = join(dir, 'out.txt');
    const result = cli('validate', input, '-c', 'Camp<-', '--out', out, '--json');
    expect(result.code).toBe(0);
    const sent = readFileSync(out, 'utf8').replace(/\n$/, '');
    expect(sent).toBe('Camp<-;099111222;a=ñ;;9999;\nCamp<-;099111333;;;9999;');
    expect(JSON.parse(result.stdout).chunks).toEqual([
      { records: 2, bytes: Buffer.byteLength(sent) },
    ]);
  });

  it('writes refused rows a spreadsheet would run as formulas with a leading quote', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'telefono,nombre\n=HYPERLINK("http://x.example"),Ana\n+59,Luis\n');
    const rejected = join(dir, 'rejected.csv');
    expect(cli('validate', input, '-c', 'Camp<-', '--rejected', rejected).code).toBe(1);
    const rows = parse(readFileSync(rejected, 'utf8')) as string[][];
    expect(rows.map((cells) => cells[3])).toEqual([
      'original',
      `'=HYPERLINK("http://x.example"),Ana`,
      "'+59,Luis",
    ]);
    // Taking the quote off a cell that starts with one gives the row back as it was.
    expect(rows[1]![3]!.slice(1)).toBe('=HYPERLINK("http://x.example"),Ana');
  });

  it('takes engine options and a mapping file as flags', () => {
    const result = cli(
      'validate',
      fixture('custom-headers.csv'),
      '-c',
      'Camp<-',
      '--mapping',
      fixture('custom-headers.mapping.json'),
      '--default-priority',
      '5',
      '--json',
    );
    expect(result.code).toBe(0);
    const mapped = JSON.parse(result.stdout);
    expect(mapped.counts).toMatchObject({ accepted: 1 });
    expect(mapped.columns.map((c: { role: string }) => c.role)).toEqual([
      'variable:Cliente',
      'phone',
      'alternate',
      'variable:region',
    ]);
    // Without the mapping, "Movil principal" still names the phone by its words; "Otro" nothing.
    const unmapped = JSON.parse(
      cli('validate', fixture('custom-headers.csv'), '-c', 'Camp<-', '--json').stdout,
    );
    expect(unmapped.columns).toEqual([
      { header: 'Cliente', role: 'variable:Cliente' },
      { header: 'Movil principal', role: 'phone' },
      { header: 'Otro', role: 'variable:Otro' },
      { header: 'Zona', role: 'variable:Zona' },
    ]);
  });

  it('says how each column was read in the summary, and nothing of columns for a native file', () => {
    const text = cli('validate', fixture('partner-export.csv'), '-c', 'Camp<-').stdout;
    expect(text).toContain(
      [
        'Columns read:',
        '  Nombre Cliente  variable:Nombre_Cliente',
        '  Teléfono        phone',
        '  Teléfono 2      alternate',
        '  Dirección       variable:Direccion',
        '  Prioridad       priority',
        '  Interno         agentphone',
      ].join('\n'),
    );
    const native = cli('validate', fixture('vendor-examples.txt'), '-c', 'DialerTest<-', '--json');
    expect(JSON.parse(native.stdout).columns).toBeNull();
    expect(
      cli('validate', fixture('vendor-examples.txt'), '-c', 'DialerTest<-').stdout,
    ).not.toMatch(/Columns read/);
  });

  it('warns, in the summary and in --json, that a mapping cannot apply to a file without header', () => {
    const args = [
      'validate',
      fixture('vendor-examples.txt'),
      '-c',
      'DialerTest<-',
      '--mapping',
      fixture('custom-headers.mapping.json'),
    ];
    const text = cli(...args);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /warning\s+A column mapping was given, but the file has no header row/,
    );
    const json = cli(...args, '--json');
    expect(JSON.parse(json.stdout).warnings).toEqual([
      { code: 'MAPPING_NOT_USED', message: expect.stringContaining('mapping was not used') },
    ]);
    const plain = cli('validate', fixture('vendor-examples.txt'), '-c', 'DialerTest<-', '--json');
    expect(JSON.parse(plain.stdout).warnings).toEqual([]);
  });

  it("reports a stray NUL as its row's refusal and its variable's change, and loads the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const input = join(dir, 'in.txt');
    writeFileSync(
      input,
      'Camp<-;099111222;nombre=An\0a;;9999;\nCamp<-;0991\x0033444;;;9999;\nCamp<-;099555666;;;9999;\n',
    );
    const result = cli('validate', input, '-c', 'Camp<-', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      input: { format: 'native', encoding: 'utf-8' },
      counts: { rows: 3, accepted: 2, rejected: 1, modified: 1 },
      changes: { CONTROL_CHARACTER_REPLACED: 1 },
      rejectionCodes: { CONTROL_CHARACTER: 1 },
      rejections: [
        {
          line: 2,
          code: 'CONTROL_CHARACTER',
          message: expect.stringContaining('a control character (U+0000) in column 2 (phone)'),
        },
      ],
    });
    const summary = cli('validate', input, '-c', 'Camp<-');
    expect(summary.stdout).toMatch(/CONTROL_CHARACTER_REPLACED 1/);
    expect(summary.stdout).toMatch(/line 2\b.*CONTROL_CHARACTER/);
  });

  it('exits 1 when nothing can be loaded', () => {
    const result = cli('validate', fixture('vendor-examples.txt'), '--campaign', 'Otra', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).counts.accepted).toBe(0);
  });

  it('exits 1 with one line on stderr when the file is refused as a whole', () => {
    const result = cli('validate', fixture('workbook.xlsx'), '--campaign', 'Camp<-');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/WORKBOOK_CORRUPT.*CSV/),
    ]);
  });

  it('reads the sheet of a workbook named by --sheet and says which it read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const input = join(dir, 'lista.xlsx');
    writeFileSync(
      input,
      await workbook(
        {
          name: 'Altas',
          rows: [
            ['telefono', 'Nombre'],
            [98344484, 'Ana'],
          ],
        },
        { name: 'Bajas', rows: [['telefono'], ['099654321']] },
      ),
    );
    const several = cli('validate', input, '-c', 'Camp<-');
    expect(several.code).toBe(1);
    expect(several.stderr).toMatch(/SEVERAL_SHEETS.*"Altas", "Bajas"/);
    const out = join(dir, 'out.txt');
    const result = cli(
      'validate',
      input,
      '-c',
      'Camp<-',
      '--sheet',
      'Altas',
      '--out',
      out,
      '--json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).input).toEqual({
      format: 'headered',
      encoding: 'utf-8',
      delimiter: ',',
      container: 'xlsx',
      sheet: 'Altas',
    });
    expect(readFileSync(out, 'utf8')).toBe('Camp<-;98344484;Nombre=Ana;;9999;\n');
    const text = cli('validate', input, '-c', 'Camp<-', '--sheet', 'Altas');
    expect(text.stdout).toContain('format     headered, xlsx sheet "Altas"');
  });

  it('exits 2 on a usage error, with one line on stderr', () => {
    const result = cli('validate', fixture('vendor-examples.txt'));
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('--campaign')]);
    expect(
      cli('validate', fixture('vendor-examples.txt'), '-c', 'x', '--max-fields', 'many').code,
    ).toBe(2);
  });

  it('reports a missing file in one line, without a stack trace', () => {
    const result = cli('validate', join(root, 'no-such-file.csv'), '--campaign', 'Camp<-');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: cannot read .*no-such-file\.csv: no such file\n$/);
    expect(result.stderr).not.toMatch(/\bat /);
  });

  it.each([
    ['a default priority of 0', ['--default-priority', '0'], /--default-priority must be/],
    ['more fewest digits than most', ['--min-phone-digits', '20'], /--min-phone-digits \(20\)/],
    ['a reserved replacement', ['--replacement', ';'], /--replacement must be one character/],
    ['a replacement of two characters', ['--replacement', '--'], /--replacement must be one/],
    ['a request ceiling the chunker cannot use', ['--max-request-bytes', '9000'], /at least 16384/],
  ])('refuses %s as a usage error before reading the file', (_, flags, message) => {
    const result = cli('validate', fixture('vendor-examples.txt'), '-c', 'DialerTest<-', ...flags);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['longer than the dialer takes', 'v'.repeat(101), 'CAMPAIGN_TOO_LONG'],
    ['holding a slash', 'Ventas/Norte', 'CAMPAIGN_RESERVED_CHARACTER'],
    ['made of two dots', '..', 'CAMPAIGN_DOT_NAME'],
    ['holding a zero-width space', 'Ventas\u200b<-', 'CAMPAIGN_INVISIBLE_CHARACTER'],
  ])('refuses a --campaign %s as a usage error naming its code', (_, campaign, code) => {
    const result = cli('validate', fixture('vendor-examples.txt'), '--campaign', campaign);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^error: --campaign .*: .*\\(${code}\\)\n$`));
  });

  it('takes a -> campaign and writes a --campaign typed in decomposed form as uContact spells it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const input = join(dir, 'in.txt');
    writeFileSync(
      input,
      'Ventas->;099111222;;;9999;\nVentas<-;099111333;;;9999;\n;099111444;;;9999;\n',
    );
    const out = join(dir, 'out.txt');
    const json = cli('validate', input, '-c', 'Ventas->', '--json', '--out', out);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).rejections).toEqual([
      expect.objectContaining({ line: 2, code: 'CAMPAIGN_MISMATCH' }),
    ]);
    expect(readFileSync(out, 'utf8')).toBe(
      'Ventas->;099111222;;;9999;\nVentas->;099111444;;;9999;\n',
    );

    writeFileSync(input, ';099111222;;;9999;\n');
    expect(cli('validate', input, '-c', 'Campan\u0303a->', '--out', out).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('Campaña->;099111222;;;9999;\n');
  });

  it('refuses to write an output over the input file or over the other output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const input = join(dir, 'in.txt');
    const text = 'Camp<-;099111222;a=1;;9999;\n';
    writeFileSync(input, text);
    symlinkSync(input, join(dir, 'link.txt'));
    const runs = [
      cli('validate', input, '-c', 'Camp<-', '--out', input),
      cli('validate', input, '-c', 'Camp<-', '--rejected', join(dir, '.', 'in.txt')),
      cli('validate', input, '-c', 'Camp<-', '--out', join(dir, 'link.txt')),
      cli('validate', input, '-c', 'Camp<-', '--out', join(dir, 'o'), '--rejected', join(dir, 'o')),
    ];
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^error: --(out|rejected) .*(input file|same file)/);
    }
    expect(readFileSync(input, 'utf8')).toBe(text);
    expect(readdirSync(dir).sort()).toEqual(['in.txt', 'link.txt']);
  });

  it('leaves no output behind when the file is refused partway through', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const input = join(dir, 'big.txt');
    let text = '';
    for (let i = 0; text.length < 1.2 * 1024 * 1024; i++) {
      text += `Camp<-;09${String(1_000_000 + i)};nombre=N${i};;9999;\n`;
    }
    writeFileSync(input, text);
    const out = join(dir, 'out.txt');
    const rejected = join(dir, 'rejected.csv');
    const result = cli(
      'validate',
      input,
      '-c',
      'Camp<-',
      '--max-file-mb',
      '1',
      '--out',
      out,
      '--rejected',
      rejected,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FILE_TOO_LARGE/);
    expect(readdirSync(dir)).toEqual(['big.txt']);
  });
});

describe('ucontact-loader validate --html', () => {
  /** The counts a page shows, by field. */
  const shownCounts = (html: string) =>
    Object.fromEntries(
      [...html.matchAll(/data-count="(\w+)">([^<]*)</g)].map((m) => [
        m[1],
        Number(m[2]!.replace(/\D/g, '')),
      ]),
    );

  it('writes the page of what an upload would do, its counts those of --json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const page = join(dir, 'pages', 'lista.html');
    mkdirSync(dirname(page));
    const args = ['validate', fixture('vendor-examples.txt'), '-c', 'DialerTest<-'];
    const result = cli(
      ...args,
      '--html',
      page,
      '--rejected',
      join(dir, 'refused rows.csv'),
      '--json',
    );
    const html = readFileSync(page, 'utf8');

    expect(result.code).toBe(0);
    expect(shownCounts(html)).toEqual(JSON.parse(result.stdout).counts);
    expect(html).toContain('class="banner s-checked"');
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<a href="../refused%20rows.csv">');
    expect(html).toContain('<td>vendor-examples.txt</td>');
  });

  it('writes the page of a file refused as a whole, in English when REPORT_LANGUAGE says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const input = join(dir, 'photo.csv');
    writeFileSync(input, Buffer.alloc(2048));
    const result = spawnSync(
      process.execPath,
      [
        join(root, 'bin/ucontact-loader.js'),
        'validate',
        input,
        '-c',
        'Camp<-',
        '--html',
        join(dir, 'p.html'),
      ],
      { encoding: 'utf8', env: { ...process.env, REPORT_LANGUAGE: 'en' } },
    );
    const html = readFileSync(join(dir, 'p.html'), 'utf8');

    expect(result.status).toBe(1);
    expect(html).toContain('data-status="rejected"');
    expect(html).toContain('<code>BINARY_FILE</code>');
    expect(html).toContain(
      'Open it in the spreadsheet program and save it as &quot;CSV UTF-8&quot;',
    );
  });

  it('refuses a REPORT_LANGUAGE it does not speak before reading anything', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const result = spawnSync(
      process.execPath,
      [
        join(root, 'bin/ucontact-loader.js'),
        'validate',
        fixture('vendor-examples.txt'),
        '-c',
        'Camp<-',
        '--html',
        join(dir, 'p.html'),
      ],
      { encoding: 'utf8', env: { ...process.env, REPORT_LANGUAGE: 'fr' } },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'error: Environment variable REPORT_LANGUAGE must be one of es, en\n',
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('ucontact-loader validate --suppress', () => {
  it('scrubs against local lists as the function does: mains refused, alternates dropped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-suppress-'));
    const contacts = join(dir, 'lista.csv');
    writeFileSync(
      contacts,
      'Ventas;5491155551234;;;9999\nVentas;5491155550001;;5491144449999;9999\n',
    );
    const registry = join(dir, 'no-llame.txt');
    writeFileSync(registry, '+54 9 11 5555-1234\nnot a number\n');
    const bajas = join(dir, 'bajas.csv');
    writeFileSync(bajas, 'nombre,telefono\nAna,54 9 11 4444 9999\n');
    const out = join(dir, 'out.txt');
    const args = ['validate', contacts, '--campaign', 'Ventas', '--suppress', registry];
    const result = cli(...args, '--suppress', bajas, '--out', out, '--json');
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.counts).toMatchObject({ accepted: 1, rejected: 1, suppressed: 1 });
    expect(report.changes).toMatchObject({ ALTERNATE_SUPPRESSED: 1 });
    expect(report.suppression).toEqual([
      expect.objectContaining({ list: 'no-llame', numbers: 1, badLines: 1, hits: 1 }),
      expect.objectContaining({ list: 'bajas', numbers: 1, badLines: 0, hits: 1 }),
    ]);
    expect(readFileSync(out, 'utf8')).toBe('Ventas;5491155550001;;;9999\n');
    const text = cli(...args);
    expect(text.stdout).toContain('1 suppressed');
    expect(text.stdout).toContain('"no-llame": 1 numbers, 1 lines without a number; 1 hits');
  });

  it('says in one line when a list cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-suppress-'));
    const contacts = join(dir, 'lista.csv');
    writeFileSync(contacts, 'Ventas;5491155551234;;;9999\n');
    const result = cli('validate', contacts, '-c', 'Ventas', '--suppress', join(dir, 'nope.txt'));
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toMatch(
      /^.*cannot read the suppression list .*nope\.txt: no such file$/,
    );
    expect(result.stderr).not.toContain('    at ');
  });
});
