/**
 * npm run bench: how fast the responder contains a key, and what each function costs to start.
 *   npm run bench [-- --runs 30] [-- --latency-ms 40] [-- --json] [-- --smoke]
 * Incidents run the real handlers against the local stand-in with a per-call latency; cold
 * starts bundle each handler as serverless.yml does. See BENCHMARKS.md for the method.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEADLINE_RESERVE_MS } from '../../shared/respond-all';
import { type BigEventResult, runBigEvent } from './big-event';
import { type BurstResult, runBurst } from './burst';
import { type ColdStart, measureColdStarts } from './cold-start';
import { type FaultRunResult, runFaults } from './faults';
import { type IncidentRun, runIncidents, type ScenarioResult } from './incidents';
import { MAX_RETRIES, TIMEOUT_MS } from './lambda-async';

const GOALS = {
  roundTrips: 2,
  roundTripsCrossAccountCold: 3,
  /** Issue 15's targets: as `osls package` zips a function, and its load against bare node. */
  zippedBytes: 140 * 1024,
  loadRatio: 1.6,
  burstWallOverIdeal: 1.5,
};

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    'latency-ms': { type: 'string', default: '40' },
    json: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs ?? (values.smoke ? 3 : 30));
const latencyMs = Number(values['latency-ms']);
const repeats = values.smoke ? 3 : 21;
/** The issue's burst and fault runs; the smoke run makes them smaller (a check, not a figure). */
const burst = {
  findings: values.smoke ? 100 : 500,
  principals: 50,
  concurrency: 20,
  writeRps: 10,
  latencyMs,
  seeds: values.smoke ? [1] : [1, 2, 3, 4, 5],
};
const faults = {
  incidents: values.smoke ? 100 : 1000,
  concurrency: 20,
  throttling: 0.2,
  serverError: 0.05,
  dropped: 0.01,
  latencyMs,
  seed: 1,
};
/**
 * One Health event naming every key of 100 users (2 each), invoked with the deployed timeout as
 * its budget. An incident starts only with DEADLINE_RESERVE_MS (15 s) left, so the smoke run's
 * 20 keys get the reserve + 2 s: about 2 s in which incidents start, short enough that some don't.
 */
const bigEvent = {
  users: values.smoke ? 10 : 100,
  keysPerUser: 2,
  latencyMs,
  writeRps: 10,
  budgetMs: values.smoke ? DEADLINE_RESERVE_MS + 2_000 : TIMEOUT_MS,
};
if (!Number.isInteger(runs) || runs < 1 || !(latencyMs >= 0)) {
  console.error('usage: npm run bench -- [--runs 30] [--latency-ms 40] [--json] [--smoke]');
  process.exit(2);
}

/** Nearest-rank percentile: with 30 runs, p99 is the slowest run. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

function range(values: number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

function summarise(result: ScenarioResult) {
  const numbers = (pick: (r: IncidentRun) => number | null) =>
    result.runs.map(pick).filter((v): v is number => v !== null);
  const containMs = numbers((r) => r.containMs);
  const roundTrips = range(numbers((r) => r.roundTrips));
  const crossCold = result.scenario.startsWith('cross-account') && result.mode === 'cold';
  const goal = crossCold ? GOALS.roundTripsCrossAccountCold : GOALS.roundTrips;
  const p50 = percentile(containMs, 0.5);
  return {
    scenario: result.scenario,
    mode: result.mode,
    runs: result.runs.length,
    contained: result.runs.filter((r) => r.outcome === 'contained').length,
    roundTrips,
    roundTripsGoal: goal,
    roundTripsMet: roundTrips.max <= goal,
    apiCalls: range(numbers((r) => r.apiCalls)),
    /** The first measured incident's calls, per action. */
    callsByAction: result.runs[0]?.callsByAction ?? {},
    containMsP50: p50,
    containMsP99: percentile(containMs, 0.99),
    /** containMs p50 in units of the injected per-call latency: ≈ sequential calls. */
    p50InLatencies: latencyMs > 0 ? p50 / latencyMs : null,
  };
}

