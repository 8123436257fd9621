import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Counts } from '../../../functions/contacts/contact.js';
import { UnusableFileError } from '../../../functions/contacts/errors.js';
import { formatLine } from '../../../functions/contacts/format-line.js';
import { NumberSet } from '../../../functions/contacts/number-set.js';
import { processContacts } from '../../../functions/contacts/process-contacts.js';
import { STRAY_CHARACTER_CLASS } from '../../../functions/contacts/stray-characters.js';
import { engineOptions, inPieces, refusal, runEngine } from './run-engine.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/contacts/${name}`, import.meta.url));

describe('processContacts with the examples of ucontact-api.md', () => {
  it.each([
    'DialerTest<-;098344484;var1=val1:var2=val2;099124484:099111111;9999;1001',
    'prueba1;098344484;var1=val1:var2=val2;099124484:099113110;9999;1001',
    'PruebaEncuesta;25252961;;;9999;',
    'AutomationDialerPD<-;999444444;state=KY:variable2=val2;H=0=999555555:W=0=999666666;9999;',
    'AutomationDialerPD<-;999111111;state=NV:variable2=val2;999222222:999333333;9999;',
    'AutomationDialerPD<-;999777777;state=:variable2=val2;999888888:999999999;9999;',
  ])('accepts %s unchanged, byte for byte', async (line) => {
    const campaign = line.slice(0, line.indexOf(';'));
    const run = await runEngine(`${line}\n`, { campaign });
    expect(run.rejections).toEqual([]);
    expect(run.lines).toEqual([line]);
    expect(formatLine(run.contacts[0]!)).toBe(line);
    expect(run.summary.counts).toMatchObject({ accepted: 1, modified: 0 });
  });

  it('refuses the malformed vendor line, whose number runs into its variables', async () => {
    const line = 'TestDialer<-;17688344484var1=val1:var2=val2;099124484:17688344484;9999;1001';
    const run = await runEngine(`${line}\n`, { campaign: 'TestDialer<-' });
    expect(run.lines).toEqual([]);
    expect(run.rejections).toEqual([
      expect.objectContaining({ line: 1, code: 'INVALID_PHONE', original: line }),
    ]);
  });

  it('reads a file of vendor lines: the malformed one refused, the others round-tripped', async () => {
    const text = fixture('vendor-examples.txt').toString();
    const run = await runEngine(text, { campaign: 'DialerTest<-' });
    const lines = text.trimEnd().split('\n');
    expect(run.summary.input).toEqual({
      format: 'native',
      encoding: 'utf-8',
      delimiter: ';',
      compression: 'none',
    });
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([[2, 'INVALID_PHONE']]);
    expect(run.lines).toEqual(lines.filter((_, i) => i !== 1));
  });
});

