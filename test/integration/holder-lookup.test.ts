import { Logger } from '@aws-lambda-powertools/logger';
import {
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetFederationTokenCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import type { AwsClients } from '../../shared/aws-clients';
import type { Report } from '../../shared/report/report';
import { readRevocationPolicy } from '../../shared/revocation/revocation-policy';
import { type StandIn, startStandIn } from '../stand-in/server';
import { TEST_CONFIG } from '../support/deps';
import { clientsAt } from '../support/endpoint';
import { seedRoleSession, seedUserWithKeys, userFindingEvent } from '../support/seed';

/**
 * The CloudTrail path end to end. Real CloudTrail delivers events minutes after the call (and
 * moto records none), so this file always runs against its own stand-in, which records every
 * call at once; the lookup code itself only uses the documented LookupEvents API.
 */
let standIn: StandIn;
let clients: AwsClients;
let accountId: string;
const context = { awsRequestId: 'holder' };

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
  clients = clientsAt(standIn.url, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' });
  accountId = (await clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => standIn.stop());

const deps = () => ({
  clients: clientsAt(standIn.url, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }),
  config: TEST_CONFIG,
  logger: new Logger({ serviceName: 'integration', logLevel: 'SILENT' }),
});

describe('a temporary key nobody names', () => {
  it('revokes the role CloudTrail shows the session came from', async () => {
    const session = await seedRoleSession(clients);
    await clientsAt(standIn.url, session.credentials).sts.send(new GetCallerIdentityCommand({})); // the attacker's call

    const report = (await contain(
      { runbook: 'contain', accessKeyId: session.accessKeyId },
      context,
      deps(),
    )) as Report;

    expect(report).toMatchObject({
      outcome: 'contained',
      principal: { type: 'AssumedRole', name: session.roleName },
    });
    const policy = await clients.iam.send(
      new GetRolePolicyCommand({
        RoleName: session.roleName,
        PolicyName: 'AWSRevokeOlderSessions',
      }),
    );
    expect(readRevocationPolicy(policy.PolicyDocument).kind).toBe('cutoff');
  });

  it('escalates a key CloudTrail has never seen, changing nothing', async () => {
    const session = await seedRoleSession(clients);

    const report = (await contain(
      { runbook: 'contain', accessKeyId: session.accessKeyId },
      context,
      deps(),
    )) as Report;

    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/no CloudTrail event/),
    });
    await expect(
      clients.iam.send(
        new GetRolePolicyCommand({
          RoleName: session.roleName,
          PolicyName: 'AWSRevokeOlderSessions',
        }),
      ),
    ).rejects.toThrow();
  });
});

describe('a federated user', () => {
  it('revokes the sessions of the IAM user who called GetFederationToken, leaving its key active', async () => {
    const { userName, accessKeyIds, secrets } = await seedUserWithKeys(clients, 1);
    const asUser = clientsAt(standIn.url, {
      accessKeyId: accessKeyIds[0] ?? '',
      secretAccessKey: secrets[0] ?? '',
    });
    const token = await asUser.sts.send(new GetFederationTokenCommand({ Name: 'contractor' }));
    const federated = token.Credentials;
    await clientsAt(standIn.url, {
      accessKeyId: federated?.AccessKeyId ?? '',
      secretAccessKey: federated?.SecretAccessKey ?? '',
      sessionToken: federated?.SessionToken ?? '',
    }).sts.send(new GetCallerIdentityCommand({}));
    const event = userFindingEvent(accountId, 'contractor', federated?.AccessKeyId ?? '');
    event.detail.resource.accessKeyDetails.userType = 'FederatedUser';
    event.detail.resource.accessKeyDetails.principalId = `${accountId}:contractor`;

    const [report] = await onFinding(event, context, deps());

    expect(report).toMatchObject({
      outcome: 'contained',
      principal: { type: 'IAMUser', name: userName },
    });
    const policy = await clients.iam.send(
      new GetUserPolicyCommand({ UserName: userName, PolicyName: 'AWSRevokeOlderSessions' }),
    );
    expect(readRevocationPolicy(policy.PolicyDocument).kind).toBe('cutoff');
    const keys = await clients.iam.send(new ListAccessKeysCommand({ UserName: userName }));
    expect(keys.AccessKeyMetadata?.map((k) => k.Status)).toEqual(['Active']);
  });
});
