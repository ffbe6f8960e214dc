import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRootCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contain } from '../../functions/contain';
import { onFinding } from '../../functions/on-finding';
import type { Config } from '../../shared/config';
import { AwsCallError } from '../../shared/errors';
import type { Report } from '../../shared/report/report';
import { loadEvent, organizationAnswering, TEST_CONFIG, testDeps } from '../support/deps';

const OWN = '123456789012';
const MEMBER = '210987654321';
const MANAGEMENT = '111111111111';
const KEY = 'AKIAEXAMPLEMEMROOT01';
const DELETE_TASK = 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials';
const context = { awsRequestId: 'root-1' };

let iam: AwsClientStub<IAMClient>;
let sts: AwsClientStub<STSClient>;
/** The member root user's keys, as the root session lists them. */
let rootKeys: string[];

beforeEach(() => {
  iam = mockClient(IAMClient);
  sts = mockClient(STSClient);
  rootKeys = [KEY];
  sts.on(GetCallerIdentityCommand).resolves({
    Account: OWN,
    Arn: `arn:aws:sts::${OWN}:assumed-role/credential-responder/responder`,
  });
  sts.on(GetAccessKeyInfoCommand).resolves({ Account: MEMBER });
  sts.on(AssumeRootCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIAROOTSESSION00001',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date('2026-11-22T10:02:00Z'),
    },
  });
  iam.on(ListAccessKeysCommand).callsFake(() => ({
    AccessKeyMetadata: rootKeys.map((AccessKeyId) => ({ AccessKeyId, Status: 'Active' })),
  }));
  iam.on(GetAccessKeyLastUsedCommand).resolves({
    AccessKeyLastUsed: {
      LastUsedDate: new Date('2026-11-22T09:59:00Z'),
      ServiceName: 's3',
      Region: 'us-east-1',
    },
  });
  iam.on(DeleteAccessKeyCommand).callsFake((input: { AccessKeyId: string }) => {
    rootKeys = rootKeys.filter((k) => k !== input.AccessKeyId);
    return {};
  });
});
afterEach(() => {
  iam.restore();
  sts.restore();
});

const DELETE: Partial<Config> = { rootKeys: 'delete', allowedAccountIds: [MEMBER] };

async function respondTo(
  config: Partial<Config>,
  options: {
    management?: () => string | undefined | Promise<string | undefined>;
    event?: object;
  } = {},
): Promise<{ report: Report; organizations: ReturnType<typeof organizationAnswering> }> {
  const deps = testDeps();
  const organizations = organizationAnswering(options.management ?? (() => MANAGEMENT));
  deps.clients.organizations = organizations;
  deps.config = { ...TEST_CONFIG, ...config };
  const event = options.event ?? loadEvent('guardduty-member-root-key.json');
  const [report] = await onFinding(event, context, deps);
  if (!report) throw new Error('no report');
  return { report, organizations };
}

const deletes = () => iam.commandCalls(DeleteAccessKeyCommand).length;
const assumes = () => sts.commandCalls(AssumeRootCommand).length;

