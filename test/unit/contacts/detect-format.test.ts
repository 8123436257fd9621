import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../functions/contacts/detect-format.js';

const detect = (head: string) => detectFormat(head, true);

describe('detectFormat', () => {
  it('recognises native uContact lines', () => {
    expect(detect('Camp<-;098344484;var1=val1;099124484;9999;1001\n')).toEqual({
      format: 'native',
      delimiter: ';',
      sepLineLength: 0,
    });
  });

  it('recognises a native file whose first line has a malformed number', () => {
    const head =
      'TestDialer<-;17688344484var1=val1:var2=val2;099124484;9999;1001\n' +
      'TestDialer<-;098344484;;;9999;\nTestDialer<-;098344485;;;9999;\n';
    expect(detect(head)?.format).toBe('native');
  });

  it('recognises a header row by its column names', () => {
    expect(detect('nombre;telefono;ciudad\nAna;099111222;Salto\n')).toMatchObject({
      format: 'headered',
      delimiter: ';',
    });
  });

  it('recognises a header row whose phone column is named in free words', () => {
    const rows = 'Ana;099111222;Salto\nBea;099111333;Rivera\nEva;099111444;Melo\n';
    expect(detect(`Nombre;Nro. de Celular;Ciudad\n${rows}`)).toMatchObject({
      format: 'headered',
      delimiter: ';',
    });
  });

  it.each([
    [',', 'Nombre,Teléfono,Ciudad\nAna,099111222,"Salto, UY"\n'],
    ['\t', 'Nombre\tCelular\tCiudad\nAna\t099111222\tSalto\n'],
    ['|', 'nombre|phone|ciudad\nAna|099111222|Salto; norte\n'],
    [';', 'Nombre;Móvil;Nota\n"Ana, Bea";099111222;"a,b,c,d"\n'],
  ])('sniffs the delimiter %j outside quotes', (delimiter, head) => {
    expect(detect(head)).toMatchObject({ format: 'headered', delimiter });
  });

  it("honours Excel's sep= line and reports its length to skip", () => {
    expect(detect('sep=,\r\nphone;x,name\n099111222;1,Ana\n')).toEqual({
      format: 'headered',
      delimiter: ',',
      sepLineLength: 7,
    });
    expect(detect('sep=;\nCamp<-;099111222;;;9999;\n')).toEqual({
      format: 'native',
      delimiter: ';',
      sepLineLength: 6,
    });
  });

  it('skips blank lines before the first record', () => {
    expect(detect('\n\r\n  \nphone\n099111222\n')?.format).toBe('headered');
  });

  it('finds nothing in blank text', () => {
    expect(detect('\n \r\n\t\n')).toBeUndefined();
  });

  it('calls a header made only of mapped names headered', () => {
    const head = 'Cliente,Movil principal\nAna,099111222\n';
    expect(detectFormat(head, true, { columns: { 'MOVIL PRINCIPAL': 'phone' } })?.format).toBe(
      'headered',
    );
  });
});
