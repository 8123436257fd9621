import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CompiledListError, InvalidOptionsError } from '../../../functions/contacts/errors.js';
import { DEFAULT_ENGINE_OPTIONS } from '../../../functions/contacts/options.js';
import {
  type ListSourceSummary,
  readListSource,
} from '../../../functions/contacts/read-suppression-list.js';
import {
  type PhoneRules,
  SuppressionList,
  SuppressionListBuilder,
} from '../../../functions/contacts/suppression-list.js';
import { SuppressionSet } from '../../../functions/contacts/suppression-set.js';
import { inPieces, runEngine } from './run-engine.js';

const RULES: PhoneRules = {
  phonePrefix: DEFAULT_ENGINE_OPTIONS.phonePrefix,
  minPhoneDigits: DEFAULT_ENGINE_OPTIONS.minPhoneDigits,
  maxPhoneDigits: DEFAULT_ENGINE_OPTIONS.maxPhoneDigits,
};

interface Source {
  readonly name: string;
  readonly bytes: Uint8Array | string;
}

/** Compiles the sources into one list, read in small pieces as a stream delivers them. */
async function compile(
  sources: readonly Source[],
  rules = RULES,
): Promise<{ list: SuppressionList; read: ListSourceSummary[] }> {
  const builder = new SuppressionListBuilder(rules);
  const read: ListSourceSummary[] = [];
  for (const source of sources) {
    const bytes = typeof source.bytes === 'string' ? Buffer.from(source.bytes) : source.bytes;
    read.push(await readListSource(inPieces(bytes, 7), { sourceName: source.name }, builder));
  }
  return { list: builder.build(), read };
}

async function setOf(...lists: Array<[name: string, text: string]>): Promise<SuppressionSet> {
  const named = [];
  for (const [name, text] of lists) {
    const { list } = await compile([{ name: `${name}.txt`, bytes: text }]);
    named.push({ name, version: `v-${name}`, list });
  }
  return new SuppressionSet(named);
}