describe('processContacts with spreadsheet exports', () => {
  it('reads a UTF-8 export with BOM, sep= line, CRLF, quoted ; and line breaks, and blank rows', async () => {
    const run = await runEngine(fixture('partner-export.csv'), { campaign: 'Camp<-' });
    expect(run.summary.input).toEqual({
      format: 'headered',
      encoding: 'utf-8-bom',
      delimiter: ';',
      compression: 'none',
    });
    expect(run.contacts.map((c) => c.line)).toEqual([3, 5, 6]);
    expect(run.lines[0]).toBe(
      'Camp<-;099123456;Nombre_Cliente=Pérez  Juan:Direccion=Av. 18 de Julio 1234  Apto 5;098765432;5;1001',
    );
    expect(run.lines[1]).toBe(
      'Camp<-;099111222;Nombre_Cliente=Ana:Direccion=Calle  3   centro;;9999;',
    );
    expect(run.summary.counts).toEqual({
      rows: 3,
      accepted: 3,
      rejected: 0,
      duplicates: 0,
      modified: 3,
      // sep= and header, one address on two lines, three blank lines at the end.
      lines: 9,
      header: 2,
      blank: 3,
      joined: 1,
    });
    expect(run.summary.changes).not.toHaveProperty('CAMPAIGN_FILLED');
    expect(run.summary.changes).toMatchObject({ RESERVED_CHARACTER: 2, PHONE_FORMATTING: 2 });
  });

  it("reads Excel's Unicode text (UTF-16LE, tab separated)", async () => {
    const run = await runEngine(fixture('excel-unicode-text.txt'));
    expect(run.summary.input).toMatchObject({
      encoding: 'utf-16le',
      delimiter: '\t',
      format: 'headered',
    });
    expect(run.lines).toEqual([
      'Camp<-;099111222;Nombre=Peña:Ciudad=Montevideo;;9999;',
      'Camp<-;099333444;Nombre=José:Ciudad=Salto;;9999;',
    ]);
  });

  it('reads Windows-1252 text and keeps its accents', async () => {
    const run = await runEngine(fixture('windows-1252.csv'));
    expect(run.summary.input).toMatchObject({ encoding: 'windows-1252', delimiter: ',' });
    expect(run.lines[0]).toBe('Camp<-;099111222;nombre=Peña:ciudad=Paysandú;;9999;');
  });

  it('reads a gzip-compressed file', async () => {
    const run = await runEngine(fixture('contacts.csv.gz'), { sourceName: 'contacts.csv.gz' });
    expect(run.summary.input.compression).toBe('gzip');
    expect(run.lines).toEqual([
      'Camp<-;099111222;name=Ana;;9999;',
      'Camp<-;099333444;name=Luis;;9999;',
    ]);
  });

  it('uses a mapping file for headers it cannot guess', async () => {
    const mapping = JSON.parse(fixture('custom-headers.mapping.json').toString());
    const run = await runEngine(fixture('custom-headers.csv'), { mapping });
    expect(run.lines).toEqual(['Camp<-;099111222;Cliente=Ana:region=Norte;099555666;9999;']);
  });

  it('reads headers in free words and says how each column was read', async () => {
    const run = await runEngine(
      'Nombre;Nro. de Celular;Teléfono alternativo 2;Customer number\n' +
        'Ana;099 111 222;098-333-444;C-1\n',
    );
    expect(run.lines).toEqual(['Camp<-;099111222;Nombre=Ana:Customer_number=C-1;098333444;9999;']);
    expect(run.summary.columns).toEqual([
      { header: 'Nombre', role: 'variable:Nombre' },
      { header: 'Nro. de Celular', role: 'phone' },
      { header: 'Teléfono alternativo 2', role: 'alternate' },
      { header: 'Customer number', role: 'variable:Customer_number' },
    ]);
    const native = await runEngine('Camp<-;099111222;;;9999;\n');
    expect(native.summary.columns).toBeNull();
  });

  it('works with CR-only line endings', async () => {
    const run = await runEngine('telefono,nombre\r099111222,Ana\r\r099111333,Bea');
    expect(run.contacts.map((c) => [c.line, c.main])).toEqual([
      [2, '099111222'],
      [4, '099111333'],
    ]);
  });

  it('checks a campaign column against the target campaign', async () => {
    const run = await runEngine('telefono;campaña\n099111222;Camp<-\n099111333;Otra\n');
    expect(run.lines).toEqual(['Camp<-;099111222;;;9999;']);
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([[3, 'CAMPAIGN_MISMATCH']]);
  });
});

