import { Logger } from '@aws-lambda-powertools/logger';
import { GetRolePolicyCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import type { Config } from '../../shared/config';
import type { Deps } from '../../shared/respond';
import { readRevocationPolicy } from '../../shared/revocation/revocation-policy';
import { findingTypes, loadEvent, TEST_CONFIG } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import { seedRoleSession, seedUserWithKeys } from '../support/seed';

/**
 * The newer finding shapes end to end against the endpoint (stand-in, moto, LocalStack): a
 * GuardDuty attack sequence, a Security Hub OCSF finding and an S3 Protection finding, each
 * written from events/ with seeded principals, and what IAM holds afterwards.
 */
let endpoint: Endpoint;
let accountId: string;
const context = { awsRequestId: 'integration' };

beforeAll(async () => {
  endpoint = await useEndpoint();
  accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => endpoint.stop());

function deps(config: Partial<Config> = {}): Deps {
  const logger = new Logger({ serviceName: 'integration', logLevel: 'SILENT' });
  return { clients: endpoint.newClients(), config: { ...TEST_CONFIG, ...config }, logger };
}

async function keyStatuses(userName: string): Promise<Record<string, string>> {
  const out = await endpoint.clients.iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return Object.fromEntries((out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId, k.Status]));
}

function attackSequence(file: string) {
  const event = loadEvent(file);
  event.account = accountId;
  event.detail.accountId = accountId;
  return { event, sequence: event.detail.service.detection.sequence };
}

describe('a GuardDuty attack sequence', () => {
  it("whose actor carries a user's key: that key is deactivated, the user's other key is not", async () => {
    const { userName, userId, accessKeyIds } = await seedUserWithKeys(endpoint.clients);
    const [stolen = '', other = ''] = accessKeyIds;
    const { event, sequence } = attackSequence('guardduty-attack-sequence.json');
    sequence.actors[0].user = {
      name: userName,
      uid: userId,
      type: 'IAMUser',
      credentialUid: stolen,
    };
    sequence.resources[0].uid = stolen;
    sequence.resources[0].data.accessKey = { principalId: userId, userName, userType: 'IAMUser' };

    const [report] = await onFinding(event, context, deps());

    expect(await keyStatuses(userName)).toEqual({ [stolen]: 'Inactive', [other]: 'Active' });
    expect(report).toMatchObject({
      incidentId: `guardduty-example0attack0sequence0finding1-${stolen}`,
      outcome: 'contained',
      principal: { type: 'IAMUser', name: userName },
      finding: {
        type: 'AttackSequence:IAM/CompromisedCredentials',
        sequenceId: 'example-sequence-0001',
      },
    });
  });

  it("whose resource is a role session's key: the role's older sessions are revoked", async () => {
    const session = await seedRoleSession(endpoint.clients, { prefix: 'seq-role' });
    const { event, sequence } = attackSequence('guardduty-attack-sequence.json');
    sequence.actors = [];
    sequence.resources = [
      {
        uid: session.accessKeyId,
        resourceType: 'ACCESS_KEY',
        data: {
          accessKey: {
            principalId: `${session.roleId}:${session.sessionName}`,
            userName: session.roleName,
            userType: 'AssumedRole',
          },
        },
      },
    ];

    const [report] = await onFinding(event, context, deps());

    expect(report).toMatchObject({
      outcome: 'contained',
      principal: { type: 'AssumedRole', name: session.roleName },
    });
    const policy = await endpoint.clients.iam.send(
      new GetRolePolicyCommand({
        RoleName: session.roleName,
        PolicyName: 'AWSRevokeOlderSessions',
      }),
    );
    expect(readRevocationPolicy(policy.PolicyDocument).kind).toBe('cutoff');
  });

  it('that names no key: escalated naming the actor, every key left as it was', async () => {
    const { userName, accessKeyIds } = await seedUserWithKeys(endpoint.clients);
    const { event, sequence } = attackSequence('guardduty-attack-sequence-no-key.json');
    sequence.actors[0].user = { name: userName, type: 'IAMUser' };

    const [report] = await onFinding(event, context, deps());

    expect(report).toMatchObject({
      outcome: 'escalated',
      accessKeyId: null,
      actions: [],
      reason: expect.stringContaining(`IAMUser ${userName}`),
    });
    expect(await keyStatuses(userName)).toEqual(
      Object.fromEntries(accessKeyIds.map((k) => [k, 'Active'])),
    );
  });
});

describe('a Security Hub OCSF finding', () => {
  function ocsfFinding(userName: string, userId: string, key: string) {
    const event = loadEvent('securityhub-ocsf-guardduty.json');
    const finding = event.detail.findings[0];
    finding.cloud.account.uid = accountId;
    finding.actor.user = { name: userName, uid: userId, type: 'IAMUser', credential_uid: key };
    finding.resources[0].uid = key;
    return event;
  }

  it('from GuardDuty: the key is deactivated', async () => {
    const { userName, userId, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const [stolen = ''] = accessKeyIds;

    const [report] = await onFinding(ocsfFinding(userName, userId, stolen), context, deps());

    expect(report).toMatchObject({
      source: 'securityhub',
      outcome: 'contained',
      accessKeyId: stolen,
    });
    expect(await keyStatuses(userName)).toEqual({ [stolen]: 'Inactive' });
  });

  it("from a product that is not AWS's: refused, nothing changed", async () => {
    const { userName, userId, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const [stolen = ''] = accessKeyIds;
    const event = ocsfFinding(userName, userId, stolen);
    event.detail.findings[0].metadata.product.uid = `arn:aws:securityhub:us-east-1:${accountId}:productv2/${accountId}/default`;

    const [report] = await onFinding(event, context, deps());

    expect(report).toMatchObject({ outcome: 'failed', accessKeyId: null, actions: [] });
    expect(await keyStatuses(userName)).toEqual({ [stolen]: 'Active' });
  });
});

describe('an S3 Protection finding that names a key', () => {
  async function s3Finding() {
    const { userName, userId, accessKeyIds } = await seedUserWithKeys(endpoint.clients, 1);
    const [key = ''] = accessKeyIds;
    const event = loadEvent('guardduty-s3-finding.json');
    event.detail.accountId = accountId;
    event.detail.resource.accessKeyDetails = {
      accessKeyId: key,
      principalId: userId,
      userName,
      userType: 'IAMUser',
    };
    return { event, userName, key };
  }

  it('is left to a person by the default FINDING_TYPES: skipped, the key stays active', async () => {
    const { event, userName, key } = await s3Finding();

    const [report] = await onFinding(event, context, deps());

    expect(report).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(
        /no FINDING_TYPES pattern includes finding type UnauthorizedAccess:S3\/TorIPCaller/,
      ),
      policy: { findingTypes: null },
    });
    expect(await keyStatuses(userName)).toEqual({ [key]: 'Active' });
  });

  it('is contained when FINDING_TYPES includes it', async () => {
    const { event, userName, key } = await s3Finding();
    const config = { findingTypes: findingTypes('*:IAMUser/*,UnauthorizedAccess:S3/*') };

    const [report] = await onFinding(event, context, deps(config));

    expect(report).toMatchObject({
      outcome: 'contained',
      policy: { findingTypes: 'UnauthorizedAccess:S3/*' },
    });
    expect(await keyStatuses(userName)).toEqual({ [key]: 'Inactive' });
  });

  it('is contained when a person pastes it into the contain function, whatever FINDING_TYPES says', async () => {
    const { event, userName, key } = await s3Finding();

    const report = await contain(event, context, deps());

    expect(report).toMatchObject({ outcome: 'contained', trigger: 'console', policy: null });
    expect(await keyStatuses(userName)).toEqual({ [key]: 'Inactive' });
  });
});
