import { Logger } from '@aws-lambda-powertools/logger';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import type { Config } from '../../shared/config';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { TEST_CONFIG } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import { roleDenies, rolePolicies } from '../support/role-policies';
import { roleFindingEvent, seedRoleSession } from '../support/seed';

/**
 * A stolen EC2 instance credential is contained by denying that instance's credentials only.
 * What the role's policies mean is judged by an IAM policy simulator over all of them (inline and
 * attached), for credentials issued before and after the cutoff, of this and another instance.
 */
let endpoint: Endpoint;
let accountId: string;
const context = { awsRequestId: 'instance' };
const A = 'i-0aaaaaaaaaaaaaaa1';
const B = 'i-0bbbbbbbbbbbbbbb2';

beforeAll(async () => {
  endpoint = await useEndpoint();
  accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => endpoint.stop());

const deps = (config: Partial<Config> = {}): Deps => ({
  clients: endpoint.newClients(),
  config: { ...TEST_CONFIG, ...config },
  logger: new Logger({ serviceName: 'integration', logLevel: 'SILENT' }),
});

/** A role with instance A's credentials, and instance B's of the same role. */
async function fleet() {
  const a = await seedRoleSession(endpoint.clients, { sessionName: A });
  const b = await endpoint.clients.sts.send(
    new AssumeRoleCommand({ RoleArn: a.roleArn, RoleSessionName: B }),
  );
  const finding = (sessionName: string, accessKeyId: string) =>
    roleFindingEvent(accountId, a.roleName, a.roleId, accessKeyId, sessionName);
  const denies = async (instance: string, issuedAt?: Date) =>
    roleDenies(await rolePolicies(endpoint.clients, a.roleName), accountId, {
      userId: `${a.roleId}:${instance}`,
      ...(issuedAt ? { issuedAt } : {}),
    });
  return { ...a, keyOfB: b.Credentials?.AccessKeyId ?? '', finding, denies };
}

const cutoffOf = (report: Report | undefined) =>
  new Date(/before (\S+Z)/.exec(report?.actions[0]?.detail ?? '')?.[1] ?? 0);

describe('instance credentials of a role', () => {
  it("deny that instance's old credentials only: not another instance's, not its new ones", async () => {
    const role = await fleet();

    const [report] = await onFinding(role.finding(A, role.accessKeyId), context, deps());

    const cutoff = cutoffOf(report);
    const before = new Date(cutoff.getTime() - 60_000);
    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [
        {
          name: 'revoke-role-sessions',
          target: `role/${role.roleName} policy CredentialResponderRevokeInstanceSessions`,
          status: 'verified',
        },
      ],
    });
    expect(await role.denies(A, before)).toBe(true);
    expect(await role.denies(A, new Date(cutoff.getTime() + 1000))).toBe(false);
    expect(await role.denies(B, before)).toBe(false);
    expect(report?.notes.join(' ')).toMatch(
      new RegExp(`Only the credentials of EC2 instance ${A}`),
    );
  });

  it('contains two instances in turn, each with its own statement', async () => {
    const role = await fleet();
    const first = role.finding(A, role.accessKeyId);
    const second = role.finding(B, role.keyOfB);
    second.detail.id = 'example0second0instance0finding';

    const [a] = await onFinding(first, context, deps());
    const [b] = await onFinding(second, context, deps());

    expect([a?.outcome, b?.outcome]).toEqual(['contained', 'contained']);
    const beforeBoth = new Date(Math.min(cutoffOf(a).getTime(), cutoffOf(b).getTime()) - 60_000);
    expect(await role.denies(A, beforeBoth)).toBe(true);
    expect(await role.denies(B, beforeBoth)).toBe(true);
    expect(await role.denies('i-0ccccccccccccccc3', beforeBoth)).toBe(false);
  });

  it('says "already contained" when the same instance is reported again', async () => {
    const role = await fleet();
    const event = role.finding(A, role.accessKeyId);
    await onFinding(event, context, deps());

    const [again] = await onFinding(event, context, deps());

    expect(again).toMatchObject({
      outcome: 'contained',
      actions: [{ status: 'already-in-place' }],
    });
  });

  it('revokes every session of the role with INSTANCE_REVOCATION=role', async () => {
    const role = await fleet();

    const [report] = await onFinding(
      role.finding(A, role.accessKeyId),
      context,
      deps({ instanceRevocation: 'role' }),
    );

    const before = new Date(cutoffOf(report).getTime() - 60_000);
    expect(report?.actions[0]?.target).toBe(`role/${role.roleName} policy AWSRevokeOlderSessions`);
    expect(await role.denies(A, before)).toBe(true);
    expect(await role.denies(B, before)).toBe(true);
  });

  it("releases only that instance's statement", async () => {
    const role = await fleet();
    const second = role.finding(B, role.keyOfB);
    second.detail.id = 'example0second0instance0finding';
    const [a] = await onFinding(role.finding(A, role.accessKeyId), context, deps());
    const [b] = await onFinding(second, context, deps());

    const released = (await contain(
      { runbook: 'release', incidentId: a?.incidentId, roleName: role.roleName, reason: 'test' },
      context,
      deps(),
    )) as Report;

    const before = new Date(cutoffOf(b).getTime() - 60_000);
    expect(released.outcome).toBe('released');
    expect(await role.denies(A, before)).toBe(false);
    expect(await role.denies(B, before)).toBe(true);
  });
});
