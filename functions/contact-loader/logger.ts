import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';
import { maskPhonesInText } from '../contacts/mask-phone.js';

/** Values of these keys are never written, whatever they hold. */
const SECRET_KEY = /password|passwd|token|authorization|secretstring|credentials/i;
/** Identifiers that are long digit runs by nature, not phone numbers. */
const IDENTIFIER_KEYS = new Set([
  'function_request_id',
  'xray_trace_id',
  'function_arn',
  'messageId',
  'eTag',
  'etag',
  'versionId',
  'sequencer',
  'identity',
]);

/**
 * The JSON replacer every log line goes through: secrets by key name are replaced, and phone
 * numbers (runs of six or more digits) are masked in every other text, error messages included.
 */
export function maskLogValue(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_KEY.test(key) && value !== undefined && value !== null) {
    return '[redacted]';
  }
  if (typeof value !== 'string' || IDENTIFIER_KEYS.has(key)) return value;
  return maskPhonesInText(value);
}

export interface LoaderLoggerOptions {
  readonly serviceName?: string;
  readonly logLevel?: string;
  /** Receives each JSON line instead of stdout (local runs, tests). */
  readonly write?: (line: string) => void;
}

const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL']);

/** Powertools' Logger (structured JSON, Lambda context) with masking, optionally writing elsewhere. */
export class LoaderLogger extends Logger {
  private readonly write: ((line: string) => void) | undefined;

  constructor(options: LoaderLoggerOptions = {}) {
    const level = options.logLevel?.toUpperCase();
    super({
      serviceName: options.serviceName ?? 'ucontact-loader',
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
