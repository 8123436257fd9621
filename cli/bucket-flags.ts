import type { Command } from 'commander';

/** The flags every command for a deployed stack takes (commander's camelCase names). */
export interface BucketFlags {
  bucket: string;
  endpointUrl?: string;
  region?: string;
}

/** Adds `--bucket`, `--endpoint-url` and `--region`. */
export function addBucketFlags(command: Command, bucketRequired = true): Command {
  const bucket = '--bucket <name>';
  const what = "the stack's bucket (its BucketName output)";
  return (bucketRequired ? command.requiredOption(bucket, what) : command.option(bucket, what))
    .option(
      '--endpoint-url <url>',
      'an S3-compatible endpoint instead of AWS (path-style requests, checksums only when required)',
    )
    .option('--region <name>', "the bucket's region (default: as the AWS CLI finds it)");
}
