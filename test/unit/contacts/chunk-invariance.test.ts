import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rejection } from '../../../functions/contacts/contact.js';
import { UnusableFileError } from '../../../functions/contacts/errors.js';
import {
  type EngineSummary,
  processContacts,
} from '../../../functions/contacts/process-contacts.js';
import { engineOptions, inPieces } from './run-engine.js';

/** Everything a user sees of one run: every line sent, every refusal, the summary; or the error. */
type Outcome =
  | { lines: string[]; rejections: Rejection[]; summary: EngineSummary }
  | { error: { code: string; message: string } };

async function outcome(
  bytes: Uint8Array,
  sourceName: string,
  pieces: number | readonly number[],
  maxLineLength = 8000,
): Promise<Outcome> {
  const lines: string[] = [];
  const rejections: Rejection[] = [];
  try {
    const summary = await processContacts(
      inPieces(bytes, pieces),
      engineOptions({ sourceName, maxLineLength }),
      { accept: (line) => void lines.push(line), reject: (r) => void rejections.push(r) },
    );
    return { lines, rejections, summary };
  } catch (error) {
    if (!(error instanceof UnusableFileError)) throw error;
    return { error: { code: error.code, message: error.message } };
  }
}

const KIB = 1024;
const MIB = 1024 * KIB;
/** Stream chunk sizes: a byte, an odd few, around the 64 KiB a local read and S3 use, and more. */
const CHUNK_SIZES = [1, 7, 4096, 64 * KIB - 1, 64 * KIB, 64 * KIB + 1, MIB, 4 * MIB];

const pad = (n: number) => String(n).padStart(6, '0');

/** A native line, varied: formatted numbers, accents, emoji, duplicates, bad numbers, no campaign. */
function nativeLine(i: number): string {
  const phone =
    i % 9 === 0 ? `099-${pad(i)}` : i % 23 === 0 ? '12' : `099${pad(i % 13 === 0 ? i - 1 : i)}`;
  const campaign = i % 19 === 0 ? '' : 'Camp<-';
  const name = i % 11 === 0 ? `José Peña ${i}` : i % 17 === 0 ? `Ana 😀 ${i}` : `Ana ${i}`;
  return `${campaign};${phone};nombre=${name}:ciudad=Salto;098${pad(i)};9999;`;
}

function nativeFile(
  rows: number,
  edit: (line: string, i: number, offset: number) => string,
): Buffer {
  const lines: string[] = [];
  let offset = 0;
  for (let i = 1; i <= rows; i++) {
    const line = `${edit(nativeLine(i), i, offset)}\r\n`;
    lines.push(line);
    offset += Buffer.byteLength(line);
  }
  return Buffer.from(lines.join(''));
}

/** 12,000 native lines; a NUL in a variable near byte 100,000, one in a number near 150,000. */
function nativeWithNuls(): Buffer {
  let variable = false;
  let phone = false;
  return nativeFile(12_000, (line, _i, offset) => {
    if (!variable && offset > 100_000) {
      variable = true;
      return line.replace('ciudad=Salto', 'ciudad=Sal\0to');
    }
    if (!phone && offset > 150_000) {
      phone = true;
      return line.replace(';099', ';09\x009');
    }
    return line;
  });
}

/** A spreadsheet export with quotes holding `;`, `""` and line breaks, accents and emoji. */
function headeredText(rows: number, delimiter = ';'): string {
  const out = [
    ['Nombre Cliente', 'Teléfono', 'Teléfono 2', 'Dirección', 'prioridad'].join(delimiter),
  ];
  for (let i = 1; i <= rows; i++) {
    const name =
      i % 5 === 0
        ? `"Pérez${delimiter} Ana ""la jefa"" ${i}"`
        : i % 7 === 0
          ? `Zoë 😀 ${i}`
          : `Ana ${i}`;
    const phone = i % 6 === 0 ? `"(099) ${pad(i)}"` : `099${pad(i)}`;
    const address = i % 4 === 0 ? `"Calle ${i}\r\nApto 2"` : `Calle ${i}`;
    out.push([name, phone, `098${pad(i)}`, address, i % 10 === 0 ? '' : '5'].join(delimiter));
  }
  return `${out.join('\r\n')}\r\n`;
}