describe('suppression lists read as the engine reads numbers', () => {
  it('matches a registry number written +54 9 11 5555-1234 with the partner file 5491155551234', async () => {
    const suppression = await setOf(['no-llame', '+54 9 11 5555-1234\n']);
    const run = await runEngine('Camp<-;5491155551234;;;9999\nCamp<-;5491155550000;;;9999\n', {
      suppression,
    });
    expect(run.lines).toEqual(['Camp<-;5491155550000;;;9999']);
    expect(run.rejections).toEqual([expect.objectContaining({ line: 1, code: 'SUPPRESSED' })]);
    const message = run.rejections[0]!.message;
    expect(message).toContain('"no-llame"');
    expect(message).toContain('54*********34');
    expect(message).not.toContain('5491155551234');
    expect(run.summary.counts).toMatchObject({ rejected: 1, suppressed: 1, accepted: 1 });
    expect(run.summary.suppression).toEqual([
      { list: 'no-llame', version: 'v-no-llame', numbers: 1, badLines: 0, hits: 1 },
    ]);
  });

  it('matches numbers with spaces and dashes on either side, in native and headered files', async () => {
    const suppression = await setOf(['bajas', '  099 124 484  \n098-344-484\n']);
    const native = await runEngine('Camp<-;099-124-484;;;9999\nCamp<-;098344484;;;9999\n', {
      suppression,
    });
    expect(native.rejections.map((r) => r.code)).toEqual(['SUPPRESSED', 'SUPPRESSED']);
    const headered = await runEngine('Nombre,Celular\nAna,099 124 484\nLuis,091 000 000\n', {
      suppression,
    });
    expect(headered.rejections.map((r) => [r.line, r.code])).toEqual([[2, 'SUPPRESSED']]);
    expect(headered.lines).toEqual(['Camp<-;091000000;Nombre=Luis;;9999;']);
  });

  it('keeps leading zeros: 098344484 on the list does not refuse 98344484', async () => {
    const suppression = await setOf(['bajas', '098344484\n']);
    const run = await runEngine('Camp<-;98344484;;;9999\n', { suppression });
    expect(run.summary.counts).toMatchObject({ accepted: 1, suppressed: 0 });
  });

  it('reads a gzipped headered registry by its telefono column, quoted cells and all', async () => {
    const csv = 'nombre;telefono;alta\n"Pérez; Juan";+54 9 11 5555-1234;2024-01-01\nAna;;x\n';
    const { list, read } = await compile([{ name: 'registro.csv.gz', bytes: gzipSync(csv) }]);
    expect(read).toEqual([{ layout: 'headered', numbers: 1, badLines: 1, firstBadLines: [3] }]);
    expect(list.hasDigits('5491155551234')).toBe(true);
  });

  it('reads a list in Windows-1252 and one in UTF-16 with a BOM', async () => {
    const latin = iconv.encode('Teléfono\n099124484\n', 'windows-1252');
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode('098344484\n', 'utf-16le'),
    ]);
    const { list } = await compile([
      { name: 'a.csv', bytes: latin },
      { name: 'b.txt', bytes: utf16 },
    ]);
    expect(list.numbers).toBe(2);
    expect(list.hasDigits('099124484') && list.hasDigits('098344484')).toBe(true);
  });

  it('counts lines without a usable number and goes on: text, too short, a decimal, too long', async () => {
    const text = `099124484\nfoo\n123\n\n99123456.0\n${'9'.repeat(20_000)}\n"098344484",\n`;
    const { list, read } = await compile([{ name: 'bajas.txt', bytes: text }]);
    expect(read[0]).toEqual({
      layout: 'lines',
      numbers: 2,
      badLines: 4,
      firstBadLines: [2, 3, 5, 6],
    });
    expect(list.numbers).toBe(2);
    expect(list.badLines).toBe(4);
  });

  it('reads CRLF, CR and LF line ends, wherever the stream cuts them', async () => {
    const { list, read } = await compile([
      { name: 'a.txt', bytes: '099124484\r\n098344484\r091000001\n\r\n091000002' },
    ]);
    expect(read[0]).toMatchObject({ numbers: 4, badLines: 0 });
    expect(
      ['099124484', '098344484', '091000001', '091000002'].every((n) => list.hasDigits(n)),
    ).toBe(true);
  });

  it('keeps each number once however often the sources repeat it', async () => {
    const { list } = await compile([
      { name: 'a.txt', bytes: '099124484\n+598 99 124 484\n099124484\n' },
      { name: 'b.txt', bytes: '099124484\n' },
    ]);
    expect(list.numbers).toBe(2);
  });

  it('reads numbers under the file’s prefix policy: +598 and 00598 are one number when stripped', async () => {
    const rules = { ...RULES, phonePrefix: 'strip' } as const;
    const { list } = await compile([{ name: 'a.txt', bytes: '+598 99 124 484\n' }], rules);
    const suppression = new SuppressionSet([{ name: 'a', version: '1', list }]);
    const run = await runEngine('Camp<-;0059899124484;;;9999\n', { ...rules, suppression });
    expect(run.rejections.map((r) => r.code)).toEqual(['SUPPRESSED']);
  });

  it('holds numbers longer than 15 digits when the rules allow them', async () => {
    const rules = { ...RULES, maxPhoneDigits: 20 };
    const { list } = await compile([{ name: 'a.txt', bytes: '12345678901234567\n' }], rules);
    expect(list.hasDigits('12345678901234567')).toBe(true);
    expect(list.hasDigits('1234567890123456')).toBe(false);
    const again = SuppressionList.decode(list.bytes, rules);
    expect(again.hasDigits('12345678901234567')).toBe(true);
  });
});

