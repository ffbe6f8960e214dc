import { Logger } from '@aws-lambda-powertools/logger';
import { GetRolePolicyCommand, PutRolePolicyCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import type { Config } from '../../shared/config';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { readRevocationPolicy } from '../../shared/revocation/revocation-policy';
import { consoleRevocationPolicy } from '../support/console-policy';
import { TEST_CONFIG } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import {
  inlinePolicy,
  keyStatuses as keyStatusesOf,
  putInlinePolicy,
  userTags as userTagsOf,
} from '../support/iam-state';
import { deniedBy } from '../support/policy-meaning';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  userFindingEvent,
} from '../support/seed';

let endpoint: Endpoint;
let accountId: string;
const context = { awsRequestId: 'principals' };

beforeAll(async () => {
  endpoint = await useEndpoint();
  accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => endpoint.stop());

function deps(config: Partial<Config> = {}, clients = endpoint.newClients()): Deps {
  const logger = new Logger({ serviceName: 'integration', logLevel: 'SILENT' });
  return { clients, config: { ...TEST_CONFIG, ...config }, logger };
}

const one = (result: Report | Report[]): Report =>
  Array.isArray(result) ? (result[0] as Report) : result;

const keyStatuses = (userName: string) => keyStatusesOf(endpoint.clients, userName);
const userPolicy = (userName: string) => inlinePolicy(endpoint.clients, 'user', userName);
const userTags = (userName: string) => userTagsOf(endpoint.clients, userName);

/** A revocation a person set in the console, with a cutoff far in the future. */
async function revokeAsAPerson(kind: 'user' | 'role', name: string) {
  await putInlinePolicy(
    endpoint.clients,
    kind,
    name,
    consoleRevocationPolicy('2099-01-01T00:00:00Z'),
  );
}

describe('an IAM user whose long-term key is stolen', () => {
  it("deactivates the key, revokes the user's older sessions, and marks the user", async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const stolen = accessKeyIds[0] ?? '';

    const [report] = await onFinding(
      userFindingEvent(accountId, userName, stolen),
      context,
      deps(),
    );

    expect(await keyStatuses(userName)).toEqual({ [stolen]: 'Inactive' });
    const policy = await userPolicy(userName);
    const existing = readRevocationPolicy(policy);
    expect(existing.kind).toBe('cutoff');
    const cutoff = existing.kind === 'cutoff' ? existing.cutoff : new Date(0);
    expect(await deniedBy(policy ?? '', accountId, new Date(cutoff.getTime() - 60_000))).toBe(true);
    expect(await deniedBy(policy ?? '', accountId, new Date(cutoff.getTime() + 1000))).toBe(false);
    expect(await deniedBy(policy ?? '', accountId, undefined)).toBe(false);
    expect(await userTags(userName)).toEqual({
      [`credential-responder:deactivated:${stolen}`]: expect.stringMatching(
        new RegExp(`^${report?.incidentId} \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$`),
      ),
    });
  });

  it('keeps a later cutoff a person set on the user', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    await revokeAsAPerson('user', userName);

    await onFinding(userFindingEvent(accountId, userName, accessKeyIds[0] ?? ''), context, deps());

    expect(readRevocationPolicy(await userPolicy(userName))).toMatchObject({
      cutoff: new Date('2099-01-01T00:00:00Z'),
    });
  });

  it("revokes a user's sessions when the stolen key is one of its session tokens", async () => {
    const { userName, userId, accessKeyIds, secrets } = await seedUserWithKeys(endpoint.clients, 1);
    const longTerm = accessKeyIds[0] ?? '';
    const asUser = endpoint.clientsFor({
      accessKeyId: longTerm,
      secretAccessKey: secrets[0] ?? '',
    });
    const token = await asUser.sts.send(new GetSessionTokenCommand({}));
    const sessionKey = token.Credentials?.AccessKeyId ?? '';

    const [report] = await onFinding(
      userFindingEvent(accountId, userName, sessionKey, userId),
      context,
      deps(),
    );

    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [{ name: 'revoke-user-sessions', status: 'verified' }],
      notes: expect.arrayContaining([expect.stringMatching(/probably stolen too/)]),
    });
    expect(readRevocationPolicy(await userPolicy(userName)).kind).toBe('cutoff');
    expect(await keyStatuses(userName)).toEqual({ [longTerm]: 'Active' });
  });
});

