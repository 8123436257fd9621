import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workbook } from '../unit/contacts/workbooks.js';
import { type PipelineStack, startPipelineStack } from './pipeline-stack.js';

let stack: PipelineStack;
beforeEach(async () => {
  stack = await startPipelineStack();
});
afterEach(async () => {
  await stack.close();
});

describe('an Excel workbook dropped into the bucket', () => {
  it('is loaded from its sheet with data, as a CSV base named after it', async () => {
    const book = await workbook(
      { name: 'Instrucciones', rows: [] },
      {
        name: 'Contactos',
        rows: [
          null,
          ['Nombre', 'Teléfono', 'Alta'],
          ['Ana', 98344484, { value: new Date(Date.UTC(2024, 2, 5)), numFmt: 'dd/mm/yyyy' }],
          ['Bea', '099123456', { value: 45292, numFmt: 'mm-dd-yy' }],
          ['Ana otra vez', 98344484, null],
          ['Sin número', 'no tiene', null],
        ],
      },
    );
    const object = await stack.put('incoming/Ventas/lista.xlsx', book);

    const response = await stack.handler()(stack.eventFor(object));

    expect(response.batchItemFailures).toEqual([]);
    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({
      status: 'succeeded',
      input: { format: 'headered', container: 'xlsx', sheet: 'Contactos' },
      counts: { rows: 4, accepted: 2, rejected: 2, duplicates: 1, uploaded: 2 },
    });
    expect(manifest?.rejections.map((r) => [r.line, r.code])).toEqual([
      [5, 'DUPLICATE'],
      [6, 'INVALID_PHONE'],
    ]);
    const expected =
      'Ventas;98344484;Nombre=Ana:Alta=2024-03-05;;9999;\n' +
      'Ventas;099123456;Nombre=Bea:Alta=2024-01-01;;9999;\n';
    expect(stack.simulator.state().bases).toEqual([
      expect.objectContaining({
        campaign: 'Ventas',
        filename: 'lista.csv',
        records: 2,
        sha256: createHash('sha256').update(expected).digest('hex'),
      }),
    ]);
  });

  it('is rejected without any uContact call when several sheets hold data', async () => {
    const book = await workbook(
      { name: 'Altas', rows: [['telefono'], ['099123456']] },
      { name: 'Bajas', rows: [['telefono'], ['099654321']] },
    );
    const object = await stack.put('incoming/Ventas/dos hojas.xlsx', book);

    const response = await stack.handler()(stack.eventFor(object));

    expect(response.batchItemFailures).toEqual([]);
    const manifest = await stack.manifestOf(object);
    expect(manifest).toMatchObject({
      status: 'rejected',
      error: { code: 'SEVERAL_SHEETS', message: expect.stringContaining('"Altas", "Bajas"') },
    });
    expect(stack.simulator.state().calls).toEqual({ login: 0, uploadbase: 0, endsession: 0 });
  });
});
