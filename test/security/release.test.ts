import { Logger } from '@aws-lambda-powertools/logger';
import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import { onRunbook } from '../../functions/on-runbook';
import type { AwsClients } from '../../shared/aws-clients';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { consoleRevocationPolicy } from '../support/console-policy';
import { TEST_CONFIG, TOPICS } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import {
  inlinePolicy,
  keyStatuses,
  putInlinePolicy,
  statementsIn,
  userTags,
} from '../support/iam-state';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  snsEvent,
  userFindingEvent,
} from '../support/seed';

/**
 * Attacks 5, 6 and 7 of issue 11: undoing a containment without the right to, a release that loses
 * a person's revocation, and a release proof lost to concurrency or a failed write. Through the
 * real handlers, against the stand-in or AWS_ENDPOINT_URL.
 */
let endpoint: Endpoint;
let accountId: string;
const context = { awsRequestId: 'release-attacks' };

beforeAll(async () => {
  endpoint = await useEndpoint();
  accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => endpoint.stop());

const deps = (clients: AwsClients = endpoint.newClients()): Deps => ({
  clients,
  config: TEST_CONFIG,
  logger: new Logger({ serviceName: 'security', logLevel: 'SILENT' }),
});
const one = (result: Report | Report[]) => (Array.isArray(result) ? result[0] : result) as Report;
const release = async (body: Record<string, unknown>) =>
  one(await contain({ runbook: 'release', reason: 'false positive', ...body }, context, deps()));

/** A user whose key this responder contained, and the report of that containment. */
async function containedUser() {
  const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
  const key = accessKeyIds[0] ?? '';
  const [report] = await onFinding(userFindingEvent(accountId, userName, key), context, deps());
  return { userName, key, incidentId: report?.incidentId ?? '' };
}

describe('attack 5: undoing a containment', () => {
  it('is refused from a topic other than the runbook topic', async () => {
    const { userName, key, incidentId } = await containedUser();
    const request = { runbook: 'release', incidentId, accessKeyId: key, reason: 'x' };

    const [report] = await onRunbook(
      snsEvent(TOPICS.findingsTopicArn, request, 'release-1'),
      context,
      deps(),
    );

    expect(report?.outcome).toBe('failed');
    expect(await keyStatuses(endpoint.clients, userName)).toEqual({ [key]: 'Inactive' });
  });

  it.each([
    ['without the incident id', { runbook: 'release', reason: 'x' }],
    ['without a reason', { runbook: 'release', incidentId: 'INCIDENT' }],
  ])('is refused %s, even from the runbook topic', async (_label, partial) => {
    const { userName, key, incidentId } = await containedUser();
    const request = { ...partial, accessKeyId: key };
    if ('incidentId' in request) request.incidentId = incidentId;

    const [report] = await onRunbook(
      snsEvent(TOPICS.runbookTopicArn, request, 'release-2'),
      context,
      deps(),
    );

    expect(report).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/invalid runbook request/),
    });
    expect(await keyStatuses(endpoint.clients, userName)).toEqual({ [key]: 'Inactive' });
  });

  it("is refused with another incident's id, force or not", async () => {
    const { userName, key } = await containedUser();

    for (const force of [false, true]) {
      const report = await release({
        incidentId: 'guardduty-someone-elses',
        accessKeyId: key,
        force,
      });
      expect(report).toMatchObject({
        outcome: 'failed',
        reason: expect.stringMatching(/not guardduty-someone-elses/),
      });
    }
    expect(await keyStatuses(endpoint.clients, userName)).toEqual({ [key]: 'Inactive' });
  });

  it('never re-enables, even with force, a key a person disabled', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const key = accessKeyIds[0] ?? '';
    await endpoint.clients.iam.send(
      new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: key, Status: 'Inactive' }),
    );

    const report = await release({ incidentId: 'console-anything', accessKeyId: key, force: true });

    expect(report).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/no record/) });
    expect(await keyStatuses(endpoint.clients, userName)).toEqual({ [key]: 'Inactive' });
  });

  it("never deletes a person's revocation, even with force", async () => {
    const session = await seedRoleSession(endpoint.clients);
    const persons = consoleRevocationPolicy('2099-01-01T00:00:00Z');
    await putInlinePolicy(endpoint.clients, 'role', session.roleName, persons);

    const report = await release({
      incidentId: 'console-anything',
      roleName: session.roleName,
      force: true,
    });

    expect(report.outcome).toBe('failed');
    expect(statementsIn(await inlinePolicy(endpoint.clients, 'role', session.roleName))).toEqual(
      JSON.parse(persons).Statement,
    );
  });
});

