import { Logger } from '@aws-lambda-powertools/logger';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import securityHubEvent from '../../events/securityhub-akia-iam-user.json';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import { onRunbook } from '../../functions/on-runbook';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { captureLogs, TEST_CONFIG, TOPICS } from '../support/deps';
import { type Endpoint, useEndpoint } from '../support/endpoint';
import { inlinePolicy } from '../support/iam-state';
import { roleFindingEvent, seedRoleSession, seedUserWithKeys, snsEvent } from '../support/seed';

/**
 * Attacks 1, 2, 3 and 10 of issue 11, replayed through the real handlers: input that an attacker
 * with ordinary rights can shape (sns:Publish, securityhub:BatchImportFindings) or a claim AWS
 * does not back must change nothing in IAM. Against the stand-in, or AWS_ENDPOINT_URL.
 */
let endpoint: Endpoint;
let accountId: string;
const context = { awsRequestId: 'forged' };

beforeAll(async () => {
  endpoint = await useEndpoint();
  accountId = (await endpoint.clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
});
afterAll(() => endpoint.stop());
afterEach(() => vi.restoreAllMocks());

function deps(logger?: Logger): Deps {
  return {
    clients: endpoint.newClients(),
    config: TEST_CONFIG,
    logger: logger ?? new Logger({ serviceName: 'security', logLevel: 'SILENT' }),
  };
}

/** A role of the account and a session of it: the victim the forged input names. */
async function victimRole() {
  const session = await seedRoleSession(endpoint.clients);
  return {
    ...session,
    untouched: async () => inlinePolicy(endpoint.clients, 'role', session.roleName),
  };
}

describe('attack 1: a finding forged over SNS', () => {
  it.each([
    ['the runbook topic', TOPICS.runbookTopicArn],
    ['a topic anyone can publish to', `arn:aws:sns:us-east-1:${'123456789012'}:team-chat-fanout`],
  ])('on %s changes nothing', async (_label, topicArn) => {
    const victim = await victimRole();
    const forged = roleFindingEvent(accountId, victim.roleName, victim.roleId, victim.accessKeyId);

    const reports = await onRunbook(snsEvent(topicArn, forged, 'forged-1'), context, deps());

    expect(reports).toMatchObject([{ outcome: 'failed', errorCode: null, actions: [] }]);
    expect(await victim.untouched()).toBeUndefined();
  });

  it('is refused on the runbook topic even when the finding itself is well formed', async () => {
    const victim = await victimRole();
    const forged = roleFindingEvent(accountId, victim.roleName, victim.roleId, victim.accessKeyId);

    const [report] = await onRunbook(
      snsEvent(TOPICS.runbookTopicArn, forged, 'f'),
      context,
      deps(),
    );

    expect(report?.reason).toMatch(/runbook topic, which carries runbook requests only/);
  });
});

describe('attack 2: a Security Hub finding imported under the account’s own product', () => {
  function forgedFinding(
    productArn: string,
    account: string,
    key: string,
    roleName: string,
    roleId: string,
  ) {
    const event: Record<string, any> = structuredClone(securityHubEvent);
    const finding = event.detail.findings[0];
    finding.ProductArn = productArn;
    finding.AwsAccountId = account;
    finding.Resources[0].Id = `AWS::IAM::AccessKey:${key}`;
    finding.Resources[0].Details.AwsIamAccessKey = {
      PrincipalId: `${roleId}:forged`,
      PrincipalName: roleName,
      PrincipalType: 'AssumedRole',
    };
    return event;
  }

  it.each([
    [
      'the default product of the account',
      (a: string) => `arn:aws:securityhub:us-east-1:${a}:product/${a}/default`,
    ],
    [
      'the default product of an allowed member account',
      () => 'arn:aws:securityhub:us-east-1:210987654321:product/210987654321/default',
    ],
    [
      'a partner product',
      () => 'arn:aws:securityhub:us-east-1::product/crowdstrike/crowdstrike-falcon',
    ],
  ])(
    'from %s changes nothing, by EventBridge or pasted in the console',
    async (_label, product) => {
      const victim = await victimRole();
      const event = forgedFinding(
        product(accountId),
        accountId,
        victim.accessKeyId,
        victim.roleName,
        victim.roleId,
      );

      const [viaRule] = await onFinding(event, context, deps());
      const viaConsole = (await contain(event, context, deps())) as Report;

      for (const report of [viaRule, viaConsole]) {
        expect(report).toMatchObject({
          outcome: 'failed',
          reason: expect.stringMatching(/not produced by an AWS service/),
          actions: [],
        });
      }
      expect(await victim.untouched()).toBeUndefined();
    },
  );

  it('is still acted on when an AWS service produced it', async () => {
    const victim = await victimRole();
    const event = forgedFinding(
      'arn:aws:securityhub:us-east-1::product/aws/guardduty',
      accountId,
      victim.accessKeyId,
      victim.roleName,
      victim.roleId,
    );

    const [report] = await onFinding(event, context, deps());

    expect(report).toMatchObject({ outcome: 'contained' });
  });
});

describe('attack 3: a temporary key said to belong to a principal, without proof', () => {
  it('does not touch a role a finding names without its principal id', async () => {
    const attacker = await seedRoleSession(endpoint.clients);
    await endpoint.clientsFor(attacker.credentials).sts.send(new GetCallerIdentityCommand({}));
    const victim = await victimRole();
    const claim = roleFindingEvent(accountId, victim.roleName, victim.roleId, attacker.accessKeyId);
    delete claim.detail.resource.accessKeyDetails.principalId;

    const [report] = await onFinding(claim, context, deps());

    expect(report?.outcome).toBe('escalated');
    expect(await victim.untouched()).toBeUndefined();
    // The stand-in's CloudTrail saw the key used by the attacker's role (moto records nothing).
    if (endpoint.local) expect(report?.reason).toMatch(/CloudTrail shows AssumedRole app-role-/);
  });

  it("does not touch a role whose id is not the finding's", async () => {
    const other = await victimRole();
    const victim = await victimRole();
    const claim = roleFindingEvent(accountId, victim.roleName, other.roleId, victim.accessKeyId);

    const [report] = await onFinding(claim, context, deps());

    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/role id .* is not role/),
    });
    expect(await victim.untouched()).toBeUndefined();
  });

  it.runIf(!process.env.AWS_ENDPOINT_URL)(
    'acts on the claim once CloudTrail shows the key used by that role',
    async () => {
      const victim = await victimRole();
      await endpoint.clientsFor(victim.credentials).sts.send(new GetCallerIdentityCommand({}));
      const claim = roleFindingEvent(accountId, victim.roleName, victim.roleId, victim.accessKeyId);
      delete claim.detail.resource.accessKeyDetails.principalId;

      const [report] = await onFinding(claim, context, deps());

      expect(report).toMatchObject({ outcome: 'contained', principal: { name: victim.roleName } });
    },
  );
});