/** Windows-1252 rows past 64 KiB, then one written in UTF-8 (`José`). */
function windows1252WithLateUtf8(): Buffer {
  const rows: Buffer[] = [Buffer.from('nombre;telefono;ciudad\r\n', 'latin1')];
  let size = 0;
  for (let i = 1; size < 70_000; i++) {
    const row = Buffer.from(`Peña ${i};099${pad(i)};Montevideo\r\n`, 'latin1');
    rows.push(row);
    size += row.length;
  }
  rows.push(Buffer.from('José;099999001;Salto\r\n', 'utf8'));
  for (let i = 1; i < 500; i++) rows.push(Buffer.from(`Muñoz;097${pad(i)};Rocha\r\n`, 'latin1'));
  return Buffer.concat(rows);
}

/** A Windows-1252 file whose first UTF-8 sequence (`é`) straddles byte 65,536. */
function windows1252WithUtf8AtTheEdge(): Buffer {
  const head = Buffer.from('nombre;telefono\r\nPeña;099000001\r\n', 'latin1');
  const filler: Buffer[] = [];
  let size = head.length;
  for (let i = 2; size < 64 * KIB - 40; i++) {
    const row = Buffer.from(`Ana ${i};099${pad(i)}\r\n`, 'latin1');
    filler.push(row);
    size += row.length;
  }
  const row = Buffer.from(`Jos${'x'.repeat(64 * KIB - size - 4)}é;099999999\r\n`, 'utf8');
  const tail = Buffer.from('Muñoz;097000001\r\n', 'latin1');
  const bytes = Buffer.concat([head, ...filler, row, tail]);
  expect(bytes.indexOf(Buffer.from('é'))).toBe(64 * KIB - 1);
  return bytes;
}

function utf16(text: string, order: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const bytes = order === 'le' ? le : Buffer.from(le).swap16();
  const mark = order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return bom ? Buffer.concat([Buffer.from(mark), bytes]) : bytes;
}

/** Rows of 5,000 characters: the first 20 records the format is told from reach past 64 KiB. */
function longRecords(): Buffer {
  const rows = ['nombre,telefono,notas'];
  for (let i = 1; i <= 40; i++) rows.push(`Ana ${i},099${pad(i)},${'nota '.repeat(1000)}`);
  return Buffer.from(`${rows.join('\n')}\n`);
}

function seededBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    bytes[i] = x >> 16;
  }
  return bytes;
}

const bomHeadered = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from(headeredText(3000)),
]);
const tabbed = headeredText(1500, '\t');
const asciiTabbed = tabbed.replaceAll('😀', ':)');

const input = (description: object) => ({ summary: { input: description } });

