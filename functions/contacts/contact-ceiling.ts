/**
 * How many contacts a file may hold, from the memory the function has. The set of numbers seen
 * (phone-set.ts) is the engine's one state that grows with the file; everything else streams,
 * except what the run is given whole: its suppression lists and its reload window's numbers,
 * which the set's budget leaves to them.
 *
 * budget  = 75 % of the memory - BASELINE_MB (what the process holds besides the set)
 *           - the bytes of the suppression lists and of the reload window's numbers
 * ceiling = budget / the set's bytes per number at its worst moment (PhoneSet.worstBytes)
 *
 * At 1024 MB without lists: 768 - 176 = 592 MiB, so about 14 million numbers of 10 to 15 digits
 * (44 bytes each) or 28 million of up to 9 digits (22 bytes each). A registry of 10 million
 * numbers takes 108 MiB (8 bytes a number, its buckets and its filter), leaving 484 MiB: about
 * 11.5 million or 23 million; a reload window knowing 5 million numbers takes 73 MiB (15 bytes
 * a number). Lists larger than the budget leave no room: every file is refused as
 * TOO_MANY_CONTACTS.
 */

/** What the command line assumes; the function reads AWS_LAMBDA_FUNCTION_MEMORY_SIZE. */
export const DEFAULT_MEMORY_MB = 1024;
/** Share of the memory the whole process may reach, leaving room for V8's own slack. */
export const MEMORY_SHARE = 0.75;
/**
 * Peak RSS of a run whose set stays small, measured with `validate` (through tsx) on 6 million
 * lines of one repeated number: 133 MiB without `--rejected`, 143 MiB with it. Rounded up for the
 * upload's request buffers and the SDK's sockets; raised by 16 MiB when the profiles, suppression
 * and report modules joined the process (the 256 MB ceiling test peaked at 210-218 MiB with 160).
 */
export const BASELINE_MB = 176;
/** Below this the budget would be nearly nothing. */
export const MIN_MEMORY_MB = 256;

const MIB = 1024 * 1024;

/** What a run holds whole besides the baseline (the engine options of these names). */
export interface HeldData {
  readonly suppression?: { readonly memoryBytes: number } | undefined;
  readonly recentlyLoaded?: { readonly numbers: { readonly memoryBytes: number } } | undefined;
}

/**
 * Bytes the duplicate set may reach for a function of `memoryMb` holding `held` (its suppression
 * lists and reload window); 0 when there is no room. Never throws.
 */
export function duplicateSetBudget(memoryMb: number, held: HeldData = {}): number {
  const heldBytes =
    (held.suppression?.memoryBytes ?? 0) + (held.recentlyLoaded?.numbers.memoryBytes ?? 0);
  return Math.max(0, Math.floor((memoryMb * MEMORY_SHARE - BASELINE_MB) * MIB - heldBytes));
}
