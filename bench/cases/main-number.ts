/**
 * Main numbers of the generated files: 9 digits, all distinct for up to 10^8 rows (an affine
 * permutation of the row). Here, beside the cases, so case 17 knows the file's numbers without
 * importing the generator.
 */
export function mainNumber(row: number): string {
  const value = (row * 7_919 + 12_345_679) % 100_000_000;
  return '0' + String(value).padStart(8, '0');
}
