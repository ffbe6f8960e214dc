import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFunction, ESBUILD_ALIAS, FUNCTIONS } from '../../scripts/bench/cold-start';
import { EventStreamSerde, eventStreamSerdeProvider } from '../../shared/no-event-streams';

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
    expect(esbuild.alias).toMatchObject({
      '@aws-sdk/credential-provider-node': './shared/lambda-credentials.ts',
    });
    expect(existsSync(join(ROOT, 'shared/lambda-credentials.ts'))).toBe(true);
  });

  it("leave out the SDK's event-stream code, which fails loudly if ever reached", () => {
    expect(esbuild.alias).toEqual({
      '@aws-sdk/credential-provider-node': './shared/lambda-credentials.ts',
      '@smithy/core/event-streams': './shared/no-event-streams.ts',
    });
    expect(() => new EventStreamSerde()).toThrow(/event streams are not bundled/);
    expect(() => eventStreamSerdeProvider()).toThrow(/event streams are not bundled/);
  });

  it('carry only SDK clients without event-stream operations, which the stub would break', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bundle-'));
    try {
      const clients = new Set<string>();
      for (const [fn, entry] of Object.entries(FUNCTIONS)) {
        const { metafile } = await bundleFunction(ROOT, entry, join(out, `${fn}.js`));
        for (const input of Object.keys(metafile.inputs)) {
          const client = input.match(/node_modules\/@aws-sdk\/(client-[^/]+)\//)?.[1];
          if (client) clients.add(client);
        }
      }
      expect([...clients].sort()).toEqual(['client-iam', 'client-sts']);
      // A client with event-stream operations configures their serde in its runtime config.
      const runtimeConfig = (client: string) =>
        readFileSync(
          join(ROOT, `node_modules/@aws-sdk/${client}/dist-es/runtimeConfig.js`),
          'utf8',
        );
      for (const client of clients) expect(runtimeConfig(client)).not.toMatch(/eventStream/);
      expect(runtimeConfig('client-lambda')).toMatch(/eventStreamSerdeProvider/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('are measured by the benchmark with the same alias', () => {
    expect(ESBUILD_ALIAS).toEqual(esbuild.alias);
  });

  it('bundle the SDK (the version tested is the version deployed)', () => {
    expect(esbuild).toMatchObject({ bundle: true, exclude: [], platform: 'node', format: 'cjs' });
  });
});
