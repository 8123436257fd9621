import { type FromStandIns, type StandIns, startStandIns, type ToStandIns } from './stand-ins.js';

/**
 * The child process of startStandInsProcess: starts the stand-ins when told to, answers state
 * requests, and stops them and exits when told to close or when its parent goes away.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
let standIns: StandIns | undefined;
let closing = false;

const send = (message: FromStandIns, then?: () => void) => {
  if (process.connected) process.send?.(message, undefined, {}, () => then?.());
  else then?.();
};

async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  try {
    await standIns?.close();
  } catch (error) {
    process.stderr.write(`stopping the local stand-ins failed: ${String(error)}\n`);
  }
  send({ type: 'closed', maxRssKiB: process.resourceUsage().maxRSS }, () => process.exit(0));
}

process.on('message', (message: ToStandIns) => {
  if (message.type === 'start') {
    startStandIns(message.options).then(
      (started) => {
        standIns = started;
        send({
          type: 'ready',
          s3Endpoint: started.s3Endpoint,
          simulatorUrl: started.simulatorUrl,
          secretsEndpoint: started.secretsEndpoint,
        });
      },
      (error: unknown) => {
        const text = error instanceof Error ? error.message : String(error);
        send({ type: 'failed', message: text }, () => process.exit(1));
      },
    );
  } else if (message.type === 'put' && standIns) {
    standIns.put(message.bucket, message.key, message.path).then(
      (stored) => send({ type: 'stored', stored }),
      (error: unknown) => send({ type: 'stored', error: String(error) }),
    );
  } else if (message.type === 'state' && standIns) {
    standIns.dialerState().then((state) => send({ type: 'state', state }));
  } else if (message.type === 'close') {
    void close();
  }
});
process.on('disconnect', () => {
  void close().finally(() => process.exit(0));
});