function summariseColdStart(c: ColdStart) {
  return {
    ...c,
    deployedZipMet: c.deployedZipBytes <= GOALS.zippedBytes,
    loadRatioMet: c.loadRatio <= GOALS.loadRatio,
  };
}

function summariseBurst(result: BurstResult) {
  const ratio = result.wallMs / result.idealMs;
  return {
    seed: result.options.seed,
    findings: result.total,
    principals: result.options.principals,
    contained: result.contained,
    alreadyContained: result.alreadyContained,
    failedOnRecord: result.failedOnRecord,
    lost: result.lost,
    other: result.other,
    writesPerPrincipal: result.writesPerPrincipal,
    iamWrites: result.iamWrites,
    throttled: result.throttled,
    sdkRetries: result.sdkRetries,
    lambdaRetries: result.attempts - result.total,
    wallMs: Math.round(result.wallMs),
    idealMs: result.idealMs,
    wallOverIdeal: Number(ratio.toFixed(2)),
    met: result.contained === result.total && ratio <= GOALS.burstWallOverIdeal,
  };
}

function summariseFaults(result: FaultRunResult) {
  return {
    incidents: result.total,
    contained: result.contained,
    failedOnRecord: result.failedOnRecord,
    lost: result.lost,
    other: result.other,
    injected: result.injected,
    requests: result.requests,
    sdkRetries: result.sdkRetries,
    lambdaRetries: result.attempts - result.total,
    wallMs: Math.round(result.wallMs),
    met: result.lost === 0 && result.contained + result.failedOnRecord === result.total,
  };
}

function summariseBigEvent(result: BigEventResult) {
  const last = result.invocations[result.invocations.length - 1];
  return {
    ...result,
    containedAtEnd: last?.contained ?? 0,
    /** Keys whose last report failed: Lambda hands the event to the on-failure destination. */
    failedAtEnd: last?.threw ? last.failed : 0,
    deadlineBit: result.invocations.some((i) => i.failedDeadline > 0),
    lost: result.invocations.reduce((n, i) => n + i.lost, 0),
  };
}

