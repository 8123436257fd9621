import { describe, expect, it } from 'vitest';
import type { Rejection } from '../../../functions/contacts/contact.js';
import { InvalidOptionsError } from '../../../functions/contacts/errors.js';
import { processContacts } from '../../../functions/contacts/process-contacts.js';
import { engineOptions, runEngine } from './run-engine.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** `count` rows `<number>,José` in Windows-1252, numbers from `first` on. */
function latin1Rows(first: number, count: number): Buffer {
  const rows = Array.from({ length: count }, (_, i) => `0${first + i},Jos\xe9\n`);
  return latin1(rows.join(''));
}

describe('processContacts with numbers a spreadsheet wrote as decimals', () => {
  it('refuses 98344484.0 and 99123456,00 instead of loading other numbers, and says how to fix it', async () => {
    const run = await runEngine(
      'telefono;alternativo\n98344484.0;\n99123456,00;\n+59899123456.5;\n099.124.484;\n2 123-4567;\n',
    );
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([
      [2, 'INVALID_PHONE'],
      [3, 'INVALID_PHONE'],
      [4, 'INVALID_PHONE'],
    ]);
    for (const rejection of run.rejections) {
      expect(rejection.message).toMatch(/decimal.*format the column as text/);
    }
    expect(run.lines).toEqual(['Camp<-;099124484;;;9999;', 'Camp<-;21234567;;;9999;']);
    expect(run.summary.changes).toEqual({ PHONE_FORMATTING: 2 });
  });

  it('drops an alternate written as a decimal, in native and headered files alike', async () => {
    const native = await runEngine('Camp<-;099111222;;98344484.0:099111333;9999;\n');
    const headered = await runEngine('telefono;alternativo\n099111222;98344484,0\n');
    expect(native.lines).toEqual(['Camp<-;099111222;;099111333;9999;']);
    expect(headered.lines).toEqual(['Camp<-;099111222;;;9999;']);
    for (const run of [native, headered]) {
      expect(run.contacts[0]!.changes).toEqual(['ALTERNATE_DROPPED']);
    }
  });

  it('refuses a native line whose main number is a decimal', async () => {
    const run = await runEngine('Camp<-;98344484.0;;;9999;\nCamp<-;098344484;;;9999;\n');
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([[1, 'INVALID_PHONE']]);
    expect(run.lines).toEqual(['Camp<-;098344484;;;9999;']);
  });
});

describe('processContacts with a file mixing UTF-8 and Windows-1252 rows', () => {
  const header = utf8('telefono,nombre\n');
  const utf8Row = utf8('099111222,José\n');
  const latin1Row = latin1('099111333,Jos\xe9\n');

  it.each([
    ['the UTF-8 row first', [header, utf8Row, latin1Row], 3],
    ['the Windows-1252 row first', [header, latin1Row, utf8Row], 2],
  ])('reads it as UTF-8 and refuses the other row, with %s', async (_, parts, badLine) => {
    const run = await runEngine(Buffer.concat(parts));
    expect(run.summary.input.encoding).toBe('utf-8');
    expect(run.lines).toEqual(['Camp<-;099111222;nombre=José;;9999;']);
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([[badLine, 'BAD_ENCODING']]);
  });

  it('refuses a UTF-8 row found after a Windows-1252 start instead of loading it garbled', async () => {
    const before = latin1Rows(99_100_000, 5000);
    const after = latin1Rows(99_200_000, 3);
    const bytes = Buffer.concat([header, before, utf8Row, after]);
    // The UTF-8 "é" is cut between two pieces.
    const cut = header.length + before.length + utf8Row.indexOf(0xc3) + 1;
    const rows: string[] = [];
    const rejections: Rejection[] = [];
    const summary = await processContacts(pieces(bytes, [cut]), engineOptions(), {
      accept: (line) => void rows.push(line),
      reject: (rejection) => void rejections.push(rejection),
    });
    expect(summary.input.encoding).toBe('windows-1252');
    expect(rejections.map((r) => [r.line, r.code])).toEqual([[5002, 'BAD_ENCODING']]);
    expect(rows).toHaveLength(5003);
    expect(rows.every((line) => line.includes(';nombre=José;'))).toBe(true);
  });
});

async function* pieces(bytes: Uint8Array, cuts: number[]) {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
}

