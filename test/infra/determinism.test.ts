import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssetStaging } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loaderApp } from './synth-stack.js';

function synthesize(): { template: string; assets: unknown } {
  // Without this, the second synthesis would reuse the first one's bundle and prove nothing.
  AssetStaging.clearAssetHashCache();
  const { app, stack } = loaderApp({});
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const assets = JSON.parse(
    readFileSync(join(assembly.directory, `${stack.stackName}.assets.json`), 'utf8'),
  ) as { files: Record<string, unknown> };
  return {
    template: JSON.stringify(artifact.template),
    assets: Object.keys(assets.files).sort(),
  };
}

describe('synthesis', () => {
  it('gives the same template and the same asset hashes every time', () => {
    const first = synthesize();
    const second = synthesize();
    expect(second.template).toBe(first.template);
    expect(second.assets).toEqual(first.assets);
  });
});
