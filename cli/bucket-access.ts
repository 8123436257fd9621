import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { errorCode, httpStatus } from '../functions/pipeline/storage.js';
import type { BucketFlags } from './bucket-flags.js';
import { BucketAccessError, UsageError } from './errors.js';

/**
 * An S3 client with the credentials the AWS CLI would use (environment, profile, SSO, instance
 * role). Against `--endpoint-url`, requests are path-style and checksums only sent when required,
 * as S3-compatible servers need; AWS itself keeps the SDK's defaults. Throws UsageError for an
 * endpoint that is not an http(s) URL.
 */
export function bucketClient(flags: BucketFlags): S3Client {
  const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const config: S3ClientConfig = { ...(region ? { region } : {}), followRegionRedirects: true };
  if (flags.endpointUrl === undefined) return new S3Client(config);
  let url: URL;
  try {
    url = new URL(flags.endpointUrl);
  } catch (error) {
    throw new UsageError(`--endpoint-url must be a URL (got "${flags.endpointUrl}")`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint-url must start with http:// or https:// (got "${url}")`);
  }
  return new S3Client({
    ...config,
    // S3-compatible servers mostly ignore the region, but the SDK needs one to sign.
    region: region ?? 'us-east-1',
    endpoint: flags.endpointUrl,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * One line saying why `what` (`listing s3://b/results/`) failed and what to check: credentials,
 * region, bucket, access, endpoint. Reads through wrapped errors (`cause`) to the SDK's.
 */
export function bucketAccessError(what: string, error: unknown): BucketAccessError {
  const sdk = innermost(error);
  const code = errorCode(sdk);
  const message = sdk instanceof Error ? sdk.message : String(sdk);
  const network = (sdk as { code?: string }).code;
  let why: string;
  if (code === 'CredentialsProviderError')
    why =
      'no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  else if (/region is missing/i.test(message))
    why = 'no AWS region: pass --region or set AWS_REGION';
  else if (code === 'NoSuchBucket') why = 'the bucket does not exist';
  else if (httpStatus(sdk) === 403 || code === 'AccessDenied')
    why = 'access denied: the credentials in use may not read or write this bucket';
  else if (network === 'ECONNREFUSED' || network === 'ENOTFOUND' || network === 'ETIMEDOUT')
    why = `cannot reach the endpoint (${network})`;
  else why = code && !message.includes(code) ? `${code}: ${message}` : message;
  return new BucketAccessError(`${what}: ${why}`, { cause: error });
}

function innermost(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    const isSdkError = (current as { $metadata?: unknown } | null)?.$metadata !== undefined;
    if (cause === undefined || isSdkError) return current;
    current = cause;
  }
  return current;
}
