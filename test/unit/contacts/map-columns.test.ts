import { describe, expect, it } from 'vitest';
import { UnusableFileError } from '../../../functions/contacts/errors.js';
import {
  guessRole,
  headerWords,
  planColumns,
  variableName,
} from '../../../functions/contacts/map-columns.js';

function refusal(run: () => unknown): UnusableFileError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UnusableFileError);
    return error as UnusableFileError;
  }
  throw new Error('expected a refusal');
}

describe('guessRole', () => {
  it.each([
    ['Teléfono', 'phone'],
    ['TELEFONO', 'phone'],
    ['Phone', 'phone'],
    ['Celular', 'phone'],
    ['Móvil', 'phone'],
    ['Número', 'phone'],
    ['mobile', 'phone'],
    ['Tel.', 'phone'],
    ['Teléfono 1', 'phone'],
    ['Teléfono 2', 'alternate'],
    ['phone3', 'alternate'],
    ['Alternativos', 'alternate'],
    ['Fijo', 'alternate'],
    ['Prioridad', 'priority'],
    ['priority', 'priority'],
    ['Interno', 'agentphone'],
    ['Extensión', 'agentphone'],
    ['Anexo', 'agentphone'],
    ['Campaña', 'campaign'],
    ['campaign', 'campaign'],
    ['Nombre', 'variable'],
  ])('takes %j for the %s column', (header, role) => {
    expect(guessRole(header)).toBe(role);
  });

  it.each([
    'telefono',
    'phone',
    'celular',
    'movil',
    'numero',
    'mobile',
    'tel',
    'Contact Phone Number',
    'Teléfono del cliente',
    'Nro. de Celular',
    'Mobile number',
    'Tel. particular',
    'TELÉFONO-CASA',
    'ContactPhone',
    'Número de contacto',
    'Phone #1',
  ])('reads %j as the phone', (header) => {
    expect(guessRole(header)).toBe('phone');
  });

  it.each([
    'telefono2',
    'phone3',
    'alternativo',
    'alternate',
    'fijo',
    'Teléfono alternativo 2',
    'Other phone',
    'Phone 2',
    'Otro teléfono',
    'Teléfono fijo',
    'Número alternativo',
    'cel_3',
  ])('reads %j as an alternate', (header) => {
    expect(guessRole(header)).toBe('alternate');
  });

  it.each([
    'Nombre',
    'Numero de cliente',
    'Customer number',
    'Phone type',
    'Tipo de teléfono',
    'Estado del teléfono',
    'Titular del teléfono',
    'Phone country code',
    'Fax',
    'Teléfono fax',
    'Phone extension',
    'Prioridad teléfono',
    'Otro',
    'Dirección alternativa',
    'Telephony',
  ])('does not read %j as a phone', (header) => {
    expect(guessRole(header)).not.toMatch(/^(phone|alternate)$/);
  });

  it.each([
    ['prioridad', 'priority'],
    ['priority', 'priority'],
    ['interno', 'agentphone'],
    ['agentphone', 'agentphone'],
    ['Agent phone', 'agentphone'],
    ['extension', 'agentphone'],
    ['anexo', 'agentphone'],
    ['campaña', 'campaign'],
    ['campaign', 'campaign'],
  ])('still reads the exact name %j as %s', (header, role) => {
    expect(guessRole(header)).toBe(role);
  });
});

describe('headerWords', () => {
  it('splits at punctuation, between letters and digits and at case changes, without accents', () => {
    expect(headerWords('Nro. de Celular')).toEqual(['nro', 'de', 'celular']);
    expect(headerWords('ContactPhone2')).toEqual(['contact', 'phone', '2']);
    expect(headerWords('Teléfono_alternativo-2')).toEqual(['telefono', 'alternativo', '2']);
    expect(headerWords('  ')).toEqual([]);
  });
});

describe('variableName', () => {
  it('keeps letters, digits and _ and folds accents', () => {
    expect(variableName('Nombre Cliente')).toBe('Nombre_Cliente');
    expect(variableName('Dirección')).toBe('Direccion');
    expect(variableName(' Año: nº=1 ')).toBe('Ano_n_1');
  });
});

