import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import type { Report } from '../../shared/report/report';
import { testDeps } from '../support/deps';
import { mockAccount } from '../support/mock-aws';

const context = { awsRequestId: 'req-1' };
const key = 'ASIAEXAMPLEDEMO00001';
let aws: ReturnType<typeof mockAccount>;

beforeEach(() => {
  aws = mockAccount();
});
afterEach(() => {
  aws.restore();
});

const containBare = async () =>
  (await contain({ runbook: 'contain', accessKeyId: key }, context, testDeps())) as Report;

const assumedRole = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEDEMO00001:i-0123456789abcdef0',
  sessionContext: {
    sessionIssuer: { type: 'Role', userName: 'demo-app-role', principalId: 'AROAEXAMPLEDEMO00001' },
  },
};

describe('a temporary key with no finding', () => {
  it('revokes the role CloudTrail shows the key came from', async () => {
    aws.setCloudTrailIdentities(assumedRole, assumedRole);

    const report = await containBare();

    expect(aws.iam).toHaveReceivedCommandWith(PutRolePolicyCommand, { RoleName: 'demo-app-role' });
    expect(report).toMatchObject({
      outcome: 'contained',
      principal: { type: 'AssumedRole', name: 'demo-app-role' },
      notes: expect.arrayContaining([
        expect.stringMatching(
          /CloudTrail \(us-east-1\) shows ASIAEXAMPLEDEMO00001 used by AssumedRole demo-app-role/,
        ),
      ]),
    });
  });

  it("revokes a user's sessions for a session token", async () => {
    aws.setCloudTrailIdentities({
      type: 'IAMUser',
      userName: 'demo-ci-deployer',
      accessKeyId: key,
    });

    const report = await containBare();

    expect(aws.iam).toHaveReceivedCommandWith(PutUserPolicyCommand, {
      UserName: 'demo-ci-deployer',
    });
    expect(report.outcome).toBe('contained');
  });

  it('revokes the sessions of the IAM user who minted a federated user', async () => {
    aws.setCloudTrailIdentities({
      type: 'FederatedUser',
      principalId: '123456789012:contractor',
      sessionContext: { sessionIssuer: { type: 'IAMUser', userName: 'demo-ci-deployer' } },
    });

    const report = await containBare();

    expect(aws.iam).toHaveReceivedCommandWith(PutUserPolicyCommand, {
      UserName: 'demo-ci-deployer',
    });
    expect(report.principal).toMatchObject({ type: 'IAMUser', name: 'demo-ci-deployer' });
  });

  it('escalates when CloudTrail names different holders', async () => {
    aws.setCloudTrailIdentities(assumedRole, { type: 'IAMUser', userName: 'demo-ci-deployer' });

    const report = await containBare();

    expect(aws.iam).not.toHaveReceivedCommand(PutRolePolicyCommand);
    expect(aws.iam).not.toHaveReceivedCommand(PutUserPolicyCommand);
    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/2 different holders/),
    });
  });

  it('escalates a root session', async () => {
    aws.setCloudTrailIdentities({ type: 'Root', principalId: '123456789012' });

    expect(await containBare()).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/root user/),
    });
  });

  it('reads at most three pages', async () => {
    aws.cloudtrail.on(LookupEventsCommand).resolves({ Events: [], NextToken: 'more' });

    await containBare();

    expect(aws.cloudtrail).toHaveReceivedCommandTimes(LookupEventsCommand, 3);
  });

  it('fails on record when CloudTrail refuses', async () => {
    aws.cloudtrail
      .on(LookupEventsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    expect(await containBare()).toMatchObject({ outcome: 'failed', errorCode: 'AccessDenied' });
  });
});