describe('a member account root access key', () => {
  it('is escalated by default, without asking AWS anything', async () => {
    const { report, organizations } = await respondTo({ allowedAccountIds: [MEMBER] });

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/root user/);
    expect(report.reason).toMatch(/ROOT_KEYS=delete/);
    expect(assumes()).toBe(0);
    expect(organizations.calls).toBe(0);
    expect(deletes()).toBe(0);
  });

  it('with ROOT_KEYS=delete, is deleted through a root session limited to deleting root credentials', async () => {
    const { report } = await respondTo(DELETE);

    expect(report.outcome).toBe('contained');
    expect(report.principal).toEqual({
      type: 'Root',
      name: 'root',
      arn: `arn:aws:iam::${MEMBER}:root`,
    });
    expect(report.accountId).toBe(MEMBER);
    expect(sts.commandCalls(AssumeRootCommand).map((c) => c.args[0].input)).toEqual([
      { TargetPrincipal: MEMBER, TaskPolicyArn: { arn: DELETE_TASK }, DurationSeconds: 120 },
    ]);
    // Without UserName: IAM applies it to the caller's own user, the root user of the session.
    expect(iam.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { AccessKeyId: KEY },
    ]);
    expect(iam.commandCalls(ListAccessKeysCommand).map((c) => c.args[0].input)).toEqual([{}, {}]);
    expect(report.actions).toEqual([
      expect.objectContaining({
        name: 'delete-root-access-key',
        status: 'verified',
        target: `root user of account ${MEMBER} key ${KEY}`,
      }),
    ]);
    expect(report.evidence?.keyLastUse).toEqual({
      date: '2026-11-22T09:59:00.000Z',
      service: 's3',
      region: 'us-east-1',
    });
    expect(report.notes.join(' ')).toMatch(/cannot be undone/);
    expect(report.notes.join(' ')).toMatch(/MFA/);
    expect(report.containMs).not.toBeNull();
  });

  it('reports a key no longer among the root user keys as already gone, deleting nothing', async () => {
    rootKeys = ['AKIAEXAMPLEMEMROOT02'];
    iam
      .on(GetAccessKeyLastUsedCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const { report } = await respondTo(DELETE);

    expect(report.outcome).toBe('contained');
    expect(report.reason).toMatch(/already contained/);
    expect(report.actions).toEqual([
      expect.objectContaining({
        status: 'already-in-place',
        detail: expect.stringMatching(/already deleted/),
      }),
    ]);
    expect(deletes()).toBe(0);
  });

  it('escalates when IAM says the key is an IAM user key, deleting nothing', async () => {
    rootKeys = [];
    iam
      .on(GetAccessKeyLastUsedCommand)
      .resolves({ UserName: 'alice', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    const { report } = await respondTo(DELETE);

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/belongs to user alice/);
    expect(deletes()).toBe(0);
  });

  it.each([
    ['the management account', { management: () => MEMBER }, /management account/],
    ['no organization', { management: () => undefined }, /in no AWS Organization/],
  ])('escalates for %s, without a root session', async (_label, options, reason) => {
    const { report } = await respondTo(DELETE, options);

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(reason);
    expect(assumes()).toBe(0);
    expect(deletes()).toBe(0);
  });

  it("escalates for the responder's own account's root key", async () => {
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: OWN });
    const event = loadEvent('guardduty-member-root-key.json');
    event.account = OWN;
    event.detail.accountId = OWN;
    const { report } = await respondTo(
      { rootKeys: 'delete', allowedAccountIds: [MEMBER, OWN] },
      { event },
    );

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/responder's own account/);
    expect(assumes()).toBe(0);
  });

  it('escalates for an account outside ALLOWED_ACCOUNT_IDS', async () => {
    const { report } = await respondTo({ rootKeys: 'delete', allowedAccountIds: [] });

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/not in ALLOWED_ACCOUNT_IDS/);
    expect(assumes()).toBe(0);
  });

  it('escalates an account outside ALLOWED_ACCOUNT_IDS even while Organizations fails', async () => {
    const { report } = await respondTo(
      { rootKeys: 'delete', allowedAccountIds: [] },
      {
        management: () => {
          throw new AwsCallError('organizations:DescribeOrganization', 'TooManyRequests', 'slow');
        },
      },
    );

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/not in ALLOWED_ACCOUNT_IDS/);
    expect(assumes()).toBe(0);
  });

  it('escalates when the finding names another account than the key', async () => {
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: '333333333333' });
    const { report } = await respondTo({
      rootKeys: 'delete',
      allowedAccountIds: [MEMBER, '333333333333'],
    });

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/inconsistent input/);
    expect(assumes()).toBe(0);
  });

  it('shows the plan in a dry run and takes no root session', async () => {
    const { report } = await respondTo({ ...DELETE, dryRun: true });

    expect(report.outcome).toBe('planned');
    expect(report.reason).toMatch(/would delete access key/);
    expect(report.actions).toEqual([
      expect.objectContaining({ name: 'delete-root-access-key', status: 'planned' }),
    ]);
    expect(assumes()).toBe(0);
    expect(deletes()).toBe(0);
  });

  it('escalates with how to enable it when AssumeRoot is refused', async () => {
    sts.on(AssumeRootCommand).rejects(
      Object.assign(new Error('centralized root access is not enabled'), {
        name: 'AccessDenied',
      }),
    );
    const { report } = await respondTo(DELETE);

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/sts:AssumeRoot was refused \(AccessDenied/);
    expect(report.reason).toMatch(/centralized root access must be enabled/);
    expect(deletes()).toBe(0);
  });

  it('fails (to be retried) when AWS is throttling, never escalating a passing fault', async () => {
    sts
      .on(AssumeRootCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $retryable: {} }));
    await expect(respondTo(DELETE)).rejects.toThrow(/1 of 1 incidents failed: .*Throttling/);
    expect(deletes()).toBe(0);
  });

  it('fails (to be retried) when Organizations does not answer', async () => {
    await expect(
      respondTo(DELETE, {
        management: () => {
          throw new AwsCallError(
            'organizations:DescribeOrganization',
            'TooManyRequests',
            'slow down',
          );
        },
      }),
    ).rejects.toThrow(/incidents failed/);
    expect(assumes()).toBe(0);
  });

  it('escalates when which account manages the organization cannot be confirmed', async () => {
    const { report } = await respondTo(DELETE, {
      management: () => {
        throw new AwsCallError('organizations:DescribeOrganization', 'AccessDenied', 'no');
      },
    });

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/could not be confirmed/);
    expect(assumes()).toBe(0);
  });
});

