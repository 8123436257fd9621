import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkbook, WORKBOOK_SPOOL_PREFIX } from '../../../functions/contacts/read-workbook.js';
import { engineOptions, inPieces, refusal, runEngine } from './run-engine.js';
import { compoundFile, inlineStringsWorkbook, storedZip, workbook } from './workbooks.js';

const spools = () => readdirSync(tmpdir()).filter((name) => name.startsWith('ucontact-xlsx-'));

const xlsx = { sourceName: 'lista.xlsx' };

describe('processContacts with an Excel workbook', () => {
  it('reads the sheet as a headered file and says which sheet it read', async () => {
    const book = await workbook({
      name: 'Clientes',
      rows: [
        ['Nombre', 'Teléfono', 'Ciudad'],
        ['Ana', '099123456', 'Salto'],
      ],
    });
    const run = await runEngine(book, xlsx);
    expect(run.lines).toEqual(['Camp<-;099123456;Nombre=Ana:Ciudad=Salto;;9999;']);
    expect(run.summary.input).toEqual({
      format: 'headered',
      encoding: 'utf-8',
      delimiter: ',',
      compression: 'none',
      container: 'xlsx',
      sheet: 'Clientes',
    });
  });

  it('writes phones stored as numbers as their digits, 15-digit ones exactly', async () => {
    const book = await workbook({
      name: 'Hoja1',
      rows: [
        ['telefono', 'alternativo'],
        [98344484, 598991234567890],
        [983444840, 99124484],
      ],
    });
    const run = await runEngine(book, xlsx);
    expect(run.rejections).toEqual([]);
    expect(run.lines).toEqual([
      'Camp<-;98344484;;598991234567890;9999;',
      'Camp<-;983444840;;99124484;9999;',
    ]);
  });

  it('keeps the leading zeros of numbers stored as text or shown by a 000000000 format', async () => {
    const book = await workbook({
      name: 'Hoja1',
      rows: [
        ['telefono', 'Codigo'],
        ['099123456', { value: 42, numFmt: '00000' }],
        [{ value: 99654321, numFmt: '000000000' }, '007'],
      ],
    });
    const run = await runEngine(book, xlsx);
    expect(run.lines).toEqual([
      'Camp<-;099123456;Codigo=00042;;9999;',
      'Camp<-;099654321;Codigo=007;;9999;',
    ]);
  });

  it('writes dates as yyyy-mm-dd, also numbers with a date format', async () => {
    const book = await workbook({
      name: 'Hoja1',
      rows: [
        ['telefono', 'Alta', 'Vence', 'Monto'],
        [
          '099123456',
          { value: new Date(Date.UTC(2024, 2, 5)), numFmt: 'dd/mm/yyyy' },
          { value: 45292, numFmt: 'mm-dd-yy' },
          { value: 1234.5, numFmt: '#,##0.00' },
        ],
      ],
    });
    const run = await runEngine(book, xlsx);
    expect(run.lines).toEqual([
      'Camp<-;099123456;Alta=2024-03-05:Vence=2024-01-01:Monto=1234.5;;9999;',
    ]);
  });

  it('writes a formula as its cached result, booleans as TRUE and FALSE', async () => {
    const book = await workbook({
      name: 'Hoja1',
      rows: [
        ['telefono', 'Nombre', 'Total', 'Activo', 'Baja'],
        [
          { formula: '"0"&"99123456"', result: '099123456' },
          { formula: 'UPPER("ana")', result: 'ANA' },
          { formula: '40+2', result: 42 },
          true,
          false,
        ],
      ],
    });
    const run = await runEngine(book, xlsx);
    expect(run.lines).toEqual([
      'Camp<-;099123456;Nombre=ANA:Total=42:Activo=TRUE:Baja=FALSE;;9999;',
    ]);
  });

  it('joins the runs of rich text, in shared and in inline strings', async () => {
    const rows = [
      ['telefono', 'Nombre'],
      ['099123456', { richText: [{ text: 'Ana ', font: { bold: true } }, { text: 'García' }] }],
    ];
    const shared = await runEngine(await workbook({ name: 'Hoja1', rows }), xlsx);
    const inline = await runEngine(await inlineStringsWorkbook({ name: 'Hoja1', rows }), xlsx);
    expect(shared.lines).toEqual(['Camp<-;099123456;Nombre=Ana García;;9999;']);
    expect(inline.lines).toEqual(shared.lines);
  });

  it('takes the first row with a value as the header, skipping empty rows, and numbers lines as the sheet does', async () => {
    const book = await workbook({
      name: 'Hoja1',
      rows: [
        null,
        null,
        ['', 'telefono', 'Nombre'],
        ['', '099123456', 'Ana'],
        null,
        ['', '12-34', 'Bea'],
      ],
    });
    const run = await runEngine(book, xlsx);
    expect(run.lines).toEqual(['Camp<-;099123456;Nombre=Ana;;9999;']);
    expect(run.rejections).toEqual([
      expect.objectContaining({ line: 6, code: 'INVALID_PHONE', original: ',12-34,Bea' }),
    ]);
  });

  it('gives a refused row as CSV, quoting cells that need it', async () => {
    const book = await workbook({
      name: 'Hoja1',
      rows: [
        ['telefono', 'Nota'],
        ['sin número', 'dice "hola", y\nse va'],
      ],
    });
    const run = await runEngine(book, xlsx);
    expect(run.rejections).toEqual([
      expect.objectContaining({ line: 2, original: 'sin número,"dice ""hola"", y\nse va"' }),
    ]);
  });

  it('applies every rule of headered files: duplicates, cells beyond the header, the mapping', async () => {
    const book = await workbook({
      name: 'Hoja1',
      rows: [
        ['Movil principal', 'Zona'],
        ['099123456', 'Norte'],
        ['099123456', 'Sur'],
        ['099654321', 'Este', 'suelto'],
      ],
    });
    const mapping = { columns: { 'Movil principal': 'phone', Zona: 'variable:region' } };
    const run = await runEngine(book, { ...xlsx, mapping });
    expect(run.lines).toEqual(['Camp<-;099123456;region=Norte;;9999;']);
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([
      [3, 'DUPLICATE'],
      [4, 'MALFORMED_ROW'],
    ]);
    expect(run.rejections[1]!.message).toMatch(/right of the last header/);
  });

  it('reads the one sheet with data when the others are empty', async () => {
    const book = await workbook(
      { name: 'Portada', rows: [] },
      { name: 'Datos', rows: [['telefono'], ['099123456']] },
    );
    const run = await runEngine(book, xlsx);
    expect(run.summary.input.sheet).toBe('Datos');
    expect(run.lines).toEqual(['Camp<-;099123456;;;9999;']);
  });

  it('leaves hidden sheets (the lists behind drop-downs) out, unless one is named', async () => {
    const book = await workbook(
      { name: 'Listas', hidden: true, rows: [['Ciudades'], ['Salto'], ['Rivera']] },
      {
        name: 'Datos',
        rows: [
          ['telefono', 'Ciudad'],
          ['099123456', 'Salto'],
        ],
      },
    );
    const run = await runEngine(book, xlsx);
    expect(run.summary.input.sheet).toBe('Datos');
    expect(run.lines).toEqual(['Camp<-;099123456;Ciudad=Salto;;9999;']);
    const named = await refusal(runEngine(book, { ...xlsx, sheet: 'Listas' }));
    expect(named.code).toBe('NO_PHONE_COLUMN');
  });

  it('refuses several sheets with data, naming them, unless a sheet is named', async () => {
    const book = await workbook(
      { name: 'Altas', rows: [['telefono'], ['099123456']] },
      { name: 'Vacía', rows: [] },
      { name: 'Bajas', rows: [['telefono'], ['099654321']] },
    );
    const error = await refusal(runEngine(book, xlsx));
    expect(error.code).toBe('SEVERAL_SHEETS');
    expect(error.message).toContain('"Altas", "Bajas"');
    const chosen = await runEngine(book, { ...xlsx, sheet: 'bajas' });
    expect(chosen.summary.input.sheet).toBe('Bajas');
    expect(chosen.lines).toEqual(['Camp<-;099654321;;;9999;']);
  });

  it('refuses a sheet name the workbook lacks, listing its sheets', async () => {
    const book = await workbook({ name: 'Altas', rows: [['telefono'], ['099123456']] });
    const error = await refusal(runEngine(book, { ...xlsx, sheet: 'Hoja1' }));
    expect(error.code).toBe('SHEET_NOT_FOUND');
    expect(error.message).toContain('"Altas"');
  });

  it('refuses a workbook with no data as EMPTY_FILE', async () => {
    const book = await workbook({ name: 'Hoja1', rows: [] }, { name: 'Hoja2', rows: [null, ['']] });
    expect((await refusal(runEngine(book, xlsx))).code).toBe('EMPTY_FILE');
  });

  it('refuses a password-protected workbook as WORKBOOK_ENCRYPTED', async () => {
    const file = compoundFile(['EncryptionInfo', 'EncryptedPackage']);
    const error = await refusal(runEngine(file, xlsx, 100));
    expect(error.code).toBe('WORKBOOK_ENCRYPTED');
    expect(error.message).toMatch(/password/);
  });

  it('refuses an Excel 97-2003 workbook as XLS_NOT_SUPPORTED, asking for .xlsx or CSV', async () => {
    const error = await refusal(runEngine(compoundFile(['Workbook']), { sourceName: 'lista.xls' }));
    expect(error.code).toBe('XLS_NOT_SUPPORTED');
    expect(error.message).toMatch(/\.xlsx.*CSV/);
  });

  it('refuses a workbook cut short or damaged as WORKBOOK_CORRUPT, leaving nothing on disk', async () => {
    const before = spools();
    const book = await workbook({ name: 'Hoja1', rows: [['telefono'], ['099123456']] });
    const cut = await refusal(runEngine(book.subarray(0, book.length - 200), xlsx));
    expect(cut.code).toBe('WORKBOOK_CORRUPT');
    const damaged = Buffer.from(book);
    damaged.fill(0x55, 200, damaged.length - 400);
    expect((await refusal(runEngine(damaged, xlsx))).code).toBe('WORKBOOK_CORRUPT');
    expect(spools()).toEqual(before);
  });

  it('refuses a zip without xl/workbook.xml: WORKBOOK_CORRUPT named .xlsx, BINARY_FILE otherwise', async () => {
    const zip = storedZip({ 'contactos.csv': 'telefono\n099123456\n' });
    expect((await refusal(runEngine(zip, xlsx))).code).toBe('WORKBOOK_CORRUPT');
    const archive = await refusal(runEngine(zip, { sourceName: 'contactos.zip' }));
    expect(archive.code).toBe('BINARY_FILE');
    expect(archive.message).toMatch(/zip archive.*extract the CSV/);
  });

  it('refuses a workbook whose sheets are larger than the size limit as FILE_TOO_LARGE', async () => {
    const rows = [['telefono'], ...Array.from({ length: 200 }, (_, i) => [String(99000000 + i)])];
    const book = await workbook({ name: 'Hoja1', rows });
    expect((await refusal(runEngine(book, { ...xlsx, maxFileBytes: 2000 }))).code).toBe(
      'FILE_TOO_LARGE',
    );
  });

  it('reads a file named .xlsx that holds CSV text as CSV, warning that a sheet name is unused', async () => {
    const run = await runEngine('telefono\n099123456\n', { ...xlsx, sheet: 'Hoja1' });
    expect(run.lines).toEqual(['Camp<-;099123456;;;9999;']);
    expect(run.summary.input.container).toBeUndefined();
    expect(run.summary.warnings.map((w) => w.code)).toEqual(['SHEET_NOT_USED']);
  });
});

