import { Logger } from '@aws-lambda-powertools/logger';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onRunbook } from '../../functions/on-runbook';
import { IncidentFailedError } from '../../shared/entry-points';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { TEST_CONFIG, TOPICS } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import { seedUserWithKeys, snsEvent } from '../support/seed';

/**
 * One request naming several keys, against the endpoint (stand-in, moto, LocalStack): every key
 * contained as its own incident, run together; and when the invocation's time runs short, the
 * incidents not started end on the record, changing nothing, for Lambda to retry.
 */
let endpoint: Endpoint;

beforeAll(async () => {
  endpoint = await useEndpoint();
});
afterAll(() => endpoint.stop());

function deps(): Deps {
  const logger = new Logger({ serviceName: 'integration', logLevel: 'SILENT' });
  return { clients: endpoint.newClients(), config: TEST_CONFIG, logger };
}

async function keyStatuses(userName: string): Promise<Record<string, string>> {
  const out = await endpoint.clients.iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return Object.fromEntries((out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId, k.Status]));
}

/** Five users with two keys each: the first key of each is named. */
async function fiveUsers() {
  const users = await Promise.all(
    Array.from({ length: 5 }, () => seedUserWithKeys(endpoint.clients)),
  );
  return { users, named: users.map((u) => u.accessKeyIds[0] ?? '') };
}

describe('a runbook request naming several keys', () => {
  it('contains every key it names, one incident each, and no other key', async () => {
    const { users, named } = await fiveUsers();

    const reports = (await contain(
      { runbook: 'contain', accessKeyIds: named, reason: 'keys pasted in a public gist' },
      { awsRequestId: 'many-1' },
      deps(),
    )) as Report[];

    expect(reports.map((r) => [r.incidentId, r.outcome])).toEqual(
      named.map((key) => [`console-many-1-${key}`, 'contained']),
    );
    for (const [i, user] of users.entries()) {
      expect(await keyStatuses(user.userName)).toEqual({
        [named[i] ?? '']: 'Inactive',
        [user.accessKeyIds[1] ?? '']: 'Active',
      });
    }
  });

  it('with too little time left, starts none: each failed on the record, the event retried, nothing changed', async () => {
    const { users, named } = await fiveUsers();
    const event = snsEvent(
      TOPICS.runbookTopicArn,
      { runbook: 'contain', accessKeyIds: named },
      'late-1',
    );

    const failure = await onRunbook(
      event,
      { awsRequestId: 'late-1', getRemainingTimeInMillis: () => 9_000 },
      deps(),
    ).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(IncidentFailedError);
    const reports = (failure as IncidentFailedError).reports;
    expect(reports).toHaveLength(5);
    for (const report of reports) {
      expect(report).toMatchObject({
        outcome: 'failed',
        errorCode: 'DeadlineExceeded',
        actions: [],
      });
    }
    for (const user of users) {
      expect(Object.values(await keyStatuses(user.userName))).toEqual(['Active', 'Active']);
    }
  });
});
