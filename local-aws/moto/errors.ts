/** What went wrong in the moto tier; stable, for callers that branch on it. */
export const MotoTierErrorCode = {
  /** `moto_server` is not on PATH. */
  MotoMissing: 'MOTO_MISSING',
  /** moto_server started but did not answer, or exited. */
  MotoUnavailable: 'MOTO_UNAVAILABLE',
  /** The synthesized template lacks something the tier builds from it. */
  TemplateShape: 'TEMPLATE_SHAPE',
  /** The function's process could not be run or answered nothing usable. */
  Invocation: 'INVOCATION',
} as const;
export type MotoTierErrorCode = (typeof MotoTierErrorCode)[keyof typeof MotoTierErrorCode];

/** Base of every error of the moto tier: a code and, when there is one, the cause. */
export class MotoTierError extends Error {
  readonly code: MotoTierErrorCode;

  constructor(code: MotoTierErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MotoTierError';
    this.code = code;
  }
}

/** The one-line advice shown when moto is not installed. */
export const MOTO_INSTALL_HINT = "install it with: pip install 'moto[server]'";
