/**
 * npm run bench:load [-- onFinding] [-- --runs 21]: what a function's load spends its time on.
 * `require` of the deployed (minified) bundle in a fresh process, and the top level of every
 * module in it: the same bundle unminified, a timer between each module's section (esbuild marks
 * each with a `// path` comment), loaded in fresh processes. A module's figure includes what its
 * top level runs first: the builtins it requires (`node:crypto`, `node:https`), zod's code compiled
 * on first use. Compiling the bundle itself is the difference between the two totals.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleFunction, FUNCTIONS, median } from './cold-start';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '21' }, top: { type: 'string', default: '20' } },
  allowPositionals: true,
});
const fn = (positionals[0] ?? 'onFinding') as keyof typeof FUNCTIONS;
if (!(fn in FUNCTIONS)) {
  console.error(`usage: npm run bench:load -- [${Object.keys(FUNCTIONS).join('|')}] [--runs 21]`);
  process.exit(2);
}
const runs = Number(values.runs);
const root = process.cwd();
const out = join(root, '.bench', 'load');
mkdirSync(out, { recursive: true });

/** Runs `code` in a fresh node process; its stdout parsed as JSON. */
function inFreshProcess<T>(code: string): T {
  const run = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as T;
}

/** The bundle with a timer between the top levels of its modules; what it records goes to `globalThis.__load`. */
function instrument(bundle: string): string {
  const lines = ['globalThis.__load={};let __at=performance.now(),__in="(bundle prelude)";'];
  const lap =
    'globalThis.__load[__in]=(globalThis.__load[__in]||0)+performance.now()-__at;__at=performance.now();';
  for (const line of bundle.split('\n')) {
    const source = /^\/\/ ((?:node_modules|shared|functions)\/\S+)$/.exec(line)?.[1];
    if (source) lines.push(`{${lap}__in=${JSON.stringify(source)};}`);
    lines.push(line);
  }
  lines.push(`{${lap}}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const minified = join(out, `${fn}.js`);
  const readable = join(out, `${fn}.unminified.js`);
  const timed = join(out, `${fn}.timed.js`);
  await bundleFunction(root, FUNCTIONS[fn], minified);
  await bundleFunction(root, FUNCTIONS[fn], readable, false);
  writeFileSync(timed, instrument(readFileSync(readable, 'utf8')));

  const requireMs: number[] = [];
  const sections: Record<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    requireMs.push(
      inFreshProcess<number>(
        `const t=performance.now();require(${JSON.stringify(minified)});console.log(performance.now()-t)`,
      ),
    );
    sections.push(
      inFreshProcess<Record<string, number>>(
        `require(${JSON.stringify(timed)});console.log(JSON.stringify(globalThis.__load))`,
      ),
    );
  }
  const names = new Set(sections.flatMap((s) => Object.keys(s)));
  const perModule = [...names]
    .map((name) => ({ name, ms: median(sections.map((s) => s[name] ?? 0)) }))
    .sort((a, b) => b.ms - a.ms);
  const topLevel = median(sections.map((s) => Object.values(s).reduce((a, b) => a + b, 0)));

  console.log(
    `${fn}: require of the deployed bundle ${median(requireMs).toFixed(1)} ms (median of ${runs} fresh processes)`,
  );
  console.log(
    `top level of its modules (unminified, timed): ${topLevel.toFixed(1)} ms; the largest:`,
  );
  for (const { name, ms } of perModule.slice(0, Number(values.top)))
    console.log(`  ${ms.toFixed(2).padStart(6)} ms  ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
