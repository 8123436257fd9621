/**
 * A generated do-not-call registry and a partner file scrubbed against it, with the numbers on
 * both known: registry line `i` holds number(i) for i < its count; contact `j` holds a number on
 * the registry when `j % 10 === 0` (number((j / 10) * 37), a line plain or formatted alike) and
 * number(LIST_SIZE + j), on no registry line, otherwise. `number` is a bijection of 0 to 10 ** 8,
 * so no two differ only by chance.
 */
export const LIST_SIZE = 10_000_000;
/** Registry lines holding no number: one every this many lines, besides the numbers. */
export const BAD_LINE_EVERY = 1_000_000;
export const CAMPAIGN = 'Ventas';

/**
 * The `i`-th number: 9 digits, `0` and 8 scattered ones, as the bench's files write theirs; `i`
 * below 10 ** 8.
 */
export function registryNumber(i: number): string {
  // Odd and not a multiple of 5, so `i -> i * M mod 10 ** 8` is one to one; below 2 ** 53.
  const scattered = (i * 48_271_541 + 12_345_679) % 100_000_000;
  return `0${String(scattered).padStart(8, '0')}`;
}

/** Registry line `i` as registries write it: one in ten spaced (`091 234 567`). */
function registryLine(i: number): string {
  const digits = registryNumber(i);
  return i % 10 === 0 ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;
}

/**
 * The registry's text as a stream delivers it (about 64 KiB at a time), made as it is read:
 * `count` numbers, and a line of text every BAD_LINE_EVERY lines.
 */
export async function* registryText(count: number): AsyncGenerator<Uint8Array> {
  let text = '';
  for (let i = 0; i < count; i++) {
    if (i % BAD_LINE_EVERY === BAD_LINE_EVERY - 1) text += 'sin número\n';
    text += `${registryLine(i)}\n`;
    if (text.length >= 1 << 16) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text !== '') yield Buffer.from(text, 'utf8');
}

/** The main number of contact `j` (its line is j + 1). */
export function contactNumber(j: number): string {
  return j % 10 === 0 ? registryNumber((j / 10) * 37) : registryNumber(LIST_SIZE + j);
}

/** Whether the contact on `line` (from 1) holds a registry number. */
export function isListedLine(line: number): boolean {
  return (line - 1) % 10 === 0;
}

/** A native file of `count` contacts, each with its own number. */
export function contactsText(count: number): string {
  const lines: string[] = [];
  for (let j = 0; j < count; j++) lines.push(`${CAMPAIGN};${contactNumber(j)};Cliente=C${j};;5`);
  return `${lines.join('\n')}\n`;
}
