import { createLoaderHandler } from './create-handler.js';

/**
 * The contact-loader Lambda: SQS messages carrying S3 notifications (or a plain S3 event) in,
 * partial batch failures out. Configuration and clients are built once, at cold start; a wrong
 * environment stops the cold start with one line per wrong variable.
 */
export const handler = createLoaderHandler(process.env);
