import { UcontactErrorCode } from '../ucontact/errors.js';
import type { ChunkOutcome, ErrorSummary } from '../ucontact/results.js';
import { type SessionReport, type SessionStop, StopReason } from '../ucontact/upload-session.js';
import { ErrorEnding, PipelineError, PipelineErrorCode } from './errors.js';
import { ManifestStatus, UploadOutcome } from './manifest.js';

/** How a run ends: the manifest's status (computed from the uploads when absent) and error. */
export interface Ending {
  readonly status?: ManifestStatus;
  readonly error?: ErrorSummary;
  /** The message must be delivered again: the claim is given back, the file is not done. */
  readonly retry?: boolean;
  /** Another run owns the object now: stop without writing a result. */
  readonly abandon?: boolean;
}

type StopEnding = (stop: SessionStop, acceptedParts: number, secretId: string) => Ending;

/**
 * What each stop reason makes of the run; `satisfies` keeps it in step with StopReason. An
 * unknown outcome ends as the uploads say (see sessionEnding).
 */
const STOP_ENDINGS = {
  [StopReason.LoginFailed]: (stop, _accepted, secretId) => {
    const code = stop.error?.code ?? UcontactErrorCode.NotAttempted;
    if (code !== UcontactErrorCode.AuthFailed) {
      const message = `cannot log in to uContact (${stop.message}); the file will be retried`;
      return { retry: true, error: { code, message } };
    }
    const message =
      `uContact refused the login, also after reading secret ${secretId} again: ` +
      'correct the user or password in the secret, then drop the file again';
    return { error: { code, message } };
  },
  [StopReason.Deadline]: (_stop, accepted) => ({
    retry: true,
    error: {
      code: PipelineErrorCode.OutOfTime,
      message: `the run ran out of time after ${accepted} accepted parts; the next delivery resumes after them`,
    },
  }),
  [StopReason.Unavailable]: (stop, accepted) => ({
    retry: true,
    error: {
      code: stop.error?.code ?? UcontactErrorCode.Network,
      message:
        `${stop.message}; that part was not loaded, and the next delivery resumes with it ` +
        `after ${accepted} accepted parts`,
    },
  }),
  [StopReason.AuthRejected]: (stop) => ({
    error: { code: UcontactErrorCode.AuthRejected, message: stop.message },
  }),
  [StopReason.UnknownOutcome]: () => ({}),
} as const satisfies Record<StopReason, StopEnding>;

/** The manifest's status and error after a session, and whether the message is to be retried. */
export function sessionEnding(
  report: SessionReport,
  uploads: readonly Pick<ChunkOutcome, 'part' | 'outcome'>[],
  secretId: string,
): Ending {
  const parts = (outcome: UploadOutcome) =>
    uploads.filter((u) => u.outcome === outcome).map((u) => u.part);
  if (report.stopped) {
    const ending: Ending = STOP_ENDINGS[report.stopped.reason](
      report.stopped,
      parts(UploadOutcome.Accepted).length,
      secretId,
    );
    if (ending.error) return ending;
  }
  const unknown = parts(UploadOutcome.Unknown);
  if (unknown.length > 0) {
    return {
      error: {
        code: PipelineErrorCode.UnknownOutcome,
        message:
          `part ${unknown.join(', ')} got no answer and may or may not have been loaded; ` +
          'it is never resent automatically: check the campaign in uContact before loading it by hand',
      },
    };
  }
  const failed = parts(UploadOutcome.Failed);
  if (failed.length === 0) return {};
  const first = report.results.find((r) => r.outcome === UploadOutcome.Failed)?.error;
  return {
    error: {
      code: PipelineErrorCode.ChunksFailed,
      message: `uContact did not take part ${failed.join(', ')}${first ? ` (${first.message})` : ''}`,
    },
  };
}

const ERROR_STATUS = {
  [ErrorEnding.Rejected]: ManifestStatus.Rejected,
  [ErrorEnding.Skipped]: ManifestStatus.Skipped,
} as const;

/**
 * The ending an error calls for, read from the error itself (PipelineError's code and ending).
 * Anything else is a bug or an outage nobody classified: retried, as INTERNAL.
 */
export function endingForError(error: unknown): Ending {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof PipelineError)) {
    const summary = {
      code: PipelineErrorCode.Internal,
      message: `${message}; the file will be retried`,
    };
    return { retry: true, error: summary };
  }
  const { code, ending } = error;
  if (ending === ErrorEnding.Abandon) return { abandon: true, error: { code, message } };
  if (ending === ErrorEnding.Retry)
    return { retry: true, error: { code, message: `${message}; the file will be retried` } };
  const status = ending === ErrorEnding.Failed ? undefined : ERROR_STATUS[ending];
  return { ...(status ? { status } : {}), error: { code, message } };
}
