import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { ClaimState } from '../../functions/pipeline/claim.js';
import type { Manifest } from '../../functions/pipeline/manifest.js';
import { decodeS3Key } from '../../functions/pipeline/read-event.js';
import { getJson } from '../../functions/pipeline/storage.js';
import { readManifests } from '../../local-aws/local-run.js';
import type { SoakBackend } from './soak-types.js';

/** `GET /_simulator/state?content=1`, as far as the soak reads it. */
export interface DialerContent {
  readonly bases: readonly {
    readonly campaign: string;
    readonly filename: string;
    readonly records: number;
    readonly text: string;
  }[];
  readonly openSessions: number;
  readonly calls: {
    readonly login: number;
    readonly uploadbase: number;
    readonly endsession: number;
  };
}

/** A manifest and the claim beside it: final when the claim is no longer `running`. */
export interface ReadManifest {
  readonly key: string;
  readonly manifest: Manifest;
  readonly claimStatus: string | undefined;
  readonly final: boolean;
}

/** A message the dead-letter queue holds, with the file its notification names. */
export interface DeadLetter {
  readonly key: string | undefined;
  readonly receiveCount: number;
  readonly body: string;
}

export interface SoakResults {
  readonly dialer: DialerContent;
  readonly manifests: readonly ReadManifest[];
  readonly deadLetters: readonly DeadLetter[];
}

/**
 * Reads what the run left: every manifest with its claim's status, and every message of the
 * dead-letter queue (received and kept invisible: the run is over). Rejects on an SDK error.
 */
export async function readSoakResults(
  backend: SoakBackend,
  dialer: DialerContent,
): Promise<SoakResults> {
  const manifests: ReadManifest[] = [];
  for (const { key, manifest } of await readManifests(
    backend.s3,
    backend.bucket,
    backend.resultsPrefix,
  )) {
    const stateKey = key.replace(/manifest\.json$/, 'state.json');
    const claim = await getJson<ClaimState>(backend.s3, backend.bucket, stateKey);
    const claimStatus = claim?.value.status;
    manifests.push({ key, manifest, claimStatus, final: claimStatus !== 'running' });
  }
  return { dialer, manifests, deadLetters: await drainDeadLetters(backend) };
}

async function drainDeadLetters(backend: SoakBackend): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  for (;;) {
    const { Messages = [] } = await backend.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: backend.deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 3600,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return letters;
    letters.push(...Messages.map(deadLetter));
  }
}

function deadLetter(message: Message): DeadLetter {
  const body = message.Body ?? '';
  const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 0);
  return { key: notificationKey(body), receiveCount, body };
}

/** The object key an S3 notification's body names, decoded; undefined for any other body. */
export function notificationKey(body: string): string | undefined {
  try {
    const raw = (JSON.parse(body) as { Records?: { s3?: { object?: { key?: string } } }[] })
      .Records?.[0]?.s3?.object?.key;
    return raw === undefined ? undefined : decodeS3Key(raw);
  } catch {
    return undefined;
  }
}
