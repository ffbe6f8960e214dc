import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import { onRunbook } from '../../functions/on-runbook';
import {
  policyOf,
  responderStatement,
  revocationPolicy,
} from '../../shared/revocation/revocation-policy';
import { captureLogs, loadEvent, TEST_CONFIG, testDeps } from '../support/deps';
import { ACCOUNT, mockAccount } from '../support/mock-aws';

const context = { awsRequestId: 'req-1' };
let aws: ReturnType<typeof mockAccount>;

beforeEach(() => {
  aws = mockAccount();
});
afterEach(() => {
  aws.restore();
  vi.restoreAllMocks();
});

describe('onFinding with an IAM user key', () => {
  it('deactivates exactly the named key and nothing else', async () => {
    const [report] = await onFinding(
      loadEvent('guardduty-akia-iam-user.json'),
      context,
      testDeps(),
    );

    expect(aws.iam).toHaveReceivedCommandOnce(UpdateAccessKeyCommand);
    expect(aws.iam).toHaveReceivedCommandWith(UpdateAccessKeyCommand, {
      UserName: 'demo-ci-deployer',
      AccessKeyId: 'AKIAEXAMPLEDEMO00001',
      Status: 'Inactive',
    });
    expect(aws.iam).not.toHaveReceivedCommand(DeleteAccessKeyCommand);
    expect(report).toMatchObject({
      incidentId: 'guardduty-example0akia0iam0user0finding01',
      source: 'guardduty',
      accessKeyId: 'AKIAEXAMPLEDEMO00001',
      accountId: ACCOUNT,
      principal: {
        type: 'IAMUser',
        name: 'demo-ci-deployer',
        arn: `arn:aws:iam::${ACCOUNT}:user/ci/demo-ci-deployer`,
      },
      outcome: 'contained',
      actions: [
        { name: 'deactivate-access-key', status: 'verified' },
        { name: 'record-deactivation', status: 'verified' },
        { name: 'revoke-user-sessions', status: 'verified' },
      ],
      evidence: {
        keyLastUse: { date: '2026-11-22T09:59:00.000Z', service: 's3', region: 'us-east-1' },
        revocationPolicyBefore: null,
      },
      dryRun: false,
      errorCode: null,
    });
    expect(report?.containMs).toBeTypeOf('number');
  });

  it('reports a key already inactive without writing again', async () => {
    aws.setKeyStatus('Inactive');
    aws.setPolicy('user', JSON.stringify(revocationPolicy('2026-11-22T10:00:20Z')));

    const [report] = await onFinding(
      loadEvent('guardduty-akia-iam-user.json'),
      context,
      testDeps(),
    );

    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [{ status: 'already-in-place' }, { status: 'already-in-place' }],
    });
    expect(aws.iam).not.toHaveReceivedCommand(TagUserCommand);
  });

  it('escalates without acting when IAM names another owner than the finding', async () => {
    aws.iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'someone-else' });

    const [report] = await onFinding(
      loadEvent('guardduty-akia-iam-user.json'),
      context,
      testDeps(),
    );

    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/someone-else/),
    });
  });

  it('fails on record and throws for a retry when AWS refuses the write', async () => {
    aws.iam
      .on(UpdateAccessKeyCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const logs = captureLogs();

    await expect(
      onFinding(
        loadEvent('guardduty-akia-iam-user.json'),
        context,
        testDeps({ logger: logs.logger }),
      ),
    ).rejects.toThrow(/1 of 1 incidents failed.*AccessDenied/);

    const audit = logs.lines().find((l) => l.message === 'incident report');
    expect(audit?.report).toMatchObject({
      outcome: 'failed',
      errorCode: 'AccessDenied',
      // The other containing write and the record went ahead with it.
      actions: [
        { status: 'failed' },
        { name: 'record-deactivation' },
        { name: 'revoke-user-sessions', status: 'verified' },
      ],
    });
  });

  it('fails the action when the write does not read back', async () => {
    aws.iam.on(UpdateAccessKeyCommand).resolves({}); // accepted, but the key stays Active

    await expect(
      onFinding(loadEvent('guardduty-akia-iam-user.json'), context, testDeps()),
    ).rejects.toThrow(/VerificationFailed/);
  });

  it('leaves a key of another account alone', async () => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    event.detail.accountId = '210987654321';

    const [report] = await onFinding(event, context, testDeps());

    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/inconsistent/),
    });
  });
});

