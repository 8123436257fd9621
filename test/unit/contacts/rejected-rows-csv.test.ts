import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RejectionCode } from '../../../functions/contacts/reason-codes.js';
import {
  neutralizeFormulas,
  rejectedCsvRow,
  restoreFormulas,
} from '../../../functions/contacts/rejected-rows-csv.js';

const row = (original: string, message = 'The number is empty') =>
  rejectedCsvRow({ line: 3, code: RejectionCode.InvalidPhone, message, original });
const cellsOf = (csv: string) => (parse(csv, { relax_quotes: false }) as string[][])[0]!;

/** What a spreadsheet would run as a formula at the start of a cell. */
const FORMULA = /^[=+\-@\t\r]/;
/** Where a spreadsheet splitting the text on `,` `;` tab or line breaks starts a cell. */
const CELL_STARTS = /(?:^|[,;\t\r\n])"?(.)/gs;

describe('rejectedCsvRow', () => {
  it.each([
    ['=HYPERLINK("http://x.example","clic")', `'=HYPERLINK("http://x.example","clic")`],
    ["+cmd|' /C calc'!A0", `'+cmd|' /C calc'!A0`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['\t=1', `'\t'=1`],
    ["'quoted", "''quoted"],
    ['+59899123456,Ana', `'+59899123456,Ana`],
  ])('writes a leading quote before a formula start: %j', (original, written) => {
    const cells = cellsOf(row(original));
    expect(cells[3]).toBe(written);
    expect(restoreFormulas(cells[3]!)).toBe(original);
  });

  it('neutralizes a formula after a ; or , inside a cell, for spreadsheets that split there', () => {
    const original = 'Ventas;=1+1;nombre=Ana,=2+2;;9999';
    const csv = row(original);
    expect(csv).toBe(
      `3,INVALID_PHONE,The number is empty,"Ventas;'=1+1;nombre=Ana,'=2+2;;9999"\r\n`,
    );
    expect(restoreFormulas(cellsOf(csv)[3]!)).toBe(original);
  });

  it('leaves cells that start no formula as they were', () => {
    expect(row('Ventas;099123456;;;9999')).toBe(
      '3,INVALID_PHONE,The number is empty,"Ventas;099123456;;;9999"\r\n',
    );
  });

  it('gives back every cell exactly, and leaves no formula where any spreadsheet starts a cell', () => {
    const risky = fc.constantFrom(...'=+-@\t\r\n\'",;ab0 ');
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(risky, { maxLength: 30 }).map((characters) => characters.join('')),
    );
    fc.assert(
      fc.property(text, text, (message, original) => {
        const csv = row(original, message);
        const cells = cellsOf(csv);
        expect(cells.map(restoreFormulas)).toEqual(['3', 'INVALID_PHONE', message, original]);
        for (const cell of cells) expect(cell).not.toMatch(FORMULA);
        for (const [, first] of csv.slice(0, -2).matchAll(CELL_STARTS)) {
          expect(first).not.toMatch(FORMULA);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('restores only what it neutralized', () => {
    expect(restoreFormulas(neutralizeFormulas("a'b;''c"))).toBe("a'b;''c");
    expect(neutralizeFormulas('plain text')).toBe('plain text');
  });
});
