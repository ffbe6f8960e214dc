import { Logger } from '@aws-lambda-powertools/logger';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import consoleEvent from '../../events/console-contain-key.json';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import { MemberCredentialsCache } from '../../shared/accounts/member-credentials';
import { type AwsClients, createAwsClients } from '../../shared/aws-clients';
import { type Config, loadConfig } from '../../shared/config';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { type StandIn, standInAdmin, startStandIn } from '../../test/stand-in/server';
import { clientsAt } from '../../test/support/endpoint';
import {
  roleFindingEvent,
  seedMemberRole,
  seedRoleSession,
  seedUserWithKeys,
  userFindingEvent,
} from '../../test/support/seed';
import { record, roundTripsBeforeWrite, track } from './round-trips';

const MEMBER = '210987654321';
const MEMBER_ROLE = 'credential-responder-member';
const EXTERNAL_ID = 'incident-response-7f3a';
const RESPONDER_KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'bench' };

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

interface Bench {
  standIn: StandIn;
  config: Config;
  /** Seeding clients (not the responder's): their calls are never counted. */
  own: AwsClients;
  member: AwsClients;
  ownAccount: string;
}

async function setUp(latencyMs: number): Promise<Bench> {
  const standIn = await startStandIn({ port: 0, latencyMs });
  // The responder builds its clients the way it does in Lambda (createAwsClients: endpoint and
  // credentials from the environment, the production retry settings).
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: standIn.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: RESPONDER_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: RESPONDER_KEY.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const own = clientsAt(standIn.url, RESPONDER_KEY, 1);
  const member = clientsAt(standIn.url, standInAdmin(standIn).rootCredentials(MEMBER), 1);
  const ownAccount = (await own.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  await seedMemberRole(member, ownAccount, MEMBER_ROLE, EXTERNAL_ID);
  // Deployed, every report is published to the stack's topic: that Publish is part of apiCalls.
  const topic = await own.sns.send(new CreateTopicCommand({ Name: 'credential-responder-bench' }));
  // The deployed settings (serverless.yml): a member role, an allowed member account, a topic.
  const config = loadConfig({
    MEMBER_ROLE_NAME: MEMBER_ROLE,
    MEMBER_ROLE_EXTERNAL_ID: EXTERNAL_ID,
    ALLOWED_ACCOUNT_IDS: MEMBER,
    NOTIFICATION_TOPIC_ARN: topic.TopicArn ?? '',
  });
  return { standIn, config, own, member, ownAccount };
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

/** A Lambda container's dependencies: what `defaultDeps()` builds, with the bench's config. */
function containerDeps(b: Bench): Deps {
  const clients = track(createAwsClients());
  const members = new MemberCredentialsCache(
    clients.sts,
    { roleName: MEMBER_ROLE, externalId: EXTERNAL_ID },
    (credentials) => track(createAwsClients(credentials)),
  );
  const logger = new Logger({ serviceName: 'credential-responder-bench', logLevel: 'SILENT' });
  return { clients, config: b.config, logger, members };
}

async function inBatches<T>(count: number, size: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) {
    const n = Math.min(size, count - out.length);
    out.push(...(await Promise.all(Array.from({ length: n }, make))));
  }
  return out;
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
  const b = await setUp(options.latencyMs);
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
