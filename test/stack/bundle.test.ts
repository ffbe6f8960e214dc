import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESBUILD_ALIAS } from '../../scripts/bench/cold-start';

/**
 * How the functions are bundled (serverless.yml's `custom.esbuild`), as the benchmark measures
 * them: the benchmark's copy of the settings must be the deployed ones.
 */
const ROOT = join(__dirname, '..', '..');
const readYaml = createRequire(__filename)('osls/lib/utils/fs/parse') as (
  path: string,
  contents: string,
) => any;
const esbuild = readYaml('serverless.yml', readFileSync(join(ROOT, 'serverless.yml'), 'utf8'))
  .custom.esbuild;

describe('the bundles', () => {
  it("replace the SDK's default credential chain with the environment's credentials", () => {
    expect(esbuild.alias).toEqual({
      '@aws-sdk/credential-provider-node': './shared/lambda-credentials.ts',
    });
    expect(existsSync(join(ROOT, 'shared/lambda-credentials.ts'))).toBe(true);
  });

  it('are measured by the benchmark with the same alias', () => {
    expect(ESBUILD_ALIAS).toEqual(esbuild.alias);
  });

  it('bundle the SDK (the version tested is the version deployed)', () => {
    expect(esbuild).toMatchObject({ bundle: true, exclude: [], platform: 'node', format: 'cjs' });
  });
});
