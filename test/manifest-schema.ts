import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';

/** The published schema of manifest.json, which `--json` outputs follow too. */
export const MANIFEST_SCHEMA = JSON.parse(
  readFileSync(new URL('../schemas/manifest.schema.json', import.meta.url), 'utf8'),
) as SchemaNode;

interface SchemaNode {
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
}

// ajv-formats is CommonJS: under NodeNext its plugin is the module's `default`.
const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(MANIFEST_SCHEMA);

/**
 * Fields of `value` the schema does not name. The schema lets them through (a newer manifest
 * keeps its version), so this is how tests keep it complete: every field written is described.
 */
function undeclared(value: unknown, node: SchemaNode, path: string): string[] {
  const resolved = node.$ref ? MANIFEST_SCHEMA.$defs![node.$ref.replace('#/$defs/', '')]! : node;
  if (value === null || typeof value !== 'object') return [];
  const branches = (resolved.oneOf ?? []).filter((b) => b.properties || b.items);
  if (branches.length > 0) return undeclared(value, branches[0]!, path);
  if (Array.isArray(value))
    return resolved.items
      ? value.flatMap((v, i) => undeclared(v, resolved.items!, `${path}[${i}]`))
      : [];
  if (!resolved.properties) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const child = resolved.properties![key];
    if (child) return undeclared(v, child, `${path}.${key}`);
    return typeof resolved.additionalProperties === 'object' ? [] : [`${path}.${key}`];
  });
}

/** Why `value` is not a manifest as published: schema errors, then fields the schema lacks. */
export function manifestProblems(value: unknown): string[] {
  const errors = validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  return [
    ...errors,
    ...undeclared(value, MANIFEST_SCHEMA, 'manifest').map((f) => `${f} is not in the schema`),
  ];
}

/** Fails the test when `value` does not follow schemas/manifest.schema.json. */
export function expectValidManifest(value: unknown): void {
  expect(manifestProblems(value), 'the manifest follows schemas/manifest.schema.json').toEqual([]);
}
