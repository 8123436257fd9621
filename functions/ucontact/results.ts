/** What became of one uploaded base. */
export const UploadOutcome = {
  /** uContact answered `1`: the base is queued for loading. */
  Accepted: 'accepted',
  /** uContact answered and did not take the base (or it was never sent). Safe to send again. */
  Failed: 'failed',
  /** The request may have been loaded but no answer came: never resend without an operator. */
  Unknown: 'unknown',
} as const;
export type UploadOutcome = (typeof UploadOutcome)[keyof typeof UploadOutcome];

/** A code and a message safe to show and store: never a password, token or phone number. */
export interface ErrorSummary {
  readonly code: string;
  readonly message: string;
}

/** One chunk of a file, as every stage names it from the plan to the manifest. */
export interface UploadChunk {
  /** 1-based position of the chunk in the file. */
  readonly part: number;
  /** The name uContact shows for the base. */
  readonly filename: string;
  /** Contacts in the chunk: sent as `cant`. */
  readonly records: number;
  /** UTF-8 bytes of the chunk's text. */
  readonly bytes: number;
}

/** The chunk fields of anything that extends UploadChunk, and nothing else (for stored state). */
export function chunkOf(chunk: UploadChunk): UploadChunk {
  return { part: chunk.part, filename: chunk.filename, records: chunk.records, bytes: chunk.bytes };
}

/** One base to upload: one `uploadbase` call. */
export interface UploadBase extends UploadChunk {
  readonly campaign: string;
  /**
   * The base file's text, one contact per line, lines separated by `\n` and none after the last:
   * as a string, or as its UTF-8 bytes (read from a spool, sent without decoding).
   */
  readonly content: string | Uint8Array;
}

/** A chunk and what became of it, over every attempt: the manifest's `uploads` entry. */
export interface ChunkOutcome extends UploadChunk {
  readonly outcome: UploadOutcome;
  /** HTTP requests made for this base, retries and the retry after a new login included. */
  readonly attempts: number;
  readonly durationMs: number;
}

/** The result of one base in one session, reported as soon as it is known. */
export interface ChunkResult extends ChunkOutcome {
  /** A short sanitized excerpt of uContact's last answer. */
  readonly answer?: string;
  readonly error?: ErrorSummary;
  /**
   * True on a `failed` base that uContact could not take for now (unreachable, 429 or 503 after
   * the client's retries): it was not loaded, and sending it later may work. A definitive refusal
   * (answer `0`, another 4xx, a refused session) leaves it unset.
   */
  readonly retryable?: boolean;
}

/** How a login or EndSession call went. */
export interface CallReport {
  readonly ok: boolean;
  readonly attempts: number;
  readonly durationMs: number;
  readonly answer?: string;
  readonly error?: ErrorSummary;
}