describe("attack 6: a release that loses a person's revocation", () => {
  it.each(['user', 'role'] as const)(
    "puts a %s's earlier revocation back exactly as the person wrote it",
    async (kind) => {
      const persons = consoleRevocationPolicy('2020-01-01T00:00:00Z');
      let name: string;
      let body: Record<string, unknown>;
      let event: Record<string, unknown>;
      if (kind === 'user') {
        const user = await seedUserWithKeys(endpoint.clients, 1);
        name = user.userName;
        body = { accessKeyId: user.accessKeyIds[0] };
        event = userFindingEvent(accountId, name, user.accessKeyIds[0] ?? '');
      } else {
        const session = await seedRoleSession(endpoint.clients);
        name = session.roleName;
        body = { roleName: name };
        event = roleFindingEvent(accountId, name, session.roleId, session.accessKeyId);
      }
      await putInlinePolicy(endpoint.clients, kind, name, persons);
      const [contained] = await onFinding(event, context, deps());
      expect(statementsIn(await inlinePolicy(endpoint.clients, kind, name))).toHaveLength(2);

      const report = await release({ incidentId: contained?.incidentId, ...body });

      expect(report.outcome).toBe('released');
      expect(statementsIn(await inlinePolicy(endpoint.clients, kind, name))).toEqual(
        JSON.parse(persons).Statement,
      );
    },
  );

  it("releasing one incident keeps another incident's revocation of the same role", async () => {
    const session = await seedRoleSession(endpoint.clients);
    const first = roleFindingEvent(
      accountId,
      session.roleName,
      session.roleId,
      session.accessKeyId,
    );
    await onFinding(first, context, deps());
    // The first cutoff has passed by the time a second finding arrives: it writes its own.
    const later = structuredClone(first);
    later.detail.id = 'example0second0finding0000001';
    const clock = () => Date.now() + 60_000;
    const [second] = await onFinding(later, context, { ...deps(), clock });

    await release({ incidentId: second?.incidentId, roleName: session.roleName });

    const left = statementsIn(await inlinePolicy(endpoint.clients, 'role', session.roleName));
    expect(left).toHaveLength(1);
    expect(JSON.stringify(left)).toContain('CredentialResponder');
  });
});

describe('attack 7: a release proof lost', () => {
  it('keeps both records when both keys of a user are contained at once, and releases each', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 2);
    const [a = '', b = ''] = accessKeyIds;
    const eventA = userFindingEvent(accountId, userName, a);
    const eventB = userFindingEvent(accountId, userName, b);
    eventB.detail.id = 'example0second0key0finding001';

    const [[reportA], [reportB]] = await Promise.all([
      onFinding(eventA, context, deps()),
      onFinding(eventB, context, deps()),
    ]);

    expect(Object.keys(await userTags(endpoint.clients, userName)).sort()).toEqual(
      [`credential-responder:deactivated:${a}`, `credential-responder:deactivated:${b}`].sort(),
    );
    expect((await release({ incidentId: reportA?.incidentId, accessKeyId: a })).outcome).toBe(
      'released',
    );
    // Key b is still held: the user's session revocation stays with it.
    expect(await keyStatuses(endpoint.clients, userName)).toEqual({
      [a]: 'Active',
      [b]: 'Inactive',
    });
    expect(await inlinePolicy(endpoint.clients, 'user', userName)).toBeDefined();
    expect((await release({ incidentId: reportB?.incidentId, accessKeyId: b })).outcome).toBe(
      'released',
    );
    expect(await keyStatuses(endpoint.clients, userName)).toEqual({ [a]: 'Active', [b]: 'Active' });
    expect(await userTags(endpoint.clients, userName)).toEqual({});
  });

  it('keeps the record when the revocation write fails after the deactivation, so the retry and release work', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const key = accessKeyIds[0] ?? '';
    const event = userFindingEvent(accountId, userName, key);
    const failing = endpoint.newClients();
    failing.iam.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutUserPolicyCommand') {
          throw Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failPutUserPolicy' },
    );

    await expect(onFinding(event, context, deps(failing))).rejects.toThrow(/ServiceUnavailable/);
    expect(await keyStatuses(endpoint.clients, userName)).toEqual({ [key]: 'Inactive' });
    const [retried] = await onFinding(event, context, deps()); // Lambda's retry

    expect(retried?.outcome).toBe('contained');
    expect((await release({ incidentId: retried?.incidentId, accessKeyId: key })).outcome).toBe(
      'released',
    );
    expect(await keyStatuses(endpoint.clients, userName)).toEqual({ [key]: 'Active' });
    expect(await inlinePolicy(endpoint.clients, 'user', userName)).toBeUndefined();
  });
});
