import { Logger } from '@aws-lambda-powertools/logger';
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  GetPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import type { AwsClients } from '../../shared/aws-clients';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { type StandIn, startStandIn } from '../stand-in/server';
import { TEST_CONFIG } from '../support/deps';
import { clientsAt, uniqueName } from '../support/endpoint';
import { keyStatuses } from '../support/iam-state';
import { roleDenies, rolePolicies } from '../support/role-policies';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  userFindingEvent,
} from '../support/seed';

/**
 * A principal whose inline-policy space is full (10,240 characters for a role, 2,048 for a user)
 * is contained through a customer-managed policy of the responder's, and released cleanly. This
 * needs IAM's quotas, which moto does not enforce: it runs against the project's stand-in, which
 * answers LimitExceeded as IAM does.
 */
let standIn: StandIn;
let iamClients: AwsClients;
let accountId: string;
const context = { awsRequestId: 'policy-space' };
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
  iamClients = clientsAt(standIn.url, credentials);
  accountId = (await iamClients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => standIn.stop());

const deps = (): Deps => ({
  clients: clientsAt(standIn.url, credentials, 1),
  config: TEST_CONFIG,
  logger: new Logger({ serviceName: 'integration', logLevel: 'SILENT' }),
});

/** An inline policy that leaves less room than one revocation statement takes. */
function filler(characters: number): string {
  const prefix =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::';
  const suffix = '/*"}]}';
  return prefix + 'b'.repeat(characters - prefix.length - suffix.length) + suffix;
}

const release = async (body: Record<string, unknown>) =>
  (await contain({ runbook: 'release', reason: 'test', ...body }, context, deps())) as Report;

const policyExists = (arn: string) =>
  iamClients.iam.send(new GetPolicyCommand({ PolicyArn: arn })).then(
    () => true,
    () => false,
  );

const cutoffOf = (report: Report | undefined) =>
  new Date(/before (\S+Z)/.exec(report?.actions[0]?.detail ?? '')?.[1] ?? 0);

describe('a role whose inline policies are full', () => {
  async function fullRole(sessionName?: string) {
    const role = await seedRoleSession(iamClients, sessionName ? { sessionName } : {});
    await iamClients.iam.send(
      new PutRolePolicyCommand({
        RoleName: role.roleName,
        PolicyName: 'app',
        PolicyDocument: filler(10_150),
      }),
    );
    const denies = async (session: string, issuedAt: Date) =>
      roleDenies(await rolePolicies(iamClients, role.roleName), accountId, {
        userId: `${role.roleId}:${session}`,
        issuedAt,
      });
    return { ...role, denies };
  }

  it('is contained through a managed policy, verified, and released cleanly', async () => {
    const role = await fullRole();
    const event = roleFindingEvent(accountId, role.roleName, role.roleId, role.accessKeyId);

    const [report] = await onFinding(event, context, deps());

    const arn = `arn:aws:iam::${accountId}:policy/credential-responder/revoke-role-${role.roleName}`;
    const before = new Date(cutoffOf(report).getTime() - 60_000);
    expect(report).toMatchObject({
      outcome: 'contained',
      errorCode: null,
      actions: [
        {
          name: 'revoke-role-sessions-by-managed-policy',
          status: 'verified',
          detail: expect.stringMatching(/PutRolePolicy answered LimitExceeded/),
        },
      ],
    });
    expect(await role.denies('app-session', before)).toBe(true);
    expect(await role.denies('app-session', new Date(cutoffOf(report).getTime() + 1000))).toBe(
      false,
    );

    const released = await release({ incidentId: report?.incidentId, roleName: role.roleName });

    expect(released).toMatchObject({
      outcome: 'released',
      actions: [{ name: 'restore-role-managed-revocation', status: 'verified' }],
    });
    expect(await role.denies('app-session', before)).toBe(false);
    expect(await policyExists(arn)).toBe(false);
  });

  it("contains one instance's credentials through a managed policy, and no other instance's", async () => {
    const role = await fullRole('i-0aaaaaaaaaaaaaaa1');
    const event = roleFindingEvent(
      accountId,
      role.roleName,
      role.roleId,
      role.accessKeyId,
      'i-0aaaaaaaaaaaaaaa1',
    );

    const [report] = await onFinding(event, context, deps());

    const before = new Date(cutoffOf(report).getTime() - 60_000);
    expect(report?.actions[0]?.target).toBe(
      `role/${role.roleName} managed policy revoke-instances-${role.roleName}`,
    );
    expect(await role.denies('i-0aaaaaaaaaaaaaaa1', before)).toBe(true);
    expect(await role.denies('i-0bbbbbbbbbbbbbbb2', before)).toBe(false);
  });

  it("never attaches a policy someone planted at the responder's name as it was", async () => {
    const role = await fullRole();
    const planted = await iamClients.iam.send(
      new CreatePolicyCommand({
        PolicyName: `revoke-role-${role.roleName}`,
        Path: '/credential-responder/',
        PolicyDocument:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
      }),
    );
    const event = roleFindingEvent(accountId, role.roleName, role.roleId, role.accessKeyId);

    const [report] = await onFinding(event, context, deps());

    expect(report?.outcome).toBe('contained');
    const policies = await rolePolicies(iamClients, role.roleName);
    expect(JSON.stringify(policies)).not.toContain('"Effect":"Allow","Action":"*"');
    expect(await policyExists(planted.Policy?.Arn ?? '')).toBe(true);
    expect(await role.denies('app-session', new Date(cutoffOf(report).getTime() - 60_000))).toBe(
      true,
    );
  });

  it('says "already contained" when the finding comes again', async () => {
    const role = await fullRole();
    const event = roleFindingEvent(accountId, role.roleName, role.roleId, role.accessKeyId);
    await onFinding(event, context, deps());

    const [again] = await onFinding(event, context, deps());

    expect(again).toMatchObject({ outcome: 'contained', actions: [{ status: 'verified' }] });
    expect(again?.actions[0]?.detail).toMatch(/already there/);
  });
});

