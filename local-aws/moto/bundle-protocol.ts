/**
 * How the bundle runner and its caller talk: the event goes in on stdin as JSON; the handler's
 * answer comes out on stdout as one line starting with this marker, among the function's own log
 * lines (which Lambda too takes from stdout).
 */
export const RESPONSE_MARKER = '@@lambda-response ';
/** The runner's last line before it exits on its own: `{"maxRssKiB": n}`, its peak memory. */
export const USAGE_MARKER = '@@lambda-usage ';

/** Environment variables the runner reads besides the function's own. */
export const RunnerEnv = {
  /** Milliseconds the invocation has: the context's remaining time counts down from it. */
  TimeoutMs: 'LOADER_INVOCATION_TIMEOUT_MS',
} as const;
export type RunnerEnv = (typeof RunnerEnv)[keyof typeof RunnerEnv];
