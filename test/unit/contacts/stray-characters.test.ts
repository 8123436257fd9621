import { describe, expect, it } from 'vitest';
import { UnusableFileError } from '../../../functions/contacts/errors.js';
import { hasReserved } from '../../../functions/contacts/normalize-variables.js';
import {
  codePointName,
  describeStray,
  findStray,
  STRAY_CHARACTER_CLASS,
  strayCharacterOf,
} from '../../../functions/contacts/stray-characters.js';
import { runEngine } from './run-engine.js';

const LINE = (i: number) =>
  `Camp<-;0991${String(i).padStart(5, '0')};nombre=Ana:ciudad=Salto;;9999;`;

/** A native file of `count` canonical lines with line `n` (1-based) replaced as given. */
function nativeFile(count: number, edits: Record<number, string>): string {
  const lines = Array.from({ length: count }, (_, i) => edits[i + 1] ?? LINE(i + 1));
  return `${lines.join('\n')}\n`;
}

describe('stray characters', () => {
  it.each([
    ['NUL', 0x00, 'control'],
    ['a form feed', 0x0c, 'control'],
    ['an escape', 0x1b, 'control'],
    ['DEL', 0x7f, 'control'],
    ['NEL', 0x85, 'lineSeparator'],
    ['a line separator', 0x2028, 'lineSeparator'],
    ['a paragraph separator', 0x2029, 'lineSeparator'],
    ['a right-to-left mark', 0x200f, 'bidiControl'],
    ['a right-to-left override', 0x202e, 'bidiControl'],
    ['a first-strong isolate', 0x2068, 'bidiControl'],
    ['an Arabic letter mark', 0x061c, 'bidiControl'],
  ])('counts %s as stray', (_what, c, family) => {
    expect(strayCharacterOf(c)).toBe(family);
    expect(findStray(`ab${String.fromCharCode(c)}`)).toBe(2);
  });

  it.each([
    ['a tab', 0x09],
    ['LF', 0x0a],
    ['CR', 0x0d],
    ['a space', 0x20],
    ['a tilde', 0x7e],
    ['a no-break space', 0xa0],
    ['a zero-width space', 0x200b],
    ['an en dash', 0x2013],
  ])('leaves %s alone', (_what, c) => {
    expect(strayCharacterOf(c)).toBeUndefined();
    expect(findStray(`ab${String.fromCharCode(c)}`)).toBe(-1);
  });

  it("agrees, for every UTF-16 code unit, with the pattern class and the variables' rule", () => {
    const pattern = new RegExp(`[${STRAY_CHARACTER_CLASS}]`);
    const disagreements: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const char = String.fromCharCode(c);
      const stray = pattern.test(char);
      const reserved = stray || ';:=\r\n'.includes(char);
      if (
        (findStray(char) === 0) !== stray ||
        (strayCharacterOf(c) !== undefined) !== stray ||
        hasReserved(char) !== reserved
      ) {
        disagreements.push(codePointName(c));
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('names a character by its code point', () => {
    expect(describeStray(0)).toBe('a control character (U+0000)');
    expect(describeStray(0x2029)).toBe('a line separator (U+2029)');
    expect(describeStray(0x202e)).toBe('a text-direction control (U+202E)');
    expect(codePointName(0x1d7ce)).toBe('U+1D7CE');
  });
});

describe('processContacts with stray bytes in a native file', () => {
  it('loads the file, refusing only the rows with a stray byte in a field the dialer reads', async () => {
    const run = await runEngine(
      nativeFile(20, {
        3: 'Camp<-;099100003;nombre=An\0a:ciudad=Sal\x01to;;9999;',
        5: 'Camp<-;0991\x0000005;nombre=Ana;;9999;',
        7: 'Ca\0mp<-;099100007;nombre=Ana;;9999;',
        9: 'Camp<-;099100009;nombre=Ana;098\x7f111222;9999;',
        11: 'Camp<-;099100011;nombre=Ana;;99\x1b99;',
        13: 'Camp<-;099100013;nombre=Ana;;9999;10\f01',
      }),
    );
    expect(run.summary.input.format).toBe('native');
    expect(run.rejections.map((r) => [r.line, r.code, r.message])).toEqual([
      [
        5,
        'CONTROL_CHARACTER',
        expect.stringContaining('a control character (U+0000) in column 2 (phone)'),
      ],
      [
        7,
        'CONTROL_CHARACTER',
        expect.stringContaining('a control character (U+0000) in column 1 (campaign)'),
      ],
      [
        9,
        'CONTROL_CHARACTER',
        expect.stringContaining('a control character (U+007F) in column 4 (alternates)'),
      ],
      [
        11,
        'CONTROL_CHARACTER',
        expect.stringContaining('a control character (U+001B) in column 5 (priority)'),
      ],
      [
        13,
        'CONTROL_CHARACTER',
        expect.stringContaining('a control character (U+000C) in column 6 (agentphone)'),
      ],
    ]);
    for (const r of run.rejections) expect(r.message).not.toMatch(/\d{5}/);
    expect(run.lines).toHaveLength(15);
    expect(run.lines[2]).toBe('Camp<-;099100003;nombre=An a:ciudad=Sal to;;9999;');
    expect(run.summary.changes).toEqual({ CONTROL_CHARACTER_REPLACED: 1 });
    expect(run.summary.rejectionCodes).toEqual({ CONTROL_CHARACTER: 5 });
  });

  it('replaces line separators and text-direction controls in variables, each kind counted', async () => {
    const run = await runEngine(
      nativeFile(4, {
        1: 'Camp<-;099100001;nota=uno\u2028dos:otra=tres\u0085cuatro\u2029;;9999;',
        2: 'Camp<-;099100002;nombre=\u202eanA\u202c:\u200fx=1;;9999;',
        3: 'Camp<-;099100003;nombre=Ana\u2066\u2069\u061c\u200e;;9999;',
      }),
      { replacement: '_' },
    );
    expect(run.rejections).toEqual([]);
    expect(run.lines.slice(0, 3)).toEqual([
      'Camp<-;099100001;nota=uno_dos:otra=tres_cuatro_;;9999;',
      'Camp<-;099100002;nombre=_anA_:_x=1;;9999;',
      'Camp<-;099100003;nombre=Ana____;;9999;',
    ]);
    expect(run.summary.changes).toEqual({ LINE_SEPARATOR_REPLACED: 1, BIDI_CONTROL_REPLACED: 2 });
  });

  it('refuses a line separator or a text-direction control in a number', async () => {
    const run = await runEngine(
      nativeFile(3, {
        1: 'Camp<-;\u200e099100001;;;9999;',
        2: 'Camp<-;099100002;;098111\u2028222;9999;',
      }),
    );
    expect(run.rejections.map((r) => [r.line, r.code, r.message])).toEqual([
      [
        1,
        'CONTROL_CHARACTER',
        expect.stringContaining('a text-direction control (U+200E) in column 2 (phone)'),
      ],
      [
        2,
        'CONTROL_CHARACTER',
        expect.stringContaining('a line separator (U+2028) in column 4 (alternates)'),
      ],
    ]);
  });
});

describe('processContacts naming a character outside the BMP', () => {
  it('names a mathematical digit or an emoji in a number by its whole code point', async () => {
    const run = await runEngine(
      nativeFile(8, { 5: 'Camp<-;0991\u{1d7ce}0001;;;9999;', 6: 'Camp<-;0991😀0002;;;9999;' }),
    );
    expect(run.rejections.map((r) => [r.line, r.message])).toEqual([
      [5, "Main number: The number contains the character '\u{1d7ce}' (U+1D7CE)"],
      [6, "Main number: The number contains the character '😀' (U+1F600)"],
    ]);
  });

  it('never cuts an emoji in half when it quotes a field', async () => {
    const run = await runEngine(nativeFile(1, { 1: `Camp<-;099100001;;;${'x'.repeat(39)}😀x;` }));
    expect(run.rejections[0]?.code).toBe('BAD_PRIORITY');
    expect(run.rejections[0]?.message).toContain(`"${'x'.repeat(39)}..."`);
  });
});

describe('processContacts with stray bytes in a spreadsheet export', () => {
  it('names the column and its header, and loads the other rows', async () => {
    const run = await runEngine(
      [
        'Nombre;Celular;Teléfono 2;prioridad;interno',
        'Ana;099100001;098100001;5;',
        'Luis;0991\x0000002;;5;',
        'Eva;099100003;098100003,0981\x010003;5;',
        'Paz;099100004;;5;10\x7f1',
        'Sol\x00;099100005;;5;',
        '"Ro\x02sa";099100006;;;',
      ].join('\r\n'),
    );
    expect(run.summary.input.format).toBe('headered');
    expect(run.rejections.map((r) => [r.line, r.code, r.message])).toEqual([
      [3, 'CONTROL_CHARACTER', expect.stringContaining('(U+0000) in column 2 (Celular)')],
      [4, 'CONTROL_CHARACTER', expect.stringContaining('(U+0001) in column 3 (Teléfono 2)')],
      [5, 'CONTROL_CHARACTER', expect.stringContaining('(U+007F) in column 5 (interno)')],
    ]);
    expect(run.lines).toEqual([
      'Camp<-;099100001;Nombre=Ana;098100001;5;',
      'Camp<-;099100005;Nombre=Sol ;;5;',
      'Camp<-;099100006;Nombre=Ro sa;;9999;',
    ]);
    expect(run.summary.changes).toMatchObject({ CONTROL_CHARACTER_REPLACED: 2 });
  });

  it('masks a header that looks like a number when it names the column', async () => {
    const run = await runEngine('telefono,099111222\n099 111 333,099\x00111444\n', {
      mapping: { columns: { '099111222': 'agentphone' } },
    });
    expect(run.rejections).toEqual([
      expect.objectContaining({
        code: 'CONTROL_CHARACTER',
        message: expect.stringContaining('in column 2 (09*****22)'),
      }),
    ]);
  });
});

describe('processContacts telling binary files from text with stray bytes', () => {
  it('loads a text file with a few NULs, refusing those rows', async () => {
    const run = await runEngine(
      nativeFile(500, { 100: 'Camp<-;09910\x000100;;;9999;', 300: 'Camp<-;\x00;;;9999;' }),
    );
    expect(run.summary.counts).toMatchObject({ rows: 500, accepted: 498, rejected: 2 });
    expect(run.rejections.map((r) => r.line)).toEqual([100, 300]);
  });

  it('refuses a binary file as a whole', async () => {
    // A database or executable without a known signature: mostly NUL bytes, some text.
    const bytes = Buffer.alloc(20_000);
    for (let i = 0; i < bytes.length; i += 64) bytes.write('telefono;099123456\n', i);
    const error = await runEngine(bytes).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnusableFileError);
    expect((error as UnusableFileError).code).toBe('BINARY_FILE');
  });

  it('still reads UTF-16 without BOM, which has a NUL in every other byte', async () => {
    const run = await runEngine(Buffer.from('telefono\tnombre\r\n099111222\tAna\r\n', 'utf16le'));
    expect(run.summary.input.encoding).toBe('utf-16le');
    expect(run.lines).toEqual(['Camp<-;099111222;nombre=Ana;;9999;']);
  });
});
