import { InvalidArgumentError } from 'commander';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * `90s`, `15m`, `36h`, `7d`, `2w` (or a bare number of seconds) in milliseconds, for commander's
 * option parsers. Throws InvalidArgumentError, which the command line reports as a usage error.
 */
export function parseDuration(text: string): number {
  const match = /^(\d{1,7})([smhdw]?)$/.exec(text.trim());
  if (!match || Number(match[1]) === 0) {
    throw new InvalidArgumentError('expected a duration such as 90s, 15m, 36h, 7d or 2w');
  }
  const unit = (match[2] || 's') as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}