describe('protected principals', () => {
  it('never touches a user tagged credential-responder:protected', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    await endpoint.clients.iam.send(
      new TagUserCommand({
        UserName: userName,
        Tags: [{ Key: 'credential-responder:protected', Value: 'true' }],
      }),
    );

    const [report] = await onFinding(
      userFindingEvent(accountId, userName, accessKeyIds[0] ?? ''),
      context,
      deps(),
    );

    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/tagged credential-responder:protected=true/),
    });
    expect(await keyStatuses(userName)).toEqual({ [accessKeyIds[0] ?? '']: 'Active' });
    expect(await userPolicy(userName)).toBeUndefined();
  });

  it('never touches a principal matched by PROTECTED_PRINCIPALS', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const config = { protectedPrincipals: [`arn:aws:iam::*:user/${userName.slice(0, 8)}*`] };

    const report = one(
      await contain(
        { runbook: 'contain', accessKeyId: accessKeyIds[0] ?? '' },
        context,
        deps(config),
      ),
    );

    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/PROTECTED_PRINCIPALS/),
    });
    expect(await keyStatuses(userName)).toEqual({ [accessKeyIds[0] ?? '']: 'Active' });
  });

  it('never revokes the role the responder itself runs as', async () => {
    const session = await seedRoleSession(endpoint.clients);
    const responder = deps({}, endpoint.clientsFor(session.credentials));

    const [report] = await onFinding(
      roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId),
      context,
      responder,
    );

    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/responder's own identity/),
    });
  });
});

describe('dry run', () => {
  it('plans from DRY_RUN and changes nothing', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);

    const [report] = await onFinding(
      userFindingEvent(accountId, userName, accessKeyIds[0] ?? ''),
      context,
      deps({ dryRun: true }),
    );

    expect(report).toMatchObject({
      outcome: 'planned',
      dryRun: true,
      actions: [
        { name: 'deactivate-access-key', status: 'planned' },
        { name: 'record-deactivation', status: 'planned' },
        { name: 'revoke-user-sessions', status: 'planned' },
      ],
    });
    expect(await keyStatuses(userName)).toEqual({ [accessKeyIds[0] ?? '']: 'Active' });
    expect(await userPolicy(userName)).toBeUndefined();
    expect(await userTags(userName)).toEqual({});
  });

  it('plans from "dryRun": true in a console request', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);

    const report = one(
      await contain(
        { runbook: 'contain', accessKeyId: accessKeyIds[0] ?? '', dryRun: true },
        context,
        deps(),
      ),
    );

    expect(report.outcome).toBe('planned');
    expect(await keyStatuses(userName)).toEqual({ [accessKeyIds[0] ?? '']: 'Active' });
  });
});