describe('processContacts refusals', () => {
  it('refuses a repeated main number as DUPLICATE and keeps the first', async () => {
    const run = await runEngine('phone,n\n099111222,a\n099 111 333,b\n099-111-222,c\n');
    expect(run.lines.map((l) => l.split(';')[2])).toEqual(['n=a', 'n=b']);
    expect(run.rejections).toEqual([
      expect.objectContaining({ line: 4, code: 'DUPLICATE', original: '099-111-222,c' }),
    ]);
    expect(run.rejections[0]!.message).not.toContain('099111222');
    expect(run.summary.counts).toEqual({
      rows: 3,
      accepted: 2,
      rejected: 1,
      duplicates: 1,
      modified: 1,
      lines: 4,
      header: 1,
      blank: 0,
      joined: 0,
    });
  });

  it('keeps the first of two native lines with one number, whether written canonically or not', async () => {
    const text = [
      'Camp<-;099-111-222;;;9999;',
      'Camp<-;099111222;;;9999;',
      'Camp<-;099111333;;;9999;',
      'Camp<-;099 111 333;;;9999;',
    ].join('\n');
    const run = await runEngine(text);
    expect(run.lines).toEqual(['Camp<-;099111222;;;9999;', 'Camp<-;099111333;;;9999;']);
    expect(run.contacts.map((c) => c.line)).toEqual([1, 3]);
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([
      [2, 'DUPLICATE'],
      [4, 'DUPLICATE'],
    ]);
    expect(run.summary.counts).toMatchObject({ accepted: 2, duplicates: 2, modified: 1 });
  });

  it('fills in an empty campaign column and counts it as a change', async () => {
    const text = [
      ';099111222;n=1;099111333;9999;1001',
      ';099-111-444;;;9999',
      'Camp<-;099111555;;;9999',
      ';099111222;n=2;;9999',
    ].join('\r\n');
    const run = await runEngine(text);
    expect(run.lines).toEqual([
      'Camp<-;099111222;n=1;099111333;9999;1001',
      'Camp<-;099111444;;;9999',
      'Camp<-;099111555;;;9999',
    ]);
    expect(run.contacts.map((c) => [c.line, c.campaign, c.main, c.changes])).toEqual([
      [1, 'Camp<-', '099111222', ['CAMPAIGN_FILLED']],
      [2, 'Camp<-', '099111444', ['CAMPAIGN_FILLED', 'PHONE_FORMATTING']],
      [3, 'Camp<-', '099111555', []],
    ]);
    expect(run.rejections).toEqual([
      expect.objectContaining({ line: 4, code: 'DUPLICATE', original: ';099111222;n=2;;9999' }),
    ]);
    expect(run.summary.counts).toEqual({
      rows: 4,
      accepted: 3,
      rejected: 1,
      duplicates: 1,
      modified: 2,
      lines: 4,
      header: 0,
      blank: 0,
      joined: 0,
    });
    expect(run.summary.changes).toEqual({ CAMPAIGN_FILLED: 2, PHONE_FORMATTING: 1 });
  });

  it('gives the same results whatever size the file is said to have', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => {
      const number = String(99_100_000 + ((i * 7919) % 2500)).padStart(9, '0');
      if (i % 11 === 0) return `Camp<-;${number.slice(0, 3)}-${number.slice(3)};n=${i};;9999;`;
      if (i % 13 === 0) return `Camp<-;${number};n=${i};;;`;
      return `Camp<-;${number};n=${i}:ciudad=Mercedes;099000001;9999;${i}`;
    });
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const expected = await runEngine(bytes, {}, 4096);
    expect(expected.summary.counts.duplicates).toBe(500);
    for (const sizeHint of [0, 1, 5000, bytes.length, 10 * bytes.length, 1e7]) {
      const run = await runEngine(bytes, { sizeHint }, 4096);
      expect(run.lines).toEqual(expected.lines);
      expect(run.rejections).toEqual(expected.rejections);
      expect(run.summary).toEqual(expected.summary);
    }
  });

  it('refuses native lines with too many fields, and too long lines', async () => {
    const long = `Camp<-;099111333;n=${'x'.repeat(100)};;9999;`;
    const run = await runEngine(
      `Camp<-;099111222;n="a;b";;9999;\n${long}\nCamp<-;099111444;;;9999;\n`,
      {
        maxLineLength: 50,
      },
    );
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([
      [1, 'TOO_MANY_FIELDS'],
      [2, 'LINE_TOO_LONG'],
    ]);
    expect(run.lines).toEqual(['Camp<-;099111444;;;9999;']);
  });

  it('refuses headered rows with too many cells, too long, or with cells beyond the header', async () => {
    const text =
      'phone,a,b\n099111222,1,2,,\n099111333,1,2,3,4,5,6\n099111444,1,2,extra\n' +
      `099111555,"${'x'.repeat(80)}",1\n099111666,"never closed\n`;
    const run = await runEngine(text, { maxFields: 6, maxLineLength: 50 });
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([
      [3, 'TOO_MANY_FIELDS'],
      [4, 'MALFORMED_ROW'],
      [5, 'LINE_TOO_LONG'],
      [6, 'MALFORMED_ROW'],
    ]);
    expect(run.contacts.map((c) => c.line)).toEqual([2]);
  });

  it('refuses only the line with invalid UTF-8 found after the sample', async () => {
    const good = Buffer.from(
      Array.from({ length: 3000 }, (_, i) => `Camp<-;${90_000_000 + i};n=é;;9999;\n`).join(''),
    );
    const bad = Buffer.from('Camp<-;099999999;n=\xff\xfe;;9999;\n', 'latin1');
    const run = await runEngine(
      Buffer.concat([good, bad, Buffer.from('Camp<-;099888888;;;9999;\n')]),
      {},
      4096,
    );
    expect(run.summary.input.encoding).toBe('utf-8');
    expect(run.rejections).toEqual([expect.objectContaining({ line: 3001, code: 'BAD_ENCODING' })]);
    expect(run.summary.counts.accepted).toBe(3001);
  });

  it.each([
    ['nothing but a BOM and blank lines', '\ufeff\r\n  \n\n', 'EMPTY_FILE'],
    ['only a sep= line', 'sep=;\n', 'EMPTY_FILE'],
    ['no phone column', 'nombre,ciudad\nAna,Salto\n', 'NO_PHONE_COLUMN'],
  ])('refuses a file with %s as %s', async (_, text, code) => {
    expect((await refusal(runEngine(text))).code).toBe(code);
  });

  it('refuses a workbook whose zip is cut short as WORKBOOK_CORRUPT', async () => {
    // The fixture is a zip's first local header and a few bytes, nothing more.
    const error = await refusal(runEngine(fixture('workbook.xlsx'), { sourceName: 'lista.xlsx' }));
    expect(error.code).toBe('WORKBOOK_CORRUPT');
    expect(error.message).toMatch(/cut short.*save it again/);
  });

  it('refuses a mapping naming a column the file lacks as BAD_MAPPING', async () => {
    const run = runEngine('phone\n099111222\n', { mapping: { columns: { Celular: 'phone' } } });
    expect((await refusal(run)).code).toBe('BAD_MAPPING');
  });
});

