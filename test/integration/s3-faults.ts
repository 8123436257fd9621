import type { S3Client } from '@aws-sdk/client-s3';

/**
 * `client` with a step that records the name of every command it sends and fails those `fails`
 * picks as S3 does on an internal error (500 `InternalError`), before they are sent.
 */
export function withS3Faults(
  client: S3Client,
  fails: (command: string) => boolean = () => false,
): S3Client & { readonly sent: string[] } {
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      sent.push(name);
      if (fails(name)) {
        throw Object.assign(new Error('We encountered an internal error. Please try again.'), {
          name: 'InternalError',
          $metadata: { httpStatusCode: 500 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'withS3Faults' },
  );
  return Object.assign(client, { sent });
}