describe('onFinding with an assumed role', () => {
  it("denies only the instance's credentials, with a cutoff of now plus the margin", async () => {
    const [report] = await onFinding(
      loadEvent('guardduty-asia-assumed-role.json'),
      context,
      testDeps(),
    );

    expect(aws.iam).toHaveReceivedCommandOnce(PutRolePolicyCommand);
    expect(aws.iam).toHaveReceivedCommandWith(PutRolePolicyCommand, {
      RoleName: 'demo-app-role',
      PolicyName: 'CredentialResponderRevokeInstanceSessions',
      PolicyDocument: JSON.stringify(
        policyOf([
          responderStatement(
            'guardduty-example0asia0role0finding00001',
            '2026-11-22T10:00:30Z',
            'AROAEXAMPLEDEMO00001:i-0123456789abcdef0',
          ),
        ]),
      ),
    });
    expect(report).toMatchObject({
      outcome: 'contained',
      principal: {
        type: 'AssumedRole',
        name: 'demo-app-role',
        arn: `arn:aws:iam::${ACCOUNT}:role/demo-app-role`,
      },
      actions: [{ name: 'revoke-role-sessions', status: 'verified' }],
    });
    // The policy's Sid is the responder's record on a role: one IAM write, no tags.
    expect(aws.iam).not.toHaveReceivedCommand(TagRoleCommand);
    expect(report?.notes.join(' ')).toMatch(
      /Only the credentials of EC2 instance i-0123456789abcdef0/,
    );
  });

  it('revokes every session of the role with INSTANCE_REVOCATION=role', async () => {
    const deps = { ...testDeps(), config: { ...TEST_CONFIG, instanceRevocation: 'role' as const } };

    await onFinding(loadEvent('guardduty-asia-assumed-role.json'), context, deps);

    expect(aws.iam).toHaveReceivedCommandWith(PutRolePolicyCommand, {
      RoleName: 'demo-app-role',
      PolicyName: 'AWSRevokeOlderSessions',
      PolicyDocument: JSON.stringify(
        revocationPolicy('2026-11-22T10:00:30Z', 'guardduty-example0asia0role0finding00001'),
      ),
    });
  });

  it('keeps a later cutoff a person set, writing nothing', async () => {
    aws.setPolicy('role', JSON.stringify(revocationPolicy('2026-11-23T00:00:00Z')));

    const [report] = await onFinding(
      loadEvent('guardduty-asia-assumed-role.json'),
      context,
      testDeps(),
    );

    expect(aws.iam).not.toHaveReceivedCommand(PutRolePolicyCommand);
    expect(report).toMatchObject({
      outcome: 'contained',
      actions: [
        { status: 'already-in-place', detail: expect.stringMatching(/2026-11-23T00:00:00Z/) },
      ],
    });
  });
});