describe('processContacts with empty header cells', () => {
  it('leaves out the columns a spreadsheet exported without a header name', async () => {
    const run = await runEngine('Nombre;Telefono;;;\r\nAna;099111222;;;\r\nLuis;099111333;x;;\r\n');
    expect(run.lines).toEqual([
      'Camp<-;099111222;Nombre=Ana;;9999;',
      'Camp<-;099111333;Nombre=Luis;;9999;',
    ]);
  });

  it('reads a column without a header name when the mapping names it', async () => {
    const run = await runEngine('Nombre;Telefono;\nAna;099111222;VIP\n', {
      mapping: { columns: { '': 'variable:tipo' } },
    });
    expect(run.lines).toEqual(['Camp<-;099111222;Nombre=Ana:tipo=VIP;;9999;']);
  });
});

describe('processContacts with a stray quote in a headered file', () => {
  const rows = (count: number, stray: number) =>
    Array.from({ length: count }, (_, i) =>
      i === stray ? `0${99_100_000 + i},"Ana` : `0${99_100_000 + i},Cliente ${i}`,
    );

  it('refuses only the row with the quote and reads the 1999 others', async () => {
    const text = `telefono,nombre\n${rows(2000, 2).join('\n')}\n`;
    for (const pieceSize of [undefined, 4096]) {
      const run = await runEngine(text, {}, pieceSize);
      expect(run.rejections.map((r) => [r.line, r.code])).toEqual([[4, 'MALFORMED_ROW']]);
      expect(run.rejections[0]!.message).toMatch(/line 4, character 11 .* runs into line 5, which/);
      expect(run.rejections[0]!.original).toBe('099100002,"Ana');
      expect(run.summary.counts).toMatchObject({ rows: 2000, accepted: 1999, rejected: 1 });
      expect(run.contacts.at(-1)!.line).toBe(2001);
    }
  });

  it('refuses only the row with the quote when it is left open at the end of the file', async () => {
    const text = `telefono,nombre\r\n${rows(2000, 1999).join('\r\n')}\r\n`;
    const run = await runEngine(text);
    expect(run.rejections.map((r) => [r.line, r.code])).toEqual([[2001, 'MALFORMED_ROW']]);
    expect(run.rejections[0]!.message).toMatch(/end of the file/);
    expect(run.summary.counts).toMatchObject({ accepted: 1999, rejected: 1 });
  });
});

describe('processContacts and the original text of refused headered rows', () => {
  it('gives a quoted row exactly as it is in the file', async () => {
    const text =
      'telefono;nombre\r\n"12";"Ana"\r\n"099111222";"Luis"\r\n"099 111 222";"Eva\r\nPaz"\r\n' +
      '"099111333";"x";y\r\n099111444;;\r\n';
    const run = await runEngine(text);
    expect(run.rejections.map((r) => [r.line, r.code, r.original])).toEqual([
      [2, 'INVALID_PHONE', '"12";"Ana"'],
      [4, 'DUPLICATE', '"099 111 222";"Eva\r\nPaz"'],
      [6, 'MALFORMED_ROW', '"099111333";"x";y'],
    ]);
    expect(run.lines).toHaveLength(2);
  });
});

describe('processContacts options', () => {
  it('refuses options that cannot work before reading a row, listing every problem', async () => {
    let rowsSeen = 0;
    const error = await processContacts(
      pieces(utf8('Camp<-;099111222;;;9999;\n'), []),
      engineOptions({ minPhoneDigits: 9, maxPhoneDigits: 6, replacement: ';' }),
      { accept: () => void rowsSeen++, reject: () => void rowsSeen++ },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).problems).toHaveLength(2);
    expect(rowsSeen).toBe(0);
  });

  it('warns that a mapping given for a file without a header row was not used', async () => {
    const mapping = { columns: { Movil: 'phone' } };
    const native = await runEngine('Camp<-;099111222;;;9999;\n', { mapping });
    expect(native.summary.warnings).toEqual([
      { code: 'MAPPING_NOT_USED', message: expect.stringContaining('no header row') },
    ]);
    expect(native.lines).toEqual(['Camp<-;099111222;;;9999;']);
    const headered = await runEngine('Movil\n099111222\n', { mapping });
    expect(headered.summary.warnings).toEqual([]);
  });
});
