import { z } from 'zod';
import { ProfilesFileSchema } from './schema.js';

/**
 * The profiles file's JSON Schema, made from the zod schema the function checks with, for
 * editors: draft-07, which the common editors read, describing what may be written (input).
 * The published copy is schemas/campaigns.schema.json; a test keeps the two equal.
 */
export function profilesJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ProfilesFileSchema, {
    target: 'draft-7',
    io: 'input',
  }) as Record<string, unknown>;
}