describe('processContacts and its sink', () => {
  it('waits for a promise returned by the sink before going on', async () => {
    const events: string[] = [];
    const slow = (name: string) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          events.push(name);
          resolve();
        }, 2),
      );
    const text = 'Camp<-;099111222;;;9999;\nbad\nCamp<-;099111333;;;9999;\n';
    const summary = await processContacts(inPieces(Buffer.from(text), 5), engineOptions(), {
      accept: (line) => slow(line.split(';')[1]!),
      reject: (r) => slow(`rejected ${r.line}`),
    });
    events.push('done');
    expect(events).toEqual(['099111222', 'rejected 2', '099111333', 'done']);
    expect(summary.counts.rows).toBe(3);
  });
});

const TOKENS = [
  'Camp<-',
  ';',
  ';',
  ':',
  '=',
  '\n',
  '\r\n',
  '\r',
  '"',
  ',',
  '\t',
  '|',
  ' ',
  '099123456',
  '+598 99 123 457',
  '9.8344484E+8',
  'H=0=',
  'é',
  'ñ',
  '\ufffd',
  'telefono',
  'nombre',
  'sep=;',
  '\ufeff',
  '9999',
  '1001',
  '\u0000',
  '\u0001',
  '\u2028',
  '\u200f',
  'x',
];
const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => t.join(''));
/** A cell or field: mostly plausible values, sometimes reserved characters and quotes. */
const value = fc
  .array(
    fc.constantFrom(
      '099123456',
      '098 765-432',
      '+59899111222',
      'Ana',
      'é',
      ' ',
      ':',
      '=',
      ';',
      ',',
      '"',
      '\n',
      '\r\n',
      'H=0=099555666',
      '12',
      '',
    ),
    { maxLength: 4 },
  )
  .map((t) => t.join(''));
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const nativeFile = fc
  .array(
    fc.tuple(
      fc.constantFrom('Camp<-', '', 'Otra'),
      fc.constantFrom('099123456', '099123457', '098 111 222', '', '9.8344484E+8', '12'),
      fc.array(fc.tuple(fc.constantFrom('a', 'nombre', ''), value), { maxLength: 3 }),
      fc.array(fc.constantFrom('099555666', 'H=0=099555667', 'W=1=0991', '099123456'), {
        maxLength: 3,
      }),
      fc.constantFrom('9999', '', '1', '0', 'x'),
      fc.option(fc.constantFrom('', '1001', 'x'), { nil: undefined }),
      lineEnd,
    ),
    { maxLength: 8 },
  )
  .map((lines) =>
    lines
      .map(([camp, main, vars, alts, prio, agent, end]) => {
        const fields = [
          camp,
          main,
          vars.map(([n, v]) => `${n}=${v}`).join(':'),
          alts.join(':'),
          prio,
        ];
        if (agent !== undefined) fields.push(agent);
        return fields.join(';') + end;
      })
      .join(''),
  );