describe('release', () => {
  const release = (body: Record<string, unknown>, config: Partial<Config> = {}) =>
    contain({ runbook: 'release', reason: 'false positive', ...body }, context, deps(config)).then(
      one,
    );

  it('undoes what the incident did to a user: key, revocation and record', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 2);
    const [stolen = '', other = ''] = accessKeyIds;
    const [contained] = await onFinding(
      userFindingEvent(accountId, userName, stolen),
      context,
      deps(),
    );

    const report = await release({ incidentId: contained?.incidentId, accessKeyId: stolen });

    expect(report).toMatchObject({ outcome: 'released', principal: { name: userName } });
    expect(await keyStatuses(userName)).toEqual({ [stolen]: 'Active', [other]: 'Active' });
    expect(await userPolicy(userName)).toBeUndefined();
    expect(await userTags(userName)).toEqual({});
  });

  it('undoes a role revocation by role name and incident', async () => {
    const session = await seedRoleSession(endpoint.clients);
    const [contained] = await onFinding(
      roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId),
      context,
      deps(),
    );

    const report = await release({ incidentId: contained?.incidentId, roleName: session.roleName });

    expect(report).toMatchObject({
      outcome: 'released',
      actions: [{ name: 'restore-role-session-revocation', status: 'verified' }],
    });
  });

  it("puts back a person's earlier revocation instead of deleting it", async () => {
    const session = await seedRoleSession(endpoint.clients);
    const persons = consoleRevocationPolicy('2020-01-01T00:00:00Z');
    await endpoint.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: session.roleName,
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: persons,
      }),
    );
    const [contained] = await onFinding(
      roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId),
      context,
      deps(),
    );

    await release({ incidentId: contained?.incidentId, roleName: session.roleName });

    const after = await endpoint.clients.iam.send(
      new GetRolePolicyCommand({
        RoleName: session.roleName,
        PolicyName: 'AWSRevokeOlderSessions',
      }),
    );
    expect(JSON.parse(decodeURIComponent(after.PolicyDocument ?? '')).Statement).toEqual(
      JSON.parse(persons).Statement,
    );
  });

  it("refuses to remove a role's revocation a person set, and changes nothing", async () => {
    const session = await seedRoleSession(endpoint.clients);
    await revokeAsAPerson('role', session.roleName);

    const report = await release({ incidentId: 'guardduty-made-up', roleName: session.roleName });

    expect(report).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/no session revocation written by incident guardduty-made-up/),
      actions: [],
    });
    const after = await endpoint.clients.iam.send(
      new GetRolePolicyCommand({
        RoleName: session.roleName,
        PolicyName: 'AWSRevokeOlderSessions',
      }),
    );
    expect(readRevocationPolicy(after.PolicyDocument)).toMatchObject({
      cutoff: new Date('2099-01-01T00:00:00Z'),
      statements: [{ by: 'person' }],
    });
  });

  it('refuses to undo what the responder did not do, and changes nothing', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const key = accessKeyIds[0] ?? '';
    const planned = one(
      await contain({ runbook: 'contain', accessKeyId: key, dryRun: true }, context, deps()),
    );
    await revokeAsAPerson('user', userName);

    const report = await release({ incidentId: planned.incidentId, accessKeyId: key });

    expect(report).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/no record that the responder deactivated key/),
      errorCode: null,
    });
    expect(readRevocationPolicy(await userPolicy(userName))).toMatchObject({
      cutoff: new Date('2099-01-01T00:00:00Z'),
    });
  });

  it('refuses without the incident that deactivated the key', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const key = accessKeyIds[0] ?? '';
    await onFinding(userFindingEvent(accountId, userName, key), context, deps());

    const report = await release({ incidentId: 'console-another-incident', accessKeyId: key });

    expect(report).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(
        /was deactivated by incident guardduty-.*, not console-another-incident/,
      ),
    });
    expect(await keyStatuses(userName)).toEqual({ [key]: 'Inactive' });
  });

  it('refuses when a person revoked the sessions again after the responder', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const key = accessKeyIds[0] ?? '';
    const [contained] = await onFinding(
      userFindingEvent(accountId, userName, key),
      context,
      deps(),
    );
    await revokeAsAPerson('user', userName);

    const report = await release({ incidentId: contained?.incidentId, accessKeyId: key });

    expect(report).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/a person revoked .* sessions after incident/),
    });
    expect(await keyStatuses(userName)).toEqual({ [key]: 'Inactive' });
  });

  it("with force, undoes the incident's own changes anyway and keeps the person's revocation", async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const key = accessKeyIds[0] ?? '';
    const contained = one(await contain({ runbook: 'contain', accessKeyId: key }, context, deps()));
    await revokeAsAPerson('user', userName);

    const report = await release({
      incidentId: contained.incidentId,
      accessKeyId: key,
      force: true,
    });

    expect(report.outcome).toBe('released');
    expect(await keyStatuses(userName)).toEqual({ [key]: 'Active' });
    expect(readRevocationPolicy(await userPolicy(userName))).toMatchObject({
      cutoff: new Date('2099-01-01T00:00:00Z'),
      statements: [{ by: 'person' }],
    });
  });
});