describe('planColumns', () => {
  it('makes the first phone column the main number and the others alternates in order', () => {
    const plan = planColumns([
      'Nombre',
      'Celular',
      'Teléfono 2',
      'Teléfono',
      'Prioridad',
      'Campaña',
    ]);
    expect(plan).toMatchObject({
      phone: 1,
      alternates: [2, 3],
      priority: 4,
      campaign: 5,
      agentphone: -1,
      variables: [{ column: 0, name: 'Nombre' }],
    });
  });

  it('says how each column was read: the first phone column wins, later ones are alternates', () => {
    const plan = planColumns([
      'Nombre',
      'Mobile number',
      'Contact Phone Number',
      'Other phone',
      'Prioridad',
      'Priority',
      '',
      'Phone type',
    ]);
    expect(plan.columns).toEqual([
      { header: 'Nombre', role: 'variable:Nombre' },
      { header: 'Mobile number', role: 'phone' },
      { header: 'Contact Phone Number', role: 'alternate' },
      { header: 'Other phone', role: 'alternate' },
      { header: 'Prioridad', role: 'priority' },
      { header: 'Priority', role: 'variable:Priority' },
      { header: '', role: 'ignore' },
      { header: 'Phone type', role: 'variable:Phone_type' },
    ]);
    expect(plan).toMatchObject({ phone: 1, alternates: [2, 3], priority: 4 });
  });

  it('reports the roles a mapping gave, renamed variables included', () => {
    const plan = planColumns(['Cliente', 'Movil principal', 'Teléfono', 'Zona', 'Basura'], {
      columns: { 'Movil principal': 'phone', zona: 'variable:region', basura: 'ignore' },
    });
    expect(plan.columns.map((column) => column.role)).toEqual([
      'variable:Cliente',
      'phone',
      'alternate',
      'variable:region',
      'ignore',
    ]);
  });

  it('ignores columns with an empty header unless the mapping names them', () => {
    expect(planColumns(['Nombre', 'Telefono', '', ' ']).variables).toEqual([
      { column: 0, name: 'Nombre' },
    ]);
    const mapped = planColumns(['Nombre', 'Telefono', ''], { columns: { '': 'variable:tipo' } });
    expect(mapped.variables.map((v) => v.name)).toEqual(['Nombre', 'tipo']);
  });

  it('gives repeated variable names a number', () => {
    expect(planColumns(['phone', 'Nota', 'nota', '#']).variables.map((v) => v.name)).toEqual([
      'Nota',
      'nota',
      'column_4',
    ]);
    expect(planColumns(['phone', 'Nota', 'Nota']).variables.map((v) => v.name)).toEqual([
      'Nota',
      'Nota_2',
    ]);
  });

  it('lets a mapping override the guesses, matching headers without regard to case or accents', () => {
    const plan = planColumns(['Cliente', 'Movil principal', 'Teléfono', 'Zona', 'Basura'], {
      columns: {
        'MÓVIL PRINCIPAL': 'phone',
        zona: 'variable:region',
        basura: 'ignore',
      },
    });
    expect(plan).toMatchObject({
      phone: 1,
      alternates: [2],
      variables: [
        { column: 0, name: 'Cliente' },
        { column: 3, name: 'region' },
      ],
    });
  });

  it('refuses a file without a phone column, listing the headers found', () => {
    const error = refusal(() => planColumns(['Nombre', 'Ciudad']));
    expect(error.code).toBe('NO_PHONE_COLUMN');
    expect(error.message).toContain('Nombre, Ciudad');
  });

  it('says when the first row is data rather than a header, without showing whole numbers', () => {
    const error = refusal(() => planColumns(['Ana', '099123456']));
    expect(error.message).toMatch(/looks like data/);
    expect(error.message).not.toContain('099123456');
  });

  it.each([
    [{ columns: { Nope: 'phone' } }, /no column "Nope"/],
    [{ columns: { Zona: 'telephone' } }, /not a role/],
    [{ columns: { Zona: 'priority', Otro: 'priority' } }, /both/],
    [{ columns: { Zona: 'variable:;;' } }, /does not name a variable/],
    [{ cols: {} }, /JSON object/],
  ])('refuses an unusable mapping as BAD_MAPPING (%j)', (mapping, message) => {
    const error = refusal(() =>
      planColumns(
        ['phone', 'Zona', 'Otro'],
        mapping as unknown as { columns: Record<string, string> },
      ),
    );
    expect(error.code).toBe('BAD_MAPPING');
    expect(error.message).toMatch(message);
  });
});