const phoneCell = fc.constantFrom(
  '099123456',
  '099123457',
  '(098) 111-222',
  '+598 99 111 333',
  '',
  '1.2E+8',
);
const headeredFile = fc
  .tuple(
    fc.shuffledSubarray([
      'Nombre Cliente',
      'Teléfono 2',
      'prioridad',
      'interno',
      'campaña',
      'Dirección',
    ]),
    fc.constantFrom(',', ';', '\t', '|'),
    fc.array(fc.tuple(phoneCell, fc.array(value, { maxLength: 7 })), { maxLength: 6 }),
    lineEnd,
    fc.boolean(),
  )
  .map(([headers, delimiter, rows, end, sep]) => {
    const quote = (cell: string) =>
      /[",;\t|\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
    const table = [['telefono', ...headers], ...rows.map(([phone, cells]) => [phone, ...cells])];
    const body = table.map((row) => row.map(quote).join(delimiter)).join(end);
    return (sep ? `sep=${delimiter}${end}` : '') + body;
  });
const ENCODINGS = ['utf8', 'utf16le', 'latin1', 'gzip', 'raw'] as const;

/** What every emitted line must look like, whatever went in. */
const FREE = `[^;:=\\r\\n${STRAY_CHARACTER_CLASS}]*`;
const VARIABLE = new RegExp(`^${FREE}=${FREE}$`);
const ALTERNATE = /^(?:\d+|[MWH]=\d{1,2}=\d+)$/;

function expectNativeLine(line: string, campaign: string): void {
  expect(line).not.toMatch(new RegExp(`[\\r\\n${STRAY_CHARACTER_CLASS}]`));
  const fields = line.split(';');
  expect([5, 6]).toContain(fields.length);
  const [camp, main, variables, alternates, priority, agentphone = ''] = fields as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  expect(camp).toBe(campaign);
  expect(main).toMatch(/^\d+$/);
  if (variables !== '') for (const v of variables.split(':')) expect(v).toMatch(VARIABLE);
  if (alternates !== '') for (const a of alternates.split(':')) expect(a).toMatch(ALTERNATE);
  expect(priority).toMatch(/^\d*$/);
  expect(agentphone).toMatch(/^\d*$/);
}

describe('processContacts on any input', () => {
  it('emits only well-formed native lines, or refuses the whole file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nativeFile, headeredFile, soup, fc.string({ maxLength: 200 })),
        fc.constantFrom(...ENCODINGS),
        fc.uint8Array({ maxLength: 100 }),
        fc.integer({ min: 1, max: 64 }),
        async (text, encoding, randomBytes, pieceSize) => {
          let bytes: Uint8Array;
          if (encoding === 'raw') bytes = randomBytes;
          else if (encoding === 'gzip') bytes = gzipSync(Buffer.from(text));
          else if (encoding === 'utf16le')
            bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
          else bytes = Buffer.from(text, encoding);
          const sourceName = encoding === 'gzip' ? 'f.csv.gz' : 'f.csv';
          try {
            const run = await runEngine(bytes, { sourceName, maxLineLength: 120 }, pieceSize);
            for (const line of run.lines) expectNativeLine(line, 'Camp<-');
            expect(run.contacts.map(formatLine)).toEqual(run.lines);
            const { counts } = run.summary;
            expect(counts.rows).toBe(counts.accepted + counts.rejected);
            expect(run.lines.length).toBe(counts.accepted);
            expect(run.rejections.length).toBe(counts.rejected);
            const decoded = decodedText(bytes, encoding === 'gzip', run.summary.input.encoding);
            expectEveryLineCounted(counts, decoded);
          } catch (error) {
            if (!(error instanceof UnusableFileError)) throw error;
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** The lines of a text as a person counts them: a last line without a line break counts. */
function physicalLines(text: string): number {
  const breaks = text.match(/\r\n|\r|\n/g)?.length ?? 0;
  return text === '' || /[\r\n]$/.test(text) ? breaks : breaks + 1;
}

function expectEveryLineCounted(counts: Counts, text: string): void {
  expect(counts.lines).toBe(physicalLines(text));
  expect(counts.header + counts.rows + counts.blank + counts.joined).toBe(counts.lines);
}

/** The text of `bytes` in the encoding the engine found, decoded here independently. */
function decodedText(bytes: Uint8Array, gzipped: boolean, encoding: string): string {
  const raw = gzipped ? gunzipSync(bytes) : bytes;
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  return new TextDecoder(label).decode(raw);
}

describe('processContacts accounts for every line of a file', () => {
  const header = 'telefono,nombre,direccion';
  it.each([
    [
      'native, LF, a last line without a line break',
      'Camp<-;099111222;;;9999;\n\nCamp<-;12;;;9999;',
      { lines: 3, header: 0, rows: 2, blank: 1, joined: 0 },
    ],
    [
      'native with a sep= line, CR only, blank lines of spaces',
      'sep=;\rCamp<-;099111222;;;9999;\r  \r\rCamp<-;099111333;;;9999;\r',
      { lines: 5, header: 1, rows: 2, blank: 2, joined: 0 },
    ],
    [
      'headered, CRLF, blank lines and rows with no value',
      `${header}\r\n099111222,Ana,x\r\n\r\n,,\r\n , ,\r\n099111333,Luis,y`,
      { lines: 6, header: 1, rows: 2, blank: 3, joined: 0 },
    ],
    [
      'headered with blank lines before the header and a sep= line',
      `sep=,\n\n   \n${header}\n099111222,Ana,x\n`,
      { lines: 5, header: 2, rows: 1, blank: 2, joined: 0 },
    ],
    [
      'multi-line cells, one holding the delimiter, in the header too',
      `telefono,"nombre\ncompleto",direccion\n099111222,Ana,"Av. Italia 1234\nApto 5, Montevideo\n11300"\n099111333,"Luis\r\nPaz",y\n`,
      { lines: 7, header: 1, rows: 2, blank: 0, joined: 4 },
    ],
    [
      'a stray quote whose next line reads as a row',
      `${header}\n099111222,"Perez, Juan\n099111333,"Lopez",x\n099111444,Ana,y\n`,
      { lines: 4, header: 1, rows: 3, blank: 0, joined: 0 },
    ],
    [
      'a stray quote left open at the end of the file, after a multi-line row',
      `${header}\n099111222,"a\nb",x\n099111333,Ana,"open\nnot a row`,
      { lines: 5, header: 1, rows: 3, blank: 0, joined: 1 },
    ],
    [
      'a stray quote open past the line-length limit',
      `${header}\n099111222,Ana,"open\n${'sin telefono\n'.repeat(20)}099111333,Luis,y\n`,
      { lines: 23, header: 1, rows: 22, blank: 0, joined: 0 },
    ],
    [
      'a row too long, spanning lines, and the one after its open quote',
      `${header}\n099111222,"a\nb","${'x'.repeat(200)}\nc"\n\n099111333,Luis,y\n`,
      { lines: 6, header: 1, rows: 3, blank: 1, joined: 1 },
    ],
    [
      'a multi-line row with no value',
      `${header}\n"\n",,\n099111333,Luis,y\n`,
      { lines: 4, header: 1, rows: 1, blank: 1, joined: 1 },
    ],
  ])('%s', async (_, text, expected) => {
    for (const pieceSize of [undefined, 7]) {
      const run = await runEngine(text, { maxLineLength: 150 }, pieceSize);
      expect(run.summary.counts).toMatchObject(expected);
      expectEveryLineCounted(run.summary.counts, text);
    }
  });

  it('counts every line of headered files with stray quotes, however the file arrives', async () => {
    await fc.assert(
      fc.asyncProperty(
        headeredFile,
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.constantFrom('', '\n', '\r\n\r\n'),
        fc.integer({ min: 1, max: 64 }),
        async (file, strays, end, pieceSize) => {
          // Stray quotes at the start of cells, and blank lines.
          let text = file;
          for (const at of strays) {
            const i = at % (text.length + 1);
            text = `${text.slice(0, i)}${i % 2 ? '\n\n' : ',"'}${text.slice(i)}`;
          }
          text += end;
          try {
            const run = await runEngine(text, { maxLineLength: 120 }, pieceSize);
            expectEveryLineCounted(run.summary.counts, text);
            const whole = await runEngine(text, { maxLineLength: 120 });
            expect(run.summary.counts).toEqual(whole.summary.counts);
          } catch (error) {
            if (!(error instanceof UnusableFileError)) throw error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('processContacts with a reload window', () => {
  const recentlyLoaded = {
    numbers: NumberSet.of(['098344484', '25252961']),
    loads: [{ loadedAt: '2025-03-14T13:05:10.000Z', source: 'incoming/Camp/lunes.csv' }],
    days: 7,
  };

  it('refuses a main number the campaign received, saying when and from which file', async () => {
    const text = [
      'Camp<-;098344484;;;9999;',
      'Camp<-;098-344-485;;;9999;',
      'Camp<-;098 344 484;;;9999;',
      ';25252961;nombre=Ana;;;',
      'Camp<-;099124484;;098344484;9999;',
    ].join('\n');
    const run = await runEngine(text, { recentlyLoaded });
    expect(run.lines).toEqual(['Camp<-;098344485;;;9999;', 'Camp<-;099124484;;098344484;9999;']);
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([
      [1, 'RECENTLY_LOADED'],
      [3, 'DUPLICATE'],
      [4, 'RECENTLY_LOADED'],
    ]);
    expect(run.rejections[0]!.message).toBe(
      'The number 09*****84 was loaded into this campaign at 2025-03-14T13:05:10.000Z, from ' +
        'incoming/Camp/lunes.csv, within its 7-day reload window.',
    );
    expect(run.summary.rejectionCodes).toEqual({ RECENTLY_LOADED: 2, DUPLICATE: 1 });
  });

  it('refuses the same numbers in a headered file', async () => {
    const text = 'Telefono;Nombre\n+598 (0) 98344484;x\n098 344 484;Ana\n099124484;Luis\n';
    const run = await runEngine(text, { recentlyLoaded });
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([[3, 'RECENTLY_LOADED']]);
    expect(run.lines).toHaveLength(2);
  });
});
