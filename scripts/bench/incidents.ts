import consoleEvent from '../../events/console-contain-key.json';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  userFindingEvent,
} from '../../test/support/seed';
import { inBatches } from './pool';
import { record, roundTripsBeforeWrite } from './round-trips';
import { type Bench, containerDeps, MEMBER, setUp } from './setup';

export type Mode = 'cold' | 'warm';

export interface IncidentRun {
  outcome: string;
  roundTrips: number | null;
  apiCalls: number;
  /** The stand-in's count per action (requests received, retries included). */
  callsByAction: Record<string, number>;
  containMs: number | null;
}

export interface ScenarioResult {
  scenario: string;
  mode: Mode;
  runs: IncidentRun[];
}

interface Prepared {
  invoke: 'onFinding' | 'contain';
  event: unknown;
}

interface Scenario {
  name: string;
  seed(): Promise<Prepared>;
}

function scenarios(b: Bench): Scenario[] {
  return [
    {
      name: 'finding AKIA (IAM user)',
      async seed() {
        const { userName, accessKeyIds } = await seedUserWithKeys(b.own, 1);
        return {
          invoke: 'onFinding',
          event: userFindingEvent(b.ownAccount, userName, accessKeyIds[0] ?? ''),
        };
      },
    },
    {
      name: 'finding ASIA (assumed role)',
      async seed() {
        const session = await seedRoleSession(b.own);
        const event = roleFindingEvent(
          b.ownAccount,
          session.roleName,
          session.roleId,
          session.accessKeyId,
        );
        return { invoke: 'onFinding', event };
      },
    },
    {
      name: 'finding ASIA (EC2 instance)',
      async seed() {
        const sessionName = 'i-0123456789abcdef0';
        const session = await seedRoleSession(b.own, { sessionName });
        const event = roleFindingEvent(
          b.ownAccount,
          session.roleName,
          session.roleId,
          session.accessKeyId,
          sessionName,
        );
        return { invoke: 'onFinding', event };
      },
    },
    {
      name: 'bare AKIA key (runbook)',
      async seed() {
        const { accessKeyIds } = await seedUserWithKeys(b.own, 1);
        return {
          invoke: 'contain',
          event: { ...consoleEvent, accessKeyId: accessKeyIds[0] ?? '' },
        };
      },
    },
    {
      name: 'cross-account AKIA finding',
      async seed() {
        const { userName, accessKeyIds } = await seedUserWithKeys(b.member, 1);
        return {
          invoke: 'onFinding',
          event: userFindingEvent(MEMBER, userName, accessKeyIds[0] ?? ''),
        };
      },
    },
  ];
}

async function runOne(b: Bench, prepared: Prepared, deps: Deps, i: number): Promise<IncidentRun> {
  const recorder = record();
  b.standIn.resetCalls();
  const context = { awsRequestId: `bench-${i}` };
  const result =
    prepared.invoke === 'onFinding'
      ? await onFinding(prepared.event, context, deps)
      : await contain(prepared.event, context, deps);
  const reports: Report[] = Array.isArray(result) ? result : [result];
  const report = reports[0];
  let apiCalls = 0;
  for (const n of b.standIn.calls.values()) apiCalls += n;
  return {
    outcome: reports.length === 1 && report ? report.outcome : `${reports.length} reports`,
    roundTrips: roundTripsBeforeWrite(recorder.calls),
    apiCalls,
    callsByAction: Object.fromEntries([...b.standIn.calls].sort(([a], [c]) => a.localeCompare(c))),
    containMs: report?.containMs ?? null,
  };
}

/**
 * Every scenario cold (fresh clients and member cache per incident: the first incident of a
 * container) and warm (one container's deps, reused after an unmeasured first incident). Each
 * incident contains a freshly seeded principal; incidents run one at a time.
 */
export async function runIncidents(
  options: { runs: number; latencyMs: number },
  progress: (line: string) => void,
): Promise<ScenarioResult[]> {
  const b = await setUp({ latencyMs: options.latencyMs });
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios(b)) {
      for (const mode of ['cold', 'warm'] as const) {
        const count = options.runs + (mode === 'warm' ? 1 : 0);
        const prepared = await inBatches(count, 8, () => scenario.seed());
        const warm = mode === 'warm' ? containerDeps(b) : undefined;
        const runs: IncidentRun[] = [];
        for (const [i, p] of prepared.entries()) {
          const run = await runOne(b, p, warm ?? containerDeps(b), i);
          if (!(warm && i === 0)) runs.push(run);
        }
        results.push({ scenario: scenario.name, mode, runs });
        progress(`  ${scenario.name}, ${mode}: ${runs.length} incidents`);
      }
    }
  } finally {
    await b.standIn.stop();
  }
  return results;
}
