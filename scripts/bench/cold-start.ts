import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { constants, deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';

/** serverless.yml's `custom.esbuild.alias` (test/stack/template.test.ts checks they agree). */
export const ESBUILD_ALIAS = {
  '@aws-sdk/credential-provider-node': './shared/lambda-credentials.ts',
  '@smithy/core/event-streams': './shared/no-event-streams.ts',
};

export const FUNCTIONS = {
  onFinding: 'functions/on-finding.ts',
  onRunbook: 'functions/on-runbook.ts',
  contain: 'functions/contain.ts',
  followUp: 'functions/follow-up.ts',
} as const;

export interface ColdStart {
  fn: string;
  bytes: number;
  /** deflateRaw level 9 of the bundle: the smallest a zip of it gets. */
  zippedBytes: number;
  /**
   * deflateRaw level 1: byte for byte the compressed entry in the zip `osls package` builds
   * (serverless-esbuild's archiver), checked once by hand; the zip adds ~100 bytes of headers.
   */
  deployedZipBytes: number;
  loadMs: number;
  bareNodeMs: number;
  /**
   * Median over interleaved pairs of (`require(bundle)` process time / the `node -e 0` time just
   * before it): each pair shares the machine's state of the moment, so slow drift cancels.
   */
  loadRatio: number;
  /** Share of the minified bundle by source (esbuild metafile), largest first. */
  composition: { source: string; share: number }[];
}

/** npm package of an input path (the SDK's and Smithy's many packages as one each), or project. */
function sourceOf(input: string): string {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (!match?.[1]) return 'project code';
  return match[1].replace(/^@(aws-sdk|smithy)\/.*/, '@$1/*');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Wall time of a fresh node process running `code`. */
function nodeProcessMs(code: string): number {
  const start = performance.now();
  const out = spawnSync(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (out.status !== 0) throw new Error(`node -e ${code} failed: ${out.stderr.toString()}`);
  return ms;
}

/**
 * One handler bundled as serverless.yml's serverless-esbuild settings bundle it (SDK included);
 * `minify: false` only to read the bundle (load-profile.ts).
 */
export function bundleFunction(root: string, entry: string, outfile: string, minify = true) {
  return build({
    metafile: true,
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify,
    sourcemap: false,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    mainFields: ['module', 'main'],
    alias: ESBUILD_ALIAS,
    logLevel: 'warning',
  });
}

/**
 * Each handler bundled with serverless.yml's serverless-esbuild settings (SDK bundled), its size
 * raw and deflated, and the time a fresh node process takes to load it against bare node.
 */
export async function measureColdStarts(
  options: { root: string; outDir: string; repeats: number },
  progress: (line: string) => void,
): Promise<ColdStart[]> {
  const results: ColdStart[] = [];
  for (const [fn, entry] of Object.entries(FUNCTIONS)) {
    const outfile = join(options.outDir, `${fn}.js`);
    const { metafile } = await bundleFunction(options.root, entry, outfile);
    const code = readFileSync(outfile);
    const bySource = new Map<string, number>();
    for (const output of Object.values(metafile.outputs))
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
        bySource.set(sourceOf(input), (bySource.get(sourceOf(input)) ?? 0) + bytesInOutput);
    const total = [...bySource.values()].reduce((a, b) => a + b, 0);
    const composition = [...bySource]
      .sort(([, a], [, b]) => b - a)
      .map(([source, bytes]) => ({ source, share: bytes / total }));
    const zipped = deflateRawSync(code, { level: constants.Z_BEST_COMPRESSION });
    const deployed = deflateRawSync(code, { level: constants.Z_BEST_SPEED });
    const load = `require(${JSON.stringify(outfile)})`;
    nodeProcessMs('0');
    nodeProcessMs(load); // warms the file cache; not counted
    const bare: number[] = [];
    const loaded: number[] = [];
    for (let i = 0; i < options.repeats; i++) {
      bare.push(nodeProcessMs('0'));
      loaded.push(nodeProcessMs(load));
    }
    const loadMs = median(loaded);
    const bareNodeMs = median(bare);
    const ratios = loaded.map((ms, i) => ms / (bare[i] ?? ms));
    results.push({
      fn,
      bytes: code.length,
      zippedBytes: zipped.length,
      deployedZipBytes: deployed.length,
      loadMs,
      bareNodeMs,
      loadRatio: median(ratios),
      composition,
    });
    progress(`  ${fn}: bundled and loaded ${options.repeats}×`);
  }
  return results;
}
