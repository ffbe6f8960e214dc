import { Logger } from '@aws-lambda-powertools/logger';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onFinding } from '../../functions/on-finding';
import type { Deps } from '../../shared/respond';
import { readRevocationPolicy, revocationPolicy } from '../../shared/revocation/revocation-policy';
import { TEST_CONFIG } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import { inlinePolicy, keyStatuses, putInlinePolicy } from '../support/iam-state';
import { deniedBy } from '../support/policy-meaning';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  userFindingEvent,
} from '../support/seed';

/**
 * Attack 4 of issue 11 (a planted AWSRevokeOlderSessions that looks like a revocation but denies
 * nothing).
 */
let endpoint: Endpoint;
let accountId: string;
const context = { awsRequestId: 'tampering' };

beforeAll(async () => {
  endpoint = await useEndpoint();
  accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => endpoint.stop());

const deps = (): Deps => ({
  clients: endpoint.newClients(),
  config: TEST_CONFIG,
  logger: new Logger({ serviceName: 'security', logLevel: 'SILENT' }),
});

/** A far-future cutoff, plus one more condition that never holds: it denies nothing. */
function neutered(extra: Record<string, unknown>): string {
  const policy = revocationPolicy('2099-01-01T00:00:00Z', 'planted');
  const statement = policy.Statement[0] as { Sid?: string; Condition: Record<string, unknown> };
  delete statement.Sid;
  statement.Condition = { ...statement.Condition, ...extra };
  return JSON.stringify(policy);
}

describe('attack 4: a revocation policy that cannot deny', () => {
  it.each([
    ['a tag condition that never holds', { StringEquals: { 'aws:PrincipalTag/never': 'x' } }],
    ['a source IP nobody uses', { IpAddress: { 'aws:SourceIp': '192.0.2.1/32' } }],
  ])('with %s: contains anyway, through its own policy, and alerts', async (_label, extra) => {
    const session = await seedRoleSession(endpoint.clients);
    const planted = neutered(extra);
    await putInlinePolicy(endpoint.clients, 'role', session.roleName, planted);
    expect(await deniedBy(planted, accountId, session.issuedAt)).toBe(false);

    const [report] = await onFinding(
      roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId),
      context,
      deps(),
    );

    expect(report).toMatchObject({
      outcome: 'contained',
      reason: expect.stringMatching(
        /ALERT: role .* AWSRevokeOlderSessions is not a session revocation/,
      ),
      actions: [{ name: 'revoke-role-sessions', status: 'verified' }],
      evidence: { revocationPolicyBefore: planted },
    });
    expect(report?.reason).not.toMatch(/already contained/);
    const owned = await inlinePolicy(
      endpoint.clients,
      'role',
      session.roleName,
      'CredentialResponderRevokeOlderSessions',
    );
    expect(await deniedBy(owned ?? '', accountId, session.issuedAt)).toBe(true);
    // The planted document stays where it was, for a person to investigate.
    expect(
      readRevocationPolicy(await inlinePolicy(endpoint.clients, 'role', session.roleName)).kind,
    ).toBe('unrecognised');
  });

  it('contains a user whose revocation was planted: key deactivated, sessions revoked', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const key = accessKeyIds[0] ?? '';
    await putInlinePolicy(
      endpoint.clients,
      'user',
      userName,
      neutered({ Bool: { 'aws:ViaAWSService': 'true' } }),
    );

    const [report] = await onFinding(userFindingEvent(accountId, userName, key), context, deps());

    expect(report).toMatchObject({ outcome: 'contained', reason: expect.stringMatching(/ALERT/) });
    expect(await keyStatuses(endpoint.clients, userName)).toEqual({ [key]: 'Inactive' });
    const owned = await inlinePolicy(
      endpoint.clients,
      'user',
      userName,
      'CredentialResponderRevokeOlderSessions',
    );
    expect(readRevocationPolicy(owned).kind).toBe('cutoff');
  });

  it('says "already contained" again on a redelivery, because its own policy now denies', async () => {
    const session = await seedRoleSession(endpoint.clients);
    await putInlinePolicy(
      endpoint.clients,
      'role',
      session.roleName,
      neutered({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
    );
    const event = roleFindingEvent(
      accountId,
      session.roleName,
      session.roleId,
      session.accessKeyId,
    );
    await onFinding(event, context, deps());

    const [again] = await onFinding(event, context, deps());

    expect(again).toMatchObject({
      outcome: 'contained',
      actions: [{ status: 'already-in-place' }],
    });
  });
});

// Deterministic answers (LimitExceeded when no managed policy can be attached either) ending an
// incident without a Lambda retry: test/integration/policy-space.test.ts.