describe('a runbook request for a root access key ("rootKey": true)', () => {
  const runbook = (extra: Record<string, unknown> = {}) => ({
    runbook: 'contain',
    accessKeyId: KEY,
    reason: 'root key found in a public repository',
    rootKey: true,
    ...extra,
  });
  async function ask(body: object, config: Partial<Config> = DELETE) {
    const deps = testDeps();
    deps.clients.organizations = organizationAnswering(() => MANAGEMENT);
    deps.config = { ...TEST_CONFIG, ...config };
    const report = await contain(body, context, deps);
    if (Array.isArray(report)) throw new Error('one key, one report');
    return report;
  }

  it('deletes the key once IAM lists it among the root user keys', async () => {
    const report = await ask(runbook());

    expect(report.outcome).toBe('contained');
    expect(report.source).toBe('runbook');
    expect(iam.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { AccessKeyId: KEY },
    ]);
  });

  it('escalates a key IAM does not list among the root user keys, deleting nothing', async () => {
    rootKeys = ['AKIAEXAMPLEMEMROOT02'];
    const report = await ask(runbook());

    expect(report.outcome).toBe('escalated');
    expect(report.reason).toMatch(/deleted already, or it is not a root key/);
    expect(deletes()).toBe(0);
  });

  it('escalates with the default ROOT_KEYS, and for a temporary key, without a root session', async () => {
    expect((await ask(runbook(), { allowedAccountIds: [MEMBER] })).outcome).toBe('escalated');
    const session = await ask(runbook({ accessKeyId: 'ASIAEXAMPLEMEMROOT01' }));
    expect(session.outcome).toBe('escalated');
    expect(session.reason).toMatch(/not a root access key/);
    expect(assumes()).toBe(0);
  });

  it('takes no root path without the flag', async () => {
    await ask({ runbook: 'contain', accessKeyId: KEY, reason: 'check' }).catch(() => undefined);

    expect(assumes()).toBe(0);
    expect(deletes()).toBe(0);
  });
});
