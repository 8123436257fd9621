import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { profilesJsonSchema } from '../../../functions/profiles/json-schema.js';
import { parseProfiles } from '../../../functions/profiles/parse-profiles.js';

const SCHEMAS = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('the published JSON Schema of the profiles file', () => {
  it('is the one the function checks with (regenerate it with npm run schema)', () => {
    expect(readJson(join(SCHEMAS, 'campaigns.schema.json'))).toEqual(profilesJsonSchema());
  });

  it('names every profile field the function reads, and refuses others', () => {
    const schema = profilesJsonSchema() as {
      definitions: { profile: { properties: object; additionalProperties: boolean } };
    };
    expect(Object.keys(schema.definitions.profile.properties)).toEqual(
      expect.arrayContaining(['campaign', 'mapping', 'phone', 'defaultPriority', 'enabled']),
    );
    expect(schema.definitions.profile.additionalProperties).toBe(false);
  });

  it('is found by the example through its $schema, and the example is valid', () => {
    const text = readFileSync(join(SCHEMAS, 'campaigns.example.json'), 'utf8');
    const example = JSON.parse(text) as { $schema: string };
    const target = join(dirname(join(SCHEMAS, 'campaigns.example.json')), example.$schema);
    expect(readJson(target)).toEqual(profilesJsonSchema());
    expect(parseProfiles(text).ok).toBe(true);
  });
});
