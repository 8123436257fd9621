import { describe, expect, it } from 'vitest';
import { cellText, numberShape, numberText } from '../../../functions/contacts/cell-text.js';

describe('numberText', () => {
  it.each([
    [98344484, '98344484'],
    [983444840, '983444840'],
    [598991234567890, '598991234567890'],
    [1e21, '1000000000000000000000'],
    [0.1 + 0.2, '0.3'],
    [1234.5, '1234.5'],
    [1e-7, '0.0000001'],
  ])('writes %d as %s, never with an exponent or a trailing .0', (value, text) => {
    expect(numberText(value)).toBe(text);
  });
});

describe('numberShape', () => {
  it.each([
    [undefined, 'plain'],
    ['General', 'plain'],
    ['#,##0.00', 'plain'],
    ['0%', 'plain'],
    ['[Red]0.00;[Blue]-0.00', 'plain'],
    ['#,##0 "días"', 'plain'],
    ['000000000', 'zero-padded'],
    ['dd/mm/yyyy', 'date'],
    ['mm-dd-yy', 'date'],
    ['d-mmm', 'date'],
    ['yyyy-mm-dd hh:mm', 'date'],
    ['[$-es-UY]mmmm yyyy', 'date'],
    ['h:mm AM/PM', 'time'],
    ['[h]:mm:ss', 'time'],
    ['mm:ss', 'time'],
  ])('reads the format %s as %s', (format, shape) => {
    expect(numberShape(format)).toBe(shape);
  });
});

describe('cellText', () => {
  it('writes a serial number with a date format as its day, in either date system', () => {
    expect(cellText(45356, 'dd/mm/yyyy', false)).toBe('2024-03-05');
    expect(cellText(43894, 'dd/mm/yyyy', true)).toBe('2024-03-05');
    expect(cellText(45356.75, 'yyyy-mm-dd hh:mm', false)).toBe('2024-03-05');
  });

  it('writes a time of day alone as hh:mm:ss', () => {
    expect(cellText(0.4375, 'h:mm', false)).toBe('10:30:00');
    expect(cellText(new Date(Date.UTC(1899, 11, 30, 23, 59, 59)), 'h:mm:ss', false)).toBe(
      '23:59:59',
    );
  });

  it('pads a whole number to the width of a zeros-only format', () => {
    expect(cellText(99123456, '000000000', false)).toBe('099123456');
    expect(cellText(1234567890, '000000000', false)).toBe('1234567890');
  });

  it('gives the cached result of a formula with the cell format, and errors as Excel writes them', () => {
    expect(cellText({ formula: 'A1', result: 45292 }, 'dd/mm/yyyy', false)).toBe('2024-01-01');
    expect(cellText({ formula: 'A1', result: { error: '#N/A' } }, undefined, false)).toBe('#N/A');
    expect(cellText({ formula: 'A1' }, undefined, false)).toBe('');
    expect(cellText({ error: '#DIV/0!' }, undefined, false)).toBe('#DIV/0!');
  });

  it('joins rich-text runs and takes a hyperlink cell as its text', () => {
    expect(cellText({ richText: [{ text: 'Ana ' }, { text: 'García' }] }, undefined, false)).toBe(
      'Ana García',
    );
    expect(cellText({ text: 'web', hyperlink: 'https://example.com' }, undefined, false)).toBe(
      'web',
    );
  });
});
