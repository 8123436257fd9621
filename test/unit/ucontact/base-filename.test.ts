import { describe, expect, it } from 'vitest';
import { baseFilename } from '../../../functions/ucontact/base-filename.js';

describe('baseFilename', () => {
  it("keeps the source's name when it is the only chunk", () => {
    expect(baseFilename('/data/in/Clientes Marzo.csv', 1, 1)).toBe('Clientes Marzo.csv');
  });

  it('drops .gz from a single chunk, since the text it carries is not compressed', () => {
    expect(baseFilename('lista.csv.gz', 1, 1)).toBe('lista.csv');
    expect(baseFilename('LISTA.TXT.GZ', 1, 1)).toBe('LISTA.TXT');
  });

  it('numbers the parts with their total when there are several', () => {
    expect(baseFilename('lista.csv', 1, 3)).toBe('lista.part-001-of-003.csv');
    expect(baseFilename('lista.csv.gz', 12, 12)).toBe('lista.part-012-of-012.csv');
    expect(baseFilename('export.txt', 7, 1200)).toBe('export.part-0007-of-1200.csv');
  });
});