const mark = (met: boolean) => (met ? 'met' : 'NOT MET');
const span = ({ min, max }: { min: number; max: number }) =>
  min === max ? String(min) : `${min}–${max}`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<number> {
  const started = Date.now();
  const progress = values.json ? () => undefined : (line: string) => console.error(line);
  const root = process.cwd();
  const outDir = join(root, '.bench', 'functions');
  mkdirSync(outDir, { recursive: true });
  // Build output only: keep it out of git and out of `biome check .`.
  writeFileSync(join(root, '.bench', '.gitignore'), '*\n');

  progress(`incidents: ${runs} per scenario and mode, ${latencyMs} ms per AWS call`);
  const incidents = (await runIncidents({ runs, latencyMs }, progress)).map(summarise);
  progress(`burst: ${burst.seeds.length} run(s)`);
  const bursts = [];
  for (const seed of burst.seeds)
    bursts.push(summariseBurst(await runBurst({ ...burst, seed }, progress)));
  // Each seed is another order of the same findings; the median is the figure, the rows its spread.
  const burstMedian = percentile(
    bursts.map((r) => r.wallOverIdeal),
    0.5,
  );
  progress('faults');
  const faultRun = summariseFaults(await runFaults(faults, progress));
  progress('big event');
  const big = summariseBigEvent(await runBigEvent(bigEvent, progress));
  progress(`cold starts: ${repeats} loads per function`);
  const coldStarts = (await measureColdStarts({ root, outDir, repeats }, progress)).map(
    summariseColdStart,
  );
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  };
  const failures = [
    ...incidents.filter((s) => s.contained !== s.runs),
    ...bursts.filter((b) => b.contained !== b.findings),
    ...(faultRun.met ? [] : [faultRun]),
    ...(big.lost === 0 ? [] : [big]),
  ];
  const seconds = (Date.now() - started) / 1000;

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          options: { runs, latencyMs, repeats },
          machine,
          goals: GOALS,
          incidents,
          burst: {
            options: burst,
            runs: bursts,
            medianWallOverIdeal: burstMedian,
            met:
              burstMedian <= GOALS.burstWallOverIdeal &&
              bursts.every((r) => r.contained === r.findings),
          },
          faults: faultRun,
          bigEvent: big,
          coldStarts,
          seconds,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(
      `\nIncidents: ${runs} per row, one at a time, ${latencyMs} ms added to every AWS call\n`,
    );
    console.log(
      table(
        [
          'scenario',
          'mode',
          'contained',
          'roundTrips',
          'goal',
          'apiCalls',
          'containMs p50',
          'p99',
          'p50 ÷ latency',
        ],
        incidents.map((s) => [
          s.scenario,
          s.mode,
          `${s.contained}/${s.runs}`,
          span(s.roundTrips),
          `≤ ${s.roundTripsGoal}: ${mark(s.roundTripsMet)}`,
          span(s.apiCalls),
          s.containMsP50.toFixed(0),
          s.containMsP99.toFixed(0),
          s.p50InLatencies === null ? '-' : s.p50InLatencies.toFixed(1),
        ]),
      ),
    );
    console.log('\napiCalls per action (first measured incident of each row):');
    for (const s of incidents) {
      const actions = Object.entries(s.callsByAction).map(([a, n]) => (n > 1 ? `${a}×${n}` : a));
      console.log(`  ${s.scenario}, ${s.mode}: ${actions.join(' ')}`);
    }
    console.log(
      `\nBurst: ${burst.findings} findings for ${burst.principals} roles at once, ${burst.concurrency} containers, IAM writes ≤ ${burst.writeRps}/s (Throttling beyond), ${latencyMs} ms per call\n`,
    );
    console.log(
      table(
        [
          'seed',
          'contained',
          'already',
          'writes/principal (min–max, mean)',
          'PutRolePolicy',
          'throttled',
          'SDK retries',
          'Lambda retries',
          'wall ms',
          'ideal ms',
          'wall ÷ ideal',
          'goal ≤ 1.5',
        ],
        bursts.map((r) => [
          String(r.seed),
          `${r.contained}/${r.findings}`,
          String(r.alreadyContained),
          `${r.writesPerPrincipal.min}–${r.writesPerPrincipal.max}, ${r.writesPerPrincipal.mean.toFixed(2)}`,
          String(r.iamWrites.PutRolePolicy ?? 0),
          String(r.throttled),
          String(r.sdkRetries),
          String(r.lambdaRetries),
          String(r.wallMs),
          String(r.idealMs),
          r.wallOverIdeal.toFixed(2),
          mark(r.met),
        ]),
      ),
    );
    console.log(
      `\nMedian wall ÷ ideal over ${bursts.length} order(s): ${burstMedian.toFixed(2)} (goal ≤ ${GOALS.burstWallOverIdeal}: ${mark(burstMedian <= GOALS.burstWallOverIdeal)})`,
    );
    console.log(
      `\nFaults: ${faults.incidents} incidents (one principal each), ${faults.concurrency} containers, every request: ${faults.throttling * 100}% Throttling, ${faults.serverError * 100}% HTTP 500, ${faults.dropped * 100}% dropped connection\n`,
    );
    console.log(
      table(
        [
          'contained',
          'failed on record',
          'lost',
          'injected (throttling / 500 / dropped)',
          'requests',
          'SDK retries',
          'Lambda retries',
          'wall ms',
          'goal: 0 lost',
        ],
        [
          [
            `${faultRun.contained}/${faultRun.incidents}`,
            String(faultRun.failedOnRecord),
            String(faultRun.lost),
            `${faultRun.injected.throttling} / ${faultRun.injected.serverError} / ${faultRun.injected.dropped}`,
            String(faultRun.requests),
            String(faultRun.sdkRetries),
            String(faultRun.lambdaRetries),
            String(faultRun.wallMs),
            mark(faultRun.met),
          ],
        ],
      ),
    );
    console.log(
      `\nBig event: one AWS Health event naming ${big.keys} keys of ${bigEvent.users} users, IAM writes ≤ ${bigEvent.writeRps}/s (Throttling beyond), ${latencyMs} ms per call; each invocation starts with ${bigEvent.budgetMs} ms left, none started with < ${DEADLINE_RESERVE_MS} ms; Lambda retries the event at most ${MAX_RETRIES} times\n`,
    );
    console.log(
      table(
        [
          'keys',
          'users',
          'invocation',
          'contained (new, already)',
          'failed on record (deadline)',
          'lost',
          'wall ms',
          'budget',
          'IAM writes',
          'throttled',
          'write calls given up (1st attempt)',
          'writes on keys contained before',
        ],
        big.invocations.map((i) => {
          const gaveUp = Object.values(i.writesGivenUp).reduce((a, n) => a + n, 0);
          return [
            String(big.keys),
            String(bigEvent.users),
            String(i.invocation),
            `${i.contained}/${big.keys} (${i.newlyContained}, ${i.alreadyContained})`,
            `${i.failed} (${i.failedDeadline})`,
            String(i.lost),
            String(i.wallMs),
            `${i.budgetMs}: ${i.withinBudget ? 'within' : 'OVER'}`,
            String(Object.values(i.iamWrites).reduce((a, n) => a + n, 0)),
            String(i.throttled),
            `${gaveUp} (${i.writesGivenUp[1] ?? 0})`,
            i.invocation === 1
              ? '-'
              : `${i.writesOnContainedBefore.reports} (${i.writesOnContainedBefore.wire} on the wire)`,
          ];
        }),
      ),
    );
    for (const i of big.invocations) {
      const writes = Object.entries(i.iamWrites).map(([a, n]) => `${a}×${n}`);
      const before = Object.entries(i.actionsOnContainedBefore).map(([st, n]) => `${st}×${n}`);
      const other = [
        ...Object.entries(i.failedOther).map(([code, n]) => `failed ${code}: ${n}`),
        ...Object.entries(i.other).map(([outcome, n]) => `${outcome}: ${n}`),
      ];
      console.log(
        `  invocation ${i.invocation}: ${writes.join(' ')}${other.length > 0 ? `; ${other.join(', ')}` : ''}${before.length > 0 ? `; actions of keys contained before: ${before.join(' ')}` : ''}${i.threw ? '; threw IncidentFailedError' : ''}`,
      );
    }
    console.log(
      `\nAll ${big.keys} on the record each invocation, none lost, within the budget, the retry writes only for unfinished keys: ${mark(big.met)}`,
    );
    console.log(
      `Contained after ${big.invocations.length} invocation(s): ${big.containedAtEnd}/${big.keys} (${big.inactiveAtEnd} keys Inactive in IAM); ${big.failedAtEnd} failed on record to the on-failure destination; deadline reached: ${big.deadlineBit ? 'yes' : 'no'}`,
    );
    console.log(
      `\nCold start: serverless.yml's esbuild settings, ${repeats} fresh processes each (ms: medians; ratio: median of interleaved pairs)\n`,
    );
    console.log(
      table(
        [
          'function',
          'bundle',
          'deflate -9',
          'as deployed (deflate -1)',
          'goal ≤ 140 KiB',
          'load ms',
          'bare node ms',
          'ratio',
          'goal ≤ 1.6×',
        ],
        coldStarts.map((c) => [
          c.fn,
          kb(c.bytes),
          kb(c.zippedBytes),
          kb(c.deployedZipBytes),
          mark(c.deployedZipMet),
          c.loadMs.toFixed(0),
          c.bareNodeMs.toFixed(0),
          `${c.loadRatio.toFixed(2)}×`,
          mark(c.loadRatioMet),
        ]),
      ),
    );
    console.log('\nBundle composition (share of minified bytes, esbuild metafile):');
    for (const c of coldStarts) {
      const top = c.composition
        .slice(0, 5)
        .map((p) => `${p.source} ${(p.share * 100).toFixed(1)}%`);
      console.log(`  ${c.fn}: ${top.join(', ')}`);
    }
    console.log(
      `\nnode ${machine.node}, ${machine.cpus} × ${machine.cpuModel}; ${seconds.toFixed(1)} s`,
    );
    if (failures.length > 0)
      console.log(`\n${failures.length} row(s) had incidents that were not contained or were lost`);
  }
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
