import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';
import { LOADER_TELEMETRY, LOG_LEVELS } from '../config/settings.js';
import { maskPhonesInText } from '../contacts/mask-phone.js';

/** Values of these keys are never written, whatever they hold. */
const SECRET_KEY = /password|passwd|token|authorization|secretstring|credentials/i;
/**
 * Values written verbatim: identifiers that are digit runs by nature, and the names operators
 * search the logs by (S3 keys, buckets, campaigns, chunk file names). Only free text and values
 * that can hold a row's content are masked.
 */
const VERBATIM_KEYS = new Set([
  'function_request_id',
  'function_arn',
  'function_name',
  'xray_trace_id',
  'requestId',
  'messageId',
  'claimOwner',
  'owner',
  'eTag',
  'etag',
  'versionId',
  'sequencer',
  'identity',
  'bucket',
  'key',
  'campaign',
  'manifestKey',
  'rejectedFile',
  'rejectedKey',
  'stateKey',
  'filename',
]);

/**
 * The JSON replacer every log line goes through: secrets by key name are replaced, identifiers
 * and object names are kept as they are, and phone numbers are masked in every other text,
 * error messages included.
 */
export function maskLogValue(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_KEY.test(key) && value !== undefined && value !== null) {
    return '[redacted]';
  }
  if (typeof value !== 'string' || VERBATIM_KEYS.has(key)) return value;
  return maskPhonesInText(value);
}

export interface LoaderLoggerOptions {
  readonly serviceName?: string;
  readonly logLevel?: string;
  /** Receives each JSON line instead of stdout (local runs, tests). */
  readonly write?: (line: string) => void;
}

const LEVELS: ReadonlySet<string> = new Set(LOG_LEVELS);

/** Powertools' Logger (structured JSON, Lambda context) with masking, optionally writing elsewhere. */
export class LoaderLogger extends Logger {
  private readonly write: ((line: string) => void) | undefined;

  constructor(options: LoaderLoggerOptions = {}) {
    const level = options.logLevel?.toUpperCase();
    super({
      serviceName: options.serviceName ?? LOADER_TELEMETRY.serviceName,
      ...(level && LEVELS.has(level) ? { logLevel: level as 'INFO' } : {}),
      jsonReplacerFn: maskLogValue,
    });
    this.write = options.write;
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    if (!this.write) {
      super.printLog(logLevel, log);
      return;
    }
    this.write(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }
}