/** Each file, and what a user is told of it whatever the chunks: the same, and this. */
const FILES: ReadonlyArray<readonly [string, string, Buffer, object]> = [
  [
    'native lines with NULs past 64 KiB',
    'nul.txt',
    nativeWithNuls(),
    {
      summary: {
        input: { format: 'native', encoding: 'utf-8' },
        rejectionCodes: { CONTROL_CHARACTER: 1 },
        changes: { CONTROL_CHARACTER_REPLACED: 1 },
      },
    },
  ],
  [
    'Windows-1252 with a UTF-8 row past 64 KiB',
    'w.csv',
    windows1252WithLateUtf8(),
    { summary: { input: { encoding: 'windows-1252' }, rejectionCodes: { BAD_ENCODING: 1 } } },
  ],
  [
    'Windows-1252 with UTF-8 across byte 65,536',
    'edge.csv',
    windows1252WithUtf8AtTheEdge(),
    { summary: { input: { encoding: 'windows-1252' }, rejectionCodes: { BAD_ENCODING: 1 } } },
  ],
  [
    'UTF-8 with BOM, quotes and line breaks in cells',
    'bom.csv',
    bomHeadered,
    input({ format: 'headered', encoding: 'utf-8-bom', delimiter: ';', compression: 'none' }),
  ],
  [
    'the same, gzipped',
    'bom.csv.gz',
    gzipSync(bomHeadered),
    input({ format: 'headered', encoding: 'utf-8-bom', delimiter: ';', compression: 'gzip' }),
  ],
  ['UTF-16LE with BOM', 'le.txt', utf16(tabbed, 'le', true), input({ encoding: 'utf-16le' })],
  ['UTF-16BE with BOM', 'be.txt', utf16(tabbed, 'be', true), input({ encoding: 'utf-16be' })],
  [
    'UTF-16LE without BOM',
    'nobom.txt',
    utf16(asciiTabbed, 'le', false),
    input({ encoding: 'utf-16le', delimiter: '\t' }),
  ],
  ['rows of 5,000 characters', 'long.csv', longRecords(), input({ delimiter: ',' })],
  [
    '70,000 blank lines before the first',
    'blank.txt',
    Buffer.concat([Buffer.alloc(70_000, '\n'), nativeFile(200, (l) => l)]),
    { summary: { input: { format: 'native' }, counts: { rows: 200 } } },
  ],
  ['random bytes', 'random.csv', seededBytes(100_000, 7), { error: { code: 'BINARY_FILE' } }],
];

describe('processContacts in any chunk sizes', () => {
  it.each(FILES)(
    'gives the same result for %s',
    async (_what, sourceName, bytes, expected) => {
      const whole = await outcome(bytes, sourceName, bytes.length);
      expect(whole).toMatchObject(expected);
      for (const size of CHUNK_SIZES) {
        expect({ size, ...(await outcome(bytes, sourceName, size)) }).toEqual({ size, ...whole });
      }
    },
    120_000,
  );
});

/** Pieces that make up text: line ends (CRLF among them), quotes, delimiters, multi-byte characters. */
const TOKENS = [
  'Camp<-;',
  ';099123456;',
  '099123457',
  'nombre=Peña',
  'telefono,nombre\r\n',
  'Teléfono;Nombre\n',
  '"',
  '""',
  '"a;b\r\nc"',
  ';',
  ',',
  '\t',
  ':',
  '=',
  '\r\n',
  '\n',
  '\r',
  'é',
  '😀',
  '\u{1d7ce}',
  '\u2028',
  '\u200f',
  '\0',
  '\x01',
  '9999',
  ' ',
];
const text = fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((t) => t.join(''));
const ENCODINGS = ['utf8', 'utf8-bom', 'utf16le', 'utf16be', 'latin1', 'gzip'] as const;

function encode(value: string, encoding: (typeof ENCODINGS)[number]): Buffer {
  switch (encoding) {
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(value)]);
    case 'utf16le':
      return utf16(value, 'le', true);
    case 'utf16be':
      return utf16(value, 'be', true);
    case 'gzip':
      return gzipSync(Buffer.from(value));
    default:
      return Buffer.from(value, encoding);
  }
}

describe('processContacts on any text cut anywhere', () => {
  it('gives the result it gives for the whole file, however the bytes are cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.constantFrom(...ENCODINGS),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        // A short limit makes rows too long, and quotes left open reach it, at any cut.
        fc.constantFrom(8000, 40),
        async (value, encoding, sizes, maxLineLength) => {
          const bytes = encode(value, encoding);
          const name = encoding === 'gzip' ? 'f.csv.gz' : 'f.csv';
          expect(await outcome(bytes, name, sizes, maxLineLength)).toEqual(
            await outcome(bytes, name, bytes.length || 1, maxLineLength),
          );
        },
      ),
      { numRuns: 600 },
    );
  }, 120_000);
});
