import { Logger } from '@aws-lambda-powertools/logger';
import {
  GetRolePolicyCommand,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import { onRunbook } from '../../functions/on-runbook';
import type { Deps } from '../../shared/respond';
import { readRevocationPolicy, revocationPolicy } from '../../shared/revocation/revocation-policy';
import { consoleRevocationPolicy } from '../support/console-policy';
import { loadEvent, TEST_CONFIG } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import { deniedBy } from '../support/policy-meaning';
import { trackRoundTrips } from '../support/round-trips';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  userFindingEvent,
} from '../support/seed';

let endpoint: Endpoint;
let accountId: string;
const context = { awsRequestId: 'integration' };

beforeAll(async () => {
  endpoint = await useEndpoint();
  accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => endpoint.stop());

/** Fresh clients per incident, as a new Lambda container would have: nothing cached. */
function deps(): Deps {
  const logger = new Logger({ serviceName: 'integration', logLevel: 'SILENT' });
  return { clients: endpoint.newClients(), config: TEST_CONFIG, logger };
}

async function keyStatuses(userName: string): Promise<Record<string, string>> {
  const out = await endpoint.clients.iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return Object.fromEntries((out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId, k.Status]));
}

async function rolePolicy(roleName: string) {
  const out = await endpoint.clients.iam.send(
    new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'AWSRevokeOlderSessions' }),
  );
  return { raw: out.PolicyDocument ?? '', existing: readRevocationPolicy(out.PolicyDocument) };
}

describe('containing an IAM user key from a GuardDuty finding', () => {
  it('deactivates exactly that key and leaves the other one active', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients);
    const [stolen = '', other = ''] = accessKeyIds;

    const [report] = await onFinding(
      userFindingEvent(accountId, userName, stolen),
      context,
      deps(),
    );

    expect(await keyStatuses(userName)).toEqual({ [stolen]: 'Inactive', [other]: 'Active' });
    expect(report).toMatchObject({
      outcome: 'contained',
      accountId,
      principal: {
        type: 'IAMUser',
        name: userName,
        arn: expect.stringContaining(`:user/${userName}`),
      },
      actions: [
        { name: 'deactivate-access-key', status: 'verified' },
        { name: 'record-deactivation', status: 'verified' },
        { name: 'revoke-user-sessions', status: 'verified' },
      ],
    });
  });

  it('reaches the containing write after one round of lookups', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const incident = deps();
    const calls = trackRoundTrips(incident.clients);

    await onFinding(
      userFindingEvent(accountId, userName, accessKeyIds[0] ?? ''),
      context,
      incident,
    );

    const write = calls.find((c) => c.operation === 'UpdateAccessKeyCommand');
    expect(write?.depth).toBe(2);
    expect(calls.map((c) => c.operation)).not.toContain('ListUsersCommand');
  });

  it('says the key was already inactive when the finding comes again', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const event = userFindingEvent(accountId, userName, accessKeyIds[0] ?? '');

    await onFinding(event, context, deps());
    const [second] = await onFinding(event, context, deps());

    expect(second).toMatchObject({
      outcome: 'contained',
      actions: [{ status: 'already-in-place' }, { status: 'already-in-place' }],
    });
  });
});

describe('revoking an assumed role from a GuardDuty finding', () => {
  it('puts a policy that denies older sessions but not newer ones or long-term keys', async () => {
    const session = await seedRoleSession(endpoint.clients);
    const before = Date.now();

    const [report] = await onFinding(
      roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId),
      context,
      deps(),
    );

    const { raw, existing } = await rolePolicy(session.roleName);
    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [{ name: 'revoke-role-sessions', status: 'verified' }],
    });
    expect(existing).toMatchObject({ kind: 'cutoff', statements: [{ by: 'responder' }] });
    const cutoff = existing.kind === 'cutoff' ? existing.cutoff : new Date(0);
    expect(cutoff.getTime()).toBeGreaterThanOrEqual(before + 29_000);
    expect(await deniedBy(raw, accountId, session.issuedAt)).toBe(true);
    expect(await deniedBy(raw, accountId, new Date(cutoff.getTime() + 1000))).toBe(false);
    expect(await deniedBy(raw, accountId, undefined)).toBe(false);
  });

  it('reaches the containing write after one round of lookups', async () => {
    const session = await seedRoleSession(endpoint.clients);
    const incident = deps();
    const calls = trackRoundTrips(incident.clients);

    await onFinding(
      roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId),
      context,
      incident,
    );

    expect(calls.find((c) => c.operation === 'PutRolePolicyCommand')?.depth).toBe(2);
    expect(calls.map((c) => c.operation)).not.toContain('ListRolesCommand');
  });

  it('keeps a later cutoff a person set', async () => {
    const session = await seedRoleSession(endpoint.clients);
    const later = consoleRevocationPolicy('2099-01-01T00:00:00Z');
    await endpoint.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: session.roleName,
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: later,
      }),
    );

    const [report] = await onFinding(
      roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId),
      context,
      deps(),
    );

    const { existing } = await rolePolicy(session.roleName);
    expect(existing).toMatchObject({ kind: 'cutoff', cutoff: new Date('2099-01-01T00:00:00Z') });
    expect(report).toMatchObject({
      outcome: 'contained',
      reason: expect.stringMatching(/already contained/),
      actions: [{ status: 'already-in-place' }],
    });
  });

  it('replaces an expired cutoff with a later one, in place', async () => {
    const session = await seedRoleSession(endpoint.clients);
    const old = JSON.stringify(revocationPolicy('2020-01-01T00:00:00Z'));
    await endpoint.clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: session.roleName,
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: old,
      }),
    );

    await onFinding(
      roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId),
      context,
      deps(),
    );

    const { existing } = await rolePolicy(session.roleName);
    expect(existing.kind === 'cutoff' && existing.cutoff.getTime()).toBeGreaterThan(Date.now());
  });
});

describe('containing a bare key named by a person', () => {
  it('finds the owner and deactivates the key from the console', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const key = accessKeyIds[0] ?? '';

    const report = await contain({ runbook: 'contain', accessKeyId: key }, context, deps());

    expect(await keyStatuses(userName)).toEqual({ [key]: 'Inactive' });
    expect(report).toMatchObject({ outcome: 'contained', principal: { name: userName } });
  });

  it('does the same for a runbook published to SNS', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const key = accessKeyIds[0] ?? '';
    const event = loadEvent('sns-runbook-contain.json');
    event.Records[0].Sns.Message = JSON.stringify({
      runbook: 'contain',
      accessKeyId: key,
      reason: 'found in a repository',
    });

    const [report] = await onRunbook(event, context, deps());

    expect(await keyStatuses(userName)).toEqual({ [key]: 'Inactive' });
    expect(report).toMatchObject({ source: 'runbook', outcome: 'contained' });
  });
});