describe('suppressed alternates', () => {
  it('drops a listed alternate, plain or typed, and keeps the contact', async () => {
    const suppression = await setOf(['bajas', '099111111\n099222222\n']);
    const run = await runEngine(
      'Camp<-;098344484;a=1;099124484:099111111;9999\nCamp<-;098000000;;H=0=099222222;9999\n',
      { suppression },
    );
    expect(run.lines).toEqual(['Camp<-;098344484;a=1;099124484;9999', 'Camp<-;098000000;;;9999']);
    expect(run.summary.changes).toMatchObject({ ALTERNATE_SUPPRESSED: 2 });
    expect(run.summary.counts).toMatchObject({ accepted: 2, modified: 2, suppressed: 0 });
    expect(run.summary.suppression![0]!.hits).toBe(2);
  });

  it('drops a listed alternate column of a headered row', async () => {
    const suppression = await setOf(['bajas', '099111111\n']);
    const run = await runEngine('Telefono,Telefono 2\n098344484,099111111\n', { suppression });
    expect(run.lines).toEqual(['Camp<-;098344484;;;9999;']);
    expect(run.summary.changes).toMatchObject({ ALTERNATE_SUPPRESSED: 1 });
  });

  it('refuses the contact when its main number is listed even if an alternate is not', async () => {
    const suppression = await setOf(['bajas', '098344484\n']);
    const run = await runEngine('Camp<-;098344484;;099124484;9999\n', { suppression });
    expect(run.rejections.map((r) => r.code)).toEqual(['SUPPRESSED']);
  });

  it('counts a number on two lists for the first one only', async () => {
    const suppression = await setOf(['a', '098344484\n'], ['b', '098344484\n']);
    const run = await runEngine('Camp<-;098344484;;;9999\n', { suppression });
    expect(run.summary.suppression!.map((s) => s.hits)).toEqual([1, 0]);
  });

  it('refuses lists compiled under other phone rules than the file is read with', async () => {
    const suppression = await setOf(['bajas', '098344484\n']);
    await expect(
      runEngine('Camp<-;098344484;;;9999\n', { suppression, maxPhoneDigits: 12 }),
    ).rejects.toBeInstanceOf(InvalidOptionsError);
  });
});

describe('the compiled form', () => {
  it('reads back what was compiled, from a copy of its bytes', async () => {
    const numbers = Array.from(
      { length: 5000 },
      (_, i) => `09${String(i * 7919).padStart(7, '0')}`,
    );
    const { list } = await compile([{ name: 'a.txt', bytes: `${numbers.join('\n')}\nbad\n` }]);
    const copy = new Uint8Array(list.bytes.length + 1).subarray(1);
    copy.set(list.bytes);
    const again = SuppressionList.decode(copy, RULES);
    expect(again.numbers).toBe(5000);
    expect(again.badLines).toBe(1);
    expect(numbers.every((n) => again.hasDigits(n))).toBe(true);
    expect(again.hasDigits('090000001')).toBe(false);
  });

  it('is never used under other rules, in another format version, or cut short', async () => {
    const { list } = await compile([{ name: 'a.txt', bytes: '099124484\n' }]);
    const expectUnusable = (bytes: Uint8Array, rules = RULES) =>
      expect(() => SuppressionList.decode(bytes, rules)).toThrow(CompiledListError);
    expectUnusable(list.bytes, { ...RULES, phonePrefix: 'to-00' });
    expectUnusable(list.bytes, { ...RULES, minPhoneDigits: 7 });
    const otherVersion = new Uint8Array(list.bytes);
    otherVersion[8] = 99;
    expectUnusable(otherVersion);
    expectUnusable(list.bytes.subarray(0, list.bytes.length - 8));
    expectUnusable(Buffer.from('099124484\n'.repeat(10)));
  });

  it('compiles an empty list that holds nothing', async () => {
    const { list } = await compile([{ name: 'a.txt', bytes: 'telefono\n' }]);
    expect(list.numbers).toBe(0);
    expect(list.hasDigits('099124484')).toBe(false);
  });
});