describe('attack 10: validation that echoes input', () => {
  const secret = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';
  it.each([
    [
      'an unknown field named with it',
      { runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00003', [secret]: 1 },
    ],
    ['the runbook name', { runbook: secret, accessKeyId: 'AKIAEXAMPLEDEMO00003' }],
    ['the key id', { runbook: 'contain', accessKeyId: secret }],
    [
      'a release incident id',
      { runbook: 'release', incidentId: `${secret} x`, roleName: 'r', reason: 'x' },
    ],
    [
      'a reason far too long',
      { runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00003', reason: secret.repeat(40) },
    ],
  ])('never puts a secret in %s into the report or the logs', async (_label, request) => {
    const logs = captureLogs();

    const report = (await contain(request, context, deps(logs.logger))) as Report;
    const [overSns] = await onRunbook(
      snsEvent(TOPICS.runbookTopicArn, request, 's'),
      context,
      deps(logs.logger),
    );

    expect(report.outcome).toBe('failed');
    expect(overSns?.outcome).toBe('failed');
    expect(JSON.stringify([report, overSns])).not.toContain(secret);
    expect(logs.raw()).not.toContain(secret);
  });

  it('names the field and the rule it broke', async () => {
    const report = (await contain(
      { runbook: 'contain', accessKeyId: secret },
      context,
      deps(),
    )) as Report;

    expect(report.reason).toMatch(/accessKeyId: must be an access key id/);
  });
});

describe('a user key forged into a finding is still checked against IAM', () => {
  it('does not deactivate a key IAM says belongs to another user', async () => {
    const owner = await seedUserWithKeys(endpoint.clients, 1);
    const other = await seedUserWithKeys(endpoint.clients, 1);
    const event = roleFindingEvent(accountId, other.userName, '', owner.accessKeyIds[0] ?? '');
    event.detail.resource.accessKeyDetails = {
      accessKeyId: owner.accessKeyIds[0],
      userName: other.userName,
      userType: 'IAMUser',
    };

    const [report] = await onFinding(event, context, deps());

    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/IAM says/),
    });
  });
});