describe('a user whose 2,048 characters of inline policy are used', () => {
  async function fullUser() {
    const user = await seedUserWithKeys(iamClients, 1);
    await iamClients.iam.send(
      new PutUserPolicyCommand({
        UserName: user.userName,
        PolicyName: 'app',
        PolicyDocument: filler(1_950),
      }),
    );
    return { ...user, key: user.accessKeyIds[0] ?? '' };
  }

  it('has its key deactivated and its sessions revoked through a managed policy, then released', async () => {
    const user = await fullUser();

    const [report] = await onFinding(
      userFindingEvent(accountId, user.userName, user.key),
      context,
      deps(),
    );

    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [
        { name: 'deactivate-access-key', status: 'verified' },
        { name: 'record-deactivation', status: 'verified' },
        { name: 'revoke-user-sessions-by-managed-policy', status: 'verified' },
      ],
    });
    const released = await release({ incidentId: report?.incidentId, accessKeyId: user.key });
    expect(released.outcome).toBe('released');
    expect(await keyStatuses(iamClients, user.userName)).toEqual({ [user.key]: 'Active' });
    const arn = `arn:aws:iam::${accountId}:policy/credential-responder/revoke-user-${user.userName}`;
    expect(await policyExists(arn)).toBe(false);
  });

  it('is escalated, not retried, when no managed policy can be attached either', async () => {
    const user = await fullUser();
    for (let i = 0; i < 10; i++) {
      const created = await iamClients.iam.send(
        new CreatePolicyCommand({
          PolicyName: uniqueName('team-policy'),
          PolicyDocument:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}',
        }),
      );
      await iamClients.iam.send(
        new AttachUserPolicyCommand({ UserName: user.userName, PolicyArn: created.Policy?.Arn }),
      );
    }

    // onFinding returns instead of throwing: Lambda does not retry it.
    const reports = await onFinding(
      userFindingEvent(accountId, user.userName, user.key),
      context,
      deps(),
    );

    expect(reports).toMatchObject([
      {
        outcome: 'escalated',
        errorCode: 'LimitExceeded',
        reason: expect.stringMatching(/not retried/),
        actions: [
          { name: 'deactivate-access-key', status: 'verified' },
          { name: 'record-deactivation', status: 'verified' },
          { name: 'revoke-user-sessions-by-managed-policy', status: 'failed' },
        ],
      },
    ]);
    expect(await keyStatuses(iamClients, user.userName)).toEqual({ [user.key]: 'Inactive' });
  });
});
