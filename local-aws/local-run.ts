import { constants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSBatchResponse } from 'aws-lambda';
import { LOADER_TELEMETRY, SETTINGS } from '../functions/config/settings.js';
import {
  createLoaderHandler,
  type LoaderHandler,
} from '../functions/contact-loader/create-handler.js';
import { LoaderLogger } from '../functions/contact-loader/logger.js';
import { campaignFromKey } from '../functions/pipeline/campaign-from-key.js';
import type { FileMetricName, MetricsSink } from '../functions/pipeline/file-metrics.js';
import type { Manifest } from '../functions/pipeline/manifest.js';
import { decodeS3Key } from '../functions/pipeline/read-event.js';
import { listManifestKeys } from '../functions/pipeline/result-listing.js';
import { getJson } from '../functions/pipeline/storage.js';
import { parseProfiles } from '../functions/profiles/parse-profiles.js';
import { DEFAULT_SIMULATOR_OPTIONS } from '../simulator/simulator.js';
import { localS3Client } from './embedded-s3.js';
import { LAMBDA_TIMEOUT_MS, localLambdaContext } from './lambda-context.js';
import { nextSequencer, s3PutNotification, sqsEvent } from './s3-event.js';
import {
  type DialerState,
  type StandIns,
  type StandInsProcessOptions,
  startStandIns,
  startStandInsProcess,
} from './stand-ins.js';

export { localLambdaContext } from './lambda-context.js';
export type { DialerState } from './stand-ins.js';

/** A local file to put at an exact key. */
export interface LocalDrop {
  readonly file: string;
  readonly key: string;
}

export interface LocalRunOptions {
  /** Files to put; each gets its own SQS-wrapped S3 event. Default: the sample files. */
  readonly drops?: readonly LocalDrop[];
  /**
   * Objects put before the drops, without events: the campaign profiles file, for one. The
   * simulator also takes the campaigns a profiles file put at PROFILES_KEY names.
   */
  readonly puts?: readonly LocalDrop[];
  /** A raw Lambda event delivered as it is (after the drops are put, without their events). */
  readonly event?: unknown;
  /** How many times each event is delivered; default 1. */
  readonly deliver?: number;
  /** Deliver every event at once instead of one after another. */
  readonly concurrent?: boolean;
  /** Simulator faults, `<call>:<kind>[:<times>]`. */
  readonly faults?: readonly string[];
  /** Keep what the simulator received, so `dialer.bases` give their `lines`. */
  readonly dialerContent?: boolean;
  /** Receives each log line of the function; default: dropped. */
  readonly logLine?: (line: string) => void;
  /** Extra function settings (MAX_CHUNK_RECORDS...), over the local ones. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Run the embedded S3, the simulator and the local Secrets Manager in a child process (true, or
   * how to start it), so that this process's time and memory are the function's alone.
   */
  readonly standInsProcess?: boolean | StandInsProcessOptions;
}

export interface LocalRunResult {
  readonly bucket: string;
  /** What was put, with the ETag S3 answered. */
  readonly dropped: readonly {
    readonly key: string;
    readonly size: number;
    readonly eTag: string;
  }[];
  readonly responses: readonly SQSBatchResponse[];
  /** Every manifest under the results prefix at the end, with its key. */
  readonly manifests: readonly { readonly key: string; readonly manifest: Manifest }[];
  /**
   * The simulator's state: bases received (without their text; with their `lines` when
   * `dialerContent`), sessions left open, calls.
   */
  readonly dialer: DialerState;
  /** Metric totals by name, as the function recorded them. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Wall time of putting the files, and of delivering the events until the handler returned. */
  readonly timings: { readonly putMs: number; readonly deliverMs: number };
  /** Peak RSS (KiB) of the stand-ins' child process, when they ran in one. */
  readonly standInsMaxRssKiB?: number;
}

/** The bucket of the sample events in events/. */
export const LOCAL_BUCKET = 'ucontact-loader-drop';
export const LOCAL_SECRET_ID = 'ucontact-loader/ucontact';
/** Where the sample files go: the campaign the native sample names. */
export const SAMPLE_CAMPAIGN = 'Ventas Norte';
const SAMPLES_DIR = fileURLToPath(new URL('../events/files/', import.meta.url));