describe('entry points and bad input', () => {
  it('skips a sample finding without any AWS call', async () => {
    const event = loadEvent('guardduty-akia-iam-user.json');
    event.detail.service.additionalInfo = { sample: true };

    const [report] = await onFinding(event, context, testDeps());

    expect(aws.iam.calls()).toHaveLength(0);
    expect(aws.sts.calls()).toHaveLength(0);
    expect(report?.outcome).toBe('skipped');
  });

  it('reports malformed input to onFinding without throwing or calling AWS', async () => {
    const [report] = await onFinding(
      { source: 'aws.guardduty', detail: 'truncated' },
      context,
      testDeps(),
    );

    expect(aws.iam.calls()).toHaveLength(0);
    expect(report).toMatchObject({
      outcome: 'failed',
      errorCode: null,
      reason: expect.stringMatching(/not a valid GuardDuty finding event/),
    });
  });

  it('contains a bare key from the console, finding its owner with one IAM call', async () => {
    const report = await contain(
      { runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00001' },
      context,
      testDeps(),
    );

    expect(aws.iam).toHaveReceivedCommandOnce(GetAccessKeyLastUsedCommand);
    expect(aws.iam).toHaveReceivedCommandWith(UpdateAccessKeyCommand, {
      UserName: 'demo-ci-deployer',
      AccessKeyId: 'AKIAEXAMPLEDEMO00001',
    });
    expect(report).toMatchObject({
      incidentId: 'console-req-1',
      source: 'runbook',
      trigger: 'console',
      outcome: 'contained',
    });
  });

  it('returns a failed report from the console instead of throwing', async () => {
    aws.iam
      .on(UpdateAccessKeyCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'Throttling' }));

    const report = await contain(
      { runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00001' },
      context,
      testDeps(),
    );

    expect(report).toMatchObject({ outcome: 'failed', errorCode: 'Throttling' });
  });

  it('escalates a bare temporary key that CloudTrail does not know, changing nothing', async () => {
    const report = await contain(
      { runbook: 'contain', accessKeyId: 'ASIAEXAMPLEDEMO00001' },
      context,
      testDeps(),
    );

    expect(aws.cloudtrail).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'ASIAEXAMPLEDEMO00001' }],
    });
    expect(aws.iam).not.toHaveReceivedCommand(PutRolePolicyCommand);
    expect(report).toMatchObject({
      outcome: 'escalated',
      reason: expect.stringMatching(/no CloudTrail event .* names a holder/),
    });
  });

  it('handles every SNS record and gives one report each', async () => {
    const event = loadEvent('sns-runbook-contain.json');
    const second = structuredClone(event.Records[0]);
    second.Sns.MessageId = 'second-message';
    second.Sns.Message = JSON.stringify({ runbook: 'contain', accessKeyId: 'not-a-key' });
    event.Records.push(second);

    const reports = await onRunbook(event, context, testDeps());

    expect(reports.map((r) => [r.incidentId, r.outcome])).toEqual([
      ['sns-5d5e2a8c-1111-4222-8333-944455556666', 'contained'],
      ['sns-second-message', 'failed'],
    ]);
  });

  it('asks who the responder is once per container', async () => {
    const deps = testDeps();

    await contain({ runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00001' }, context, deps);
    await contain({ runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00001' }, context, deps);

    expect(aws.sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });
});

describe('the audit record', () => {
  it('logs one report line per incident, with the incident keys', async () => {
    const logs = captureLogs();

    await onFinding(
      loadEvent('guardduty-akia-iam-user.json'),
      context,
      testDeps({ logger: logs.logger }),
    );

    const reports = logs.lines().filter((l) => l.message === 'incident report');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      level: 'INFO',
      incidentId: 'guardduty-example0akia0iam0user0finding01',
      accessKeyId: 'AKIAEXAMPLEDEMO00001',
      report: { outcome: 'contained' },
    });
    expect(logs.lines().some((l) => String(l.message).startsWith('decision: contain'))).toBe(true);
  });

  it('never logs a secret that arrives in the input', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
    const token = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN';
    const logs = captureLogs();

    await contain(
      { runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00001', secretAccessKey: secret },
      context,
      testDeps({ logger: logs.logger }),
    );
    await contain(
      { runbook: 'contain', accessKeyId: secret },
      context,
      testDeps({ logger: logs.logger }),
    );
    const event = loadEvent('sns-runbook-contain.json');
    event.Records[0].Sns.Message = JSON.stringify({
      runbook: 'contain',
      accessKeyId: 'AKIAEXAMPLEDEMO00001',
      sessionToken: token,
    });
    await onRunbook(event, context, testDeps({ logger: logs.logger }));

    expect(logs.lines().length).toBeGreaterThan(2);
    expect(logs.raw()).not.toContain(secret);
    expect(logs.raw()).not.toContain(token);
    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });
});

describe('verification', () => {
  it('reads the key back after deactivating it', async () => {
    await contain({ runbook: 'contain', accessKeyId: 'AKIAEXAMPLEDEMO00001' }, context, testDeps());

    expect(aws.iam).toHaveReceivedCommandWith(ListAccessKeysCommand, {
      UserName: 'demo-ci-deployer',
    });
  });
});
