/**
 * How many contacts a file may hold, from the memory the function has. The set of numbers seen
 * (phone-set.ts) is the engine's one state that grows with the file; everything else streams.
 *
 * budget  = 75 % of the memory - BASELINE_MB (what the process holds besides the set)
 * ceiling = budget / the set's bytes per number at its worst moment (PhoneSet.worstBytes)
 *
 * At 1024 MB: 768 - 176 = 592 MiB, so about 14 million numbers of 10 to 15 digits
 * (44 bytes each) or 28 million of up to 9 digits (22 bytes each).
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

/** Bytes the duplicate set may reach for a function of `memoryMb`; 0 when there is no room. */
export function duplicateSetBudget(memoryMb: number): number {
  return Math.max(0, Math.floor((memoryMb * MEMORY_SHARE - BASELINE_MB) * MIB));
}