/** The sample files of events/files/, each under `incoming/<SAMPLE_CAMPAIGN>/`. */
export async function sampleDrops(): Promise<LocalDrop[]> {
  const names = (await readdir(SAMPLES_DIR)).filter((name) => !name.startsWith('.')).sort();
  return names.map((name) => ({
    file: join(SAMPLES_DIR, name),
    key: `incoming/${SAMPLE_CAMPAIGN}/${name}`,
  }));
}

/** Adds up metrics in memory instead of printing EMF. */
export function metricTotals(): MetricsSink & { readonly totals: Record<string, number> } {
  const totals: Record<string, number> = {};
  return {
    totals,
    addMetric(name: FileMetricName, _unit: string, value: number) {
      totals[name] = (totals[name] ?? 0) + value;
    },
  };
}

/**
 * Runs the function locally, end to end: embedded S3, the uContact simulator (accepting the
 * campaigns of the keys) and a local Secrets Manager on free ports; puts the files; delivers the
 * SQS-wrapped S3 events the bucket would send to the handler, in-process; collects the manifests
 * and the simulator's state; stops everything. Rejects when a file cannot be read or a part
 * cannot start; what the function does with the files is in the result, never a rejection.
 */
export async function runLocal(options: LocalRunOptions = {}): Promise<LocalRunResult> {
  const drops = options.drops ?? (options.event === undefined ? await sampleDrops() : []);
  // Fail before starting anything when a file cannot be read.
  const puts = options.puts ?? [];
  await Promise.all([...puts, ...drops].map((drop) => access(drop.file, constants.R_OK)));
  const campaigns = [
    ...campaignsOf([...drops.map((d) => d.key), ...eventKeys(options.event)]),
    ...(await profileCampaigns(puts, options.env?.PROFILES_KEY)),
  ];
  const user = DEFAULT_SIMULATOR_OPTIONS.users[0];
  const standInsOptions = {
    buckets: [LOCAL_BUCKET, ...eventBuckets(options.event)],
    campaigns,
    faults: [...(options.faults ?? [])],
    secrets: { [LOCAL_SECRET_ID]: { user: user.user, password: user.password } },
    keepContent: options.dialerContent === true,
  };
  const launch = options.standInsProcess;
  const standIns: StandIns = launch
    ? await startStandInsProcess(standInsOptions, launch === true ? {} : launch)
    : await startStandIns(standInsOptions);
  let closed = false;
  try {
    const client = localS3Client(standIns.s3Endpoint);
    const metrics = metricTotals();
    const handler = createLoaderHandler(
      {
        ...process.env,
        UCONTACT_BASE_URL: standIns.simulatorUrl,
        UCONTACT_SECRET_ID: LOCAL_SECRET_ID,
        S3_ENDPOINT: standIns.s3Endpoint,
        SECRETS_ENDPOINT: standIns.secretsEndpoint,
        FUNCTION_TIMEOUT_SECONDS: String(LAMBDA_TIMEOUT_MS / 1000),
        ...options.env,
      },
      {
        metrics,
        logger: new LoaderLogger({
          logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? LOADER_TELEMETRY.logLevel,
          write: options.logLine ?? (() => undefined),
        }),
      },
    );

    for (const put of puts) await standIns.put(LOCAL_BUCKET, put.key, put.file);
    const putStarted = performance.now();
    const dropped = [];
    const events: unknown[] = [];
    for (const drop of drops) {
      const stored = await standIns.put(LOCAL_BUCKET, drop.key, drop.file);
      const object = {
        bucket: LOCAL_BUCKET,
        key: drop.key,
        size: stored.size,
        eTag: stored.eTag.replace(/"/g, ''),
        ...(stored.versionId && stored.versionId !== 'null' ? { versionId: stored.versionId } : {}),
        sequencer: nextSequencer(),
      };
      dropped.push({ key: object.key, size: object.size, eTag: object.eTag });
      if (options.event === undefined) events.push(s3PutNotification(object, stored.eventName));
    }

    const deliverStarted = performance.now();
    const deliveries = deliveriesOf(options.event, events, options.deliver ?? 1);
    const responses = await deliver(handler, deliveries, options.concurrent === true);
    const timings = {
      putMs: deliverStarted - putStarted,
      deliverMs: performance.now() - deliverStarted,
    };
    const manifests = await readManifests(client, LOCAL_BUCKET, SETTINGS.resultsPrefix.default);
    const dialer = await standIns.dialerState();
    closed = true;
    const { maxRssKiB } = await standIns.close();
    return {
      bucket: LOCAL_BUCKET,
      dropped,
      responses,
      manifests,
      dialer,
      metrics: metrics.totals,
      timings,
      ...(maxRssKiB === undefined ? {} : { standInsMaxRssKiB: maxRssKiB }),
    };
  } finally {
    if (!closed) await standIns.close();
  }
}

/** Each S3 notification as its own SQS message (batch size 1, as deployed), N times over. */
function deliveriesOf(raw: unknown, notifications: readonly unknown[], times: number): unknown[] {
  const once = raw === undefined ? notifications : [raw];
  const all: unknown[] = [];
  for (const event of once) {
    for (let i = 0; i < times; i++) {
      all.push(raw === undefined ? sqsEvent([event], i + 1) : event);
    }
  }
  return all;
}

async function deliver(
  handler: LoaderHandler,
  events: readonly unknown[],
  concurrent: boolean,
): Promise<SQSBatchResponse[]> {
  if (concurrent) return Promise.all(events.map((event) => handler(event, localLambdaContext())));
  const responses: SQSBatchResponse[] = [];
  for (const event of events) responses.push(await handler(event, localLambdaContext()));
  return responses;
}

/** Every manifest.json under `prefix`, in key order. */
export async function readManifests(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; manifest: Manifest }[]> {
  const manifests = [];
  for (const { key } of await listManifestKeys(s3, bucket, prefix)) {
    const found = await getJson<Manifest>(s3, bucket, key);
    if (found) manifests.push({ key, manifest: found.value });
  }
  return manifests;
}

/**
 * The dialer campaigns named by a profiles file among `puts` (at `key`, PROFILES_KEY by default),
 * so the simulator takes uploads to them; none when there is no such file or it is invalid (the
 * function then refuses the drops itself).
 */
async function profileCampaigns(
  puts: readonly LocalDrop[],
  key = process.env.PROFILES_KEY || SETTINGS.profilesKey.default,
): Promise<string[]> {
  const put = puts.findLast((p) => p.key === key);
  if (!put) return [];
  const parsed = parseProfiles(await readFile(put.file, 'utf8'));
  if (!parsed.ok) return [];
  const { defaults, campaigns } = parsed.file;
  return [defaults, ...Object.values(campaigns)].flatMap((p) => (p?.campaign ? [p.campaign] : []));
}

/** The campaigns of the keys under the incoming prefix, as the simulator should take them. */
export function campaignsOf(keys: readonly string[]): string[] {
  const names = new Set<string>();
  for (const key of keys) {
    const verdict = campaignFromKey(key, {
      incomingPrefix: SETTINGS.incomingPrefix.default,
      campaignSuffix: '',
    });
    if (verdict.ok) names.add(verdict.campaign);
  }
  return [...names];
}

/** The S3 records of a raw event, whether SQS-wrapped or plain. */
function s3Records(event: unknown): { bucket?: string; key?: string }[] {
  const records = (event as { Records?: unknown[] } | undefined)?.Records ?? [];
  const out: { bucket?: string; key?: string }[] = [];
  for (const record of records) {
    const r = record as {
      body?: string;
      s3?: { bucket?: { name?: string }; object?: { key?: string } };
    };
    if (typeof r.body === 'string') {
      try {
        out.push(...s3Records(JSON.parse(r.body)));
      } catch {
        // A body that is not JSON names no object; the function reports it.
      }
    } else if (r.s3) {
      out.push({ bucket: r.s3.bucket?.name, key: r.s3.object?.key });
    }
  }
  return out;
}

function eventKeys(event: unknown): string[] {
  return s3Records(event).flatMap(({ key }) => {
    try {
      return key ? [decodeS3Key(key)] : [];
    } catch {
      return [];
    }
  });
}

function eventBuckets(event: unknown): string[] {
  const names = s3Records(event).flatMap(({ bucket }) => (bucket ? [bucket] : []));
  return [...new Set(names)].filter((name) => name !== LOCAL_BUCKET);
}
