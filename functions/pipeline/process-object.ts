import { FileRun, noValidContacts, refusedFolder } from './file-run.js';
import type { S3ObjectRef } from './read-event.js';
import { type Ending, endingForError } from './run-ending.js';
import type { ObjectResult, ProcessObjectDeps } from './run-types.js';

export type { ObjectResult, PipelineLogger, ProcessObjectDeps } from './run-types.js';

/**
 * Handles one dropped object end to end: claims its version (skipping it when another run has or
 * had it), reads it through the contacts engine into spooled chunks and rejected.csv, uploads the
 * chunks in one uContact session (resuming an earlier attempt), and writes manifest.json.
 * Terminal outcomes close the claim; a transient failure (S3, Secrets Manager, uContact
 * unreachable) or running out of time writes the manifest, gives the claim back and returns
 * `retry: true`. Throws MissingObjectIdentityError when the event names no version or ETag, and
 * storage errors when not even the claim or the final write can be made.
 */
export async function processObject(
  object: S3ObjectRef,
  deps: ProcessObjectDeps,
): Promise<ObjectResult> {
  const run = await FileRun.begin(object, deps);
  if (!(run instanceof FileRun)) return run;
  let ending: Ending;
  try {
    ending = await loadFile(run);
  } catch (error) {
    ending = endingForError(error);
    if (ending.abandon) return run.abandon();
    deps.logger.error('file handling failed', { error, retry: ending.retry === true });
  } finally {
    await run.dispose();
  }
  return run.finish(ending);
}

/** Read, then upload what can be loaded; the ending says how the run went. */
async function loadFile(run: FileRun): Promise<Ending> {
  if (!run.campaign.ok) return refusedFolder(run.campaign);
  const target = await run.target(run.campaign);
  if (!('campaign' in target)) return target;
  const plan = await run.read(target);
  const { accepted, rows } = plan.summary.counts;
  if (accepted === 0) return noValidContacts(rows);
  return run.upload(plan, target.campaign);
}
