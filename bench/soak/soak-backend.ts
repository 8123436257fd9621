import { findMotoServer } from '../../local-aws/moto/moto-server.js';
import { startMotoTier } from '../../local-aws/moto/moto-tier.js';
import { startEmbeddedBackend } from './embedded-backend.js';
import {
  type SoakBackend,
  type SoakInvoke,
  type SoakOptions,
  soakFunctionSettings,
} from './soak-types.js';

/**
 * Starts the soak's backend: the stack on moto when moto_server is installed (or asked for),
 * else the embedded stand-ins with the same queues and event source. Both keep every base's
 * text in the simulator. Rejects as startMotoTier or startEmbeddedBackend do.
 */
export async function startSoakBackend(
  options: SoakOptions,
  dir: string,
  invoke: SoakInvoke,
): Promise<SoakBackend> {
  const useMoto =
    options.aws === 'moto' || (options.aws === 'auto' && findMotoServer() !== undefined);
  if (!useMoto) return startEmbeddedBackend(options, dir, invoke);
  const tier = await startMotoTier({
    bundle: { outDir: dir },
    keepText: true,
    deliveries: options.deliveries,
    concurrency: options.concurrency,
    visibilityTimeoutSeconds: options.visibilitySeconds,
    functionTimeoutSeconds: options.functionTimeoutSeconds,
    env: soakFunctionSettings(options),
    invoke,
  });
  return {
    kind: 'moto',
    s3Endpoint: tier.endpoint,
    simulatorUrl: tier.simulator.url,
    s3: tier.clients.s3,
    sqs: tier.clients.sqs,
    bucket: tier.resources.bucket,
    resultsPrefix: tier.functionEnv.RESULTS_PREFIX ?? 'results/',
    deadLetterQueueUrl: tier.resources.deadLetterQueueUrl,
    put: async (key, path) => void (await tier.put(key, path)),
    idle: async (timeoutMs) => void (await tier.eventSource.idle(timeoutMs)),
    settled: (timeoutMs) => tier.eventSource.settled(timeoutMs),
    close: tier.close,
  };
}
