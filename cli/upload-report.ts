import { maskPhonesInText } from '../functions/contacts/mask-phone.js';
import type { PlannedChunk } from '../functions/pipeline/plan-upload.js';
import { type ChunkOutcome, chunkOf } from '../functions/ucontact/results.js';
import type { SessionReport } from '../functions/ucontact/upload-session.js';

/** One line per planned chunk in `--json`: the chunk's result, or a chunk that was not sent. */
export interface UploadLine extends ChunkOutcome {
  readonly sent: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Every planned chunk with what became of it; chunks the session never took are `failed`, not sent. */
export function uploadLines(
  chunks: readonly PlannedChunk[],
  filenameOf: (chunk: PlannedChunk) => string,
  session: SessionReport | undefined,
): UploadLine[] {
  const results = new Map(session?.results.map((result) => [result.part, result]));
  return chunks.map((chunk) => {
    const result = results.get(chunk.part);
    const base = { ...chunkOf(chunk), filename: filenameOf(chunk) };
    if (!result) return { ...base, outcome: 'failed', attempts: 0, durationMs: 0, sent: false };
    const { outcome, attempts, durationMs, error } = result;
    return {
      ...base,
      outcome,
      attempts,
      durationMs,
      sent: attempts > 0,
      ...(error ? { error: masked(error) } : {}),
    };
  });
}

/** Why the command stopped sending when the session itself did not: Ctrl-C or SIGTERM. */
export const INTERRUPTED = {
  reason: 'interrupted',
  message: 'interrupted (Ctrl-C)',
} as const;

/**
 * The session's login, EndSession and stop reason for `--json`. `stopped` is the session's own,
 * or INTERRUPTED when `interrupted` says the user stopped the command before every chunk was sent.
 */
export function sessionSummary(session: SessionReport | undefined, interrupted = false) {
  if (!session) return { login: 'not-attempted', endSession: 'not-needed' };
  const stopped = session.stopped ?? (interrupted ? INTERRUPTED : undefined);
  return {
    login: session.login.ok ? 'ok' : 'failed',
    endSession: session.endSession ? (session.endSession.ok ? 'ok' : 'failed') : 'not-needed',
    relogins: session.relogins,
    ...(session.login.error ? { loginError: masked(session.login.error) } : {}),
    ...(session.endSession?.error ? { endSessionError: masked(session.endSession.error) } : {}),
    ...(stopped ? { stopped } : {}),
  };
}

/** An error as shown: uContact's answers quoted in its message may hold phone numbers. */
function masked<T extends { readonly code: string; readonly message: string }>(error: T): T {
  return { ...error, message: maskPhonesInText(error.message) };
}

/** The human summary of the uploads, printed after validate's. */
export function uploadText(
  lines: readonly UploadLine[],
  session: SessionReport,
  target: string,
  interrupted = false,
): string {
  const out = ['', `Upload to ${target}:`];
  const width = Math.max(...lines.map((line) => line.filename.length));
  for (const line of lines) {
    const head = `  part ${String(line.part).padEnd(4)} ${line.filename.padEnd(width)} ${line.records.toLocaleString('en-US').padStart(9)} contacts  `;
    out.push(head + describe(line, session, interrupted));
  }
  const loginError = session.login.error && masked(session.login.error);
  const login = session.login.ok ? 'ok' : `failed (${loginError?.code}: ${loginError?.message})`;
  const endError = session.endSession?.error && masked(session.endSession.error);
  const end = session.endSession
    ? session.endSession.ok
      ? 'ok'
      : `failed (${endError?.code}: ${endError?.message}); the session may still be open`
    : 'not needed';
  out.push(`  login ${login}; EndSession ${end}`);
  const accepted = lines.filter((line) => line.outcome === 'accepted').length;
  out.push(`  ${accepted} of ${lines.length} part${lines.length === 1 ? '' : 's'} accepted`);
  if (lines.some((line) => line.outcome === 'unknown')) {
    out.push(
      '  A part marked unknown may or may not have been loaded: check the dialer before sending it again.',
    );
  }
  return `${out.join('\n')}\n`;
}

function describe(line: UploadLine, session: SessionReport, interrupted: boolean): string {
  if (!line.sent) {
    const why = session.stopped?.message ?? (interrupted ? 'interrupted' : undefined);
    return why ? `not sent: ${why}` : 'not sent';
  }
  const tries = `${line.attempts} attempt${line.attempts === 1 ? '' : 's'}, ${line.durationMs} ms`;
  const error = line.error ? `: ${line.error.code} ${line.error.message}` : '';
  return `${line.outcome} (${tries})${line.outcome === 'accepted' ? '' : error}`;
}
