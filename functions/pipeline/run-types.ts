import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/config.js';
import type { UcontactClient, UcontactLogger } from '../ucontact/client.js';
import type { ChunkResult } from '../ucontact/results.js';
import type { CredentialsSource } from './credentials.js';
import type { Manifest, ManifestStatus } from './manifest.js';
import type { ProfilesSource } from './profiles-source.js';
import type { SuppressionStore } from './suppression-store.js';

/** Where the pipeline writes what it does; Powertools' Logger fits (through a key-adding wrapper). */
export interface PipelineLogger extends UcontactLogger {
  error(message: string, extra?: Readonly<Record<string, unknown>>): void;
}

export interface ProcessObjectDeps {
  readonly config: Config;
  readonly s3: S3Client;
  readonly credentials: CredentialsSource;
  /** Builds a uContact client for a base URL (the configured one, or the secret's `baseUrl`). */
  readonly createClient: (baseUrl: string, logger: UcontactLogger) => UcontactClient;
  readonly logger: PipelineLogger;
  readonly now: () => Date;
  /** Milliseconds left before Lambda stops the invocation. */
  readonly remainingTimeMs: () => number;
  /** Owner of the claim: the invocation's request id. */
  readonly requestId: string;
  /** Where chunks are spooled; default the system's temporary directory. */
  readonly spoolDir?: string;
  /** Where suppression lists come from; without it no file is scrubbed. */
  readonly suppression?: SuppressionStore;
  /** The campaign profiles file (PROFILES_KEY), cached while warm; none: no profiles. */
  readonly profiles?: ProfilesSource;
}

export interface ObjectResult {
  readonly status: ManifestStatus;
  /** The message must be delivered again (a batch item failure): the file is not done. */
  readonly retry: boolean;
  /** The manifest written by this run; absent when another run owns or owned the object. */
  readonly manifest?: Manifest;
  readonly manifestKey?: string;
  /** The chunks this run sent, with their outcomes. */
  readonly sent: readonly ChunkResult[];
  /** Chunks a crashed earlier run left in flight, found at takeover and now `unknown`. */
  readonly lostInFlight?: number;
  /** This run's EndSession failed: a uContact session may still be open. */
  readonly sessionLeftOpen?: boolean;
  /** The run this one took over stopped with its session open: it may still be open. */
  readonly previousSessionMayBeOpen?: boolean;
  readonly durationMs: number;
}