describe('the sheets spooled to disk', () => {
  let parent: string;
  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'workbook-parent-'));
  });
  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  const book = () => workbook({ name: 'Hoja1', rows: [['telefono'], ['099123456']] });
  const open = async (bytes: Uint8Array) =>
    openWorkbook(inPieces(bytes), engineOptions({ ...xlsx, spoolDir: parent }));

  it('sit in a directory naming this process while the workbook is read, gone after close or a refusal', async () => {
    const opened = await open(await book());
    const [directory, ...others] = await readdir(parent);
    expect(others).toEqual([]);
    expect(directory).toMatch(new RegExp(`^${WORKBOOK_SPOOL_PREFIX}`));
    const owner = JSON.parse(await readFile(join(parent, directory!, 'owner.json'), 'utf8'));
    expect(owner.pid).toBe(process.pid);
    const rows = [];
    for await (const row of opened.rows) rows.push(row.cells);
    expect(rows).toEqual([['telefono'], ['099123456']]);
    await opened.close();
    expect(await readdir(parent)).toEqual([]);

    const cut = (await book()).subarray(0, 300);
    expect((await refusal(runEngine(cut, { ...xlsx, spoolDir: parent }))).code).toBe(
      'WORKBOOK_CORRUPT',
    );
    expect(await readdir(parent)).toEqual([]);
  });

  it('left by a dead process are removed when the next workbook is opened, never one being read', async () => {
    const left = async (name: string, owner: object) => {
      const directory = join(parent, `${WORKBOOK_SPOOL_PREFIX}${name}`);
      await mkdir(directory);
      await writeFile(join(directory, 'sheet1.xml'), '<c><v>099123456</v></c>');
      await writeFile(join(directory, 'owner.json'), JSON.stringify(owner));
    };
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    await left('dead-pid', { pid: exited, token: 'a' });
    await left('reused-pid', { pid: process.pid, token: 'an earlier process' });
    const reading = await open(await book());
    const [live] = await readdir(parent).then((names) =>
      names.filter((name) => !name.endsWith('-pid')),
    );

    const next = await open(await book());
    const names = await readdir(parent);
    expect(names).toHaveLength(2);
    expect(names).toContain(live);
    await Promise.all([reading.close(), next.close()]);
    expect(await readdir(parent)).toEqual([]);
  });
});
