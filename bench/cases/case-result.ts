/** The campaign of the generated files, which the engine cases load them into. */
export const BENCH_CAMPAIGN = 'Ventas Norte';

/** What a case's child process prints, as one JSON line on stdout. */
export interface CaseResult {
  /** Time of the measured work only, without process start-up. */
  readonly ms: number;
  /** Rows the case read (contacts, not counting a header). */
  readonly rows: number;
  /** Peak resident set size of the whole process, KiB. */
  readonly maxRssKiB: number;
  /** Case-specific figures (bundle size, handler-only memory...). */
  readonly extra?: Readonly<Record<string, number | string>>;
}

/**
 * Prints the result with the process's peak RSS, read last so that it covers everything (a case
 * that reset the kernel's peak gives the earlier peak as `maxRssKiB`; the larger one is kept).
 */
export function report(result: Omit<CaseResult, 'maxRssKiB'> & { maxRssKiB?: number }): void {
  const maxRssKiB = Math.max(result.maxRssKiB ?? 0, process.resourceUsage().maxRSS);
  const full: CaseResult = { ...result, maxRssKiB };
  process.stdout.write(`${JSON.stringify(full)}\n`);
}

/** The child's arguments after the script, or a clear error when one is missing. */
export function argument(index: number, name: string): string {
  const value = process.argv[2 + index];
  if (value === undefined) throw new Error(`missing argument ${index + 1}: ${name}`);
  return value;
}
