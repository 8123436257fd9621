// A contact-loader invocation in a process of its own, so a test can kill it as Lambda's runtime
// dies (SIGKILL: no finally, no EndSession, no cleanup). The handler is built from the environment
// as at a cold start; the event comes in LOADER_EVENT; the temporary directory is TMPDIR.
import { createLoaderHandler } from '../../functions/contact-loader/create-handler.js';
import { localLambdaContext } from '../../local-aws/local-run.js';

const event = JSON.parse(process.env.LOADER_EVENT ?? '{}') as unknown;
await createLoaderHandler(process.env)(event, localLambdaContext());
