import { Logger } from '@aws-lambda-powertools/logger';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListRolesCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onFollowUp } from '../../functions/follow-up';
import { onFinding } from '../../functions/on-finding';
import type { AwsClients } from '../../shared/aws-clients';
import type { Config } from '../../shared/config';
import type { FollowUpRecord } from '../../shared/follow-up/follow-up-record';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { REVOCATION_POLICY_NAME } from '../../shared/revocation/revocation-policy';
import type { StandInAdmin } from '../stand-in/admin';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';
import { deliveredAs } from '../stand-in/state';
import { TEST_CONFIG } from '../support/deps';
import { clientsAt, createTopic, uniqueName } from '../support/endpoint';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  snsEvent,
  userFindingEvent,
} from '../support/seed';

/**
 * A containment's follow-up end to end against the stand-in, whose CloudTrail records what the
 * stolen key did: the persistence sweep (keys it created contained, the rest listed), and the hold
 * check (the containment put back when undone, an alarm when the key is still used). CloudTrail's
 * contents are the stand-in's: moto and LocalStack record no Event history to look up.
 */
const ADMIN = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'integration-test' };
const context = { awsRequestId: 'follow-up' };

let standIn: StandIn;
let admin: StandInAdmin;
let clients: AwsClients;
let accountId: string;
let topicArn: string;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
  admin = standInAdmin(standIn);
  clients = clientsAt(standIn.url, ADMIN);
  accountId = (await clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  topicArn = await createTopic(standIn.url, ADMIN, 'credential-responder-notifications');
});
afterAll(() => standIn.stop());

function deps(config: Partial<Config> = {}, clock?: () => number): Deps {
  const logger = new Logger({ serviceName: 'integration', logLevel: 'SILENT' });
  return {
    clients: clientsAt(standIn.url, ADMIN, 3),
    config: { ...TEST_CONFIG, notificationTopicArn: topicArn, ...config },
    logger,
    ...(clock ? { clock } : {}),
  };
}

/** The follow-up function, with its metric lines kept. */
async function followUp(event: unknown, d = deps()) {
  const metrics: Record<string, unknown>[] = [];
  const records = await onFollowUp(event, context, d, (line) => metrics.push(JSON.parse(line)));
  return { records, metrics };
}

const keyStatuses = async (userName: string) =>
  Object.fromEntries(
    (
      (await clients.iam.send(new ListAccessKeysCommand({ UserName: userName })))
        .AccessKeyMetadata ?? []
    ).map((k) => [k.AccessKeyId, k.Status]),
  );

/** A user whose only key is stolen, and clients signing with that key. */
async function stolenUserKey() {
  const user = await seedUserWithKeys(clients, 1);
  const [accessKeyId = ''] = user.accessKeyIds;
  const thief = clientsAt(standIn.url, { accessKeyId, secretAccessKey: user.secrets[0] ?? '' }, 1);
  return { ...user, accessKeyId, thief };
}

/** Contains the key through onFinding, as a GuardDuty finding would. */
async function contain(userName: string, accessKeyId: string, userId: string): Promise<Report> {
  const event = userFindingEvent(accountId, userName, accessKeyId, userId);
  event.detail.id = uniqueName('finding');
  const [report] = await onFinding(event, context, deps());
  expect(report?.outcome).toBe('contained');
  return report as Report;
}

const containedAt = (report: Report) =>
  new Date(Date.parse(report.startedAt) + (report.containMs ?? 0));

const holdCheckOf = (report: Report, at = containedAt(report)) => ({
  followUp: 'hold-check',
  incidentId: report.incidentId,
  accessKeyId: report.accessKeyId,
  containedAt: at.toISOString(),
});

describe('the persistence sweep', () => {
  it('contains the key the stolen key created (a linked incident) and lists the login profile it set', async () => {
    const stolen = await stolenUserKey();
    const created = await stolen.thief.iam.send(
      new CreateAccessKeyCommand({ UserName: stolen.userName }),
    );
    const newKey = created.AccessKey?.AccessKeyId ?? '';
    await stolen.thief.iam.send(
      new CreateLoginProfileCommand({ UserName: stolen.userName, Password: 'Example-Passw0rd!' }),
    );
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);

    // The report reaches the follow-up function through the notification topic.
    const { records, metrics } = await followUp(snsEvent(topicArn, report, 'report-1'));

    expect(records).toHaveLength(1);
    const [sweep] = records as [FollowUpRecord];
    expect(sweep).toMatchObject({
      kind: 'follow-up',
      check: 'sweep',
      incidentId: report.incidentId,
      accessKeyId: stolen.accessKeyId,
      outcome: 'found',
      principal: { type: 'IAMUser', name: stolen.userName },
      createdKeys: [
        {
          accessKeyId: newKey,
          userName: stolen.userName,
          incidentId: `${report.incidentId}-created-${newKey}`,
          outcome: 'contained',
        },
      ],
      review: [
        expect.objectContaining({
          eventName: 'CreateLoginProfile',
          target: `user/${stolen.userName}`,
        }),
      ],
    });
    expect(await keyStatuses(stolen.userName)).toEqual({
      [stolen.accessKeyId]: 'Inactive',
      [newKey]: 'Inactive',
    });
    expect(sweep.notes.join(' ')).toMatch(/No hold check scheduled/);
    expect(metrics[0]).toMatchObject({ check: 'sweep', outcome: 'found', CreatedKeysContained: 1 });
    // Published for people: the linked incident's report, and the follow-up record.
    const published = admin.published(topicArn).map((m) => JSON.parse(deliveredAs(m, 'lambda')));
    expect(published).toContainEqual(
      expect.objectContaining({
        incidentId: `${report.incidentId}-created-${newKey}`,
        source: 'follow-up',
        outcome: 'contained',
      }),
    );
    expect(published).toContainEqual(
      expect.objectContaining({
        kind: 'follow-up',
        incidentId: report.incidentId,
        outcome: 'found',
      }),
    );
  });

  it('changes nothing when run again (a redelivered report)', async () => {
    const stolen = await stolenUserKey();
    const created = await stolen.thief.iam.send(
      new CreateAccessKeyCommand({ UserName: stolen.userName }),
    );
    const newKey = created.AccessKey?.AccessKeyId ?? '';
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    await followUp(snsEvent(topicArn, report, 'report-2'));
    standIn.resetCalls();

    const { records } = await followUp(snsEvent(topicArn, report, 'report-2'));

    expect(records[0]?.createdKeys).toEqual([
      expect.objectContaining({ accessKeyId: newKey, outcome: 'contained' }),
    ]);
    expect(standIn.calls.get('UpdateAccessKey') ?? 0).toBe(0);
    expect(await keyStatuses(stolen.userName)).toEqual({
      [stolen.accessKeyId]: 'Inactive',
      [newKey]: 'Inactive',
    });
  });

  it('is clean for a key that changed nothing, and says which region and events it read', async () => {
    const stolen = await stolenUserKey();
    await stolen.thief.iam.send(new ListRolesCommand({}));
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);

    const { records } = await followUp(snsEvent(topicArn, report, 'report-3'));

    expect(records[0]).toMatchObject({
      outcome: 'clean',
      createdKeys: [],
      review: [],
      cloudTrail: { regions: ['us-east-1'], pages: 1, truncated: false },
    });
    expect(records[0]?.notes.join(' ')).toMatch(/CloudTrail of us-east-1 was read/);
  });

  it('follows up nothing for a report of a key the responder never contained (forged)', async () => {
    const innocent = await stolenUserKey();
    const created = await innocent.thief.iam.send(
      new CreateAccessKeyCommand({ UserName: innocent.userName }),
    );
    const forged = {
      incidentId: 'guardduty-forged',
      accessKeyId: innocent.accessKeyId,
      outcome: 'contained',
      startedAt: new Date().toISOString(),
      containMs: 10,
    };

    const { records } = await followUp(snsEvent(topicArn, forged, 'forged-1'));

    expect(records[0]).toMatchObject({ outcome: 'skipped', createdKeys: [] });
    expect(records[0]?.reason).toMatch(/IAM does not show that incident guardduty-forged/);
    expect(await keyStatuses(innocent.userName)).toEqual({
      [innocent.accessKeyId]: 'Active',
      [created.AccessKey?.AccessKeyId ?? '']: 'Active',
    });
  });

  it('plans, and changes nothing, in dry run', async () => {
    const stolen = await stolenUserKey();
    const created = await stolen.thief.iam.send(
      new CreateAccessKeyCommand({ UserName: stolen.userName }),
    );
    const newKey = created.AccessKey?.AccessKeyId ?? '';
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);

    const { records } = await followUp(
      snsEvent(topicArn, report, 'report-4'),
      deps({ dryRun: true }),
    );

    expect(records[0]).toMatchObject({
      dryRun: true,
      createdKeys: [expect.objectContaining({ accessKeyId: newKey, outcome: 'planned' })],
    });
    expect((await keyStatuses(stolen.userName))[newKey]).toBe('Active');
  });

  /** `count` calls made with the key an hour ago, one a second. */
  function seedCalls(stolen: { accessKeyId: string; userName: string }, count: number) {
    const now = Date.now();
    for (let i = 0; i < count; i++) {
      admin.addCloudTrailEvent({
        accountId,
        eventTime: new Date(now - 3_600_000 - i * 1000),
        eventName: 'ListBuckets',
        eventSource: 's3.amazonaws.com',
        accessKeyId: stolen.accessKeyId,
        identity: { type: 'IAMUser', userName: stolen.userName },
        readOnly: true,
      });
    }
  }

  it('reads every page of a busy key', async () => {
    const stolen = await stolenUserKey();
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    seedCalls(stolen, 120);

    const { records } = await followUp({
      followUp: 'sweep',
      incidentId: report.incidentId,
      accessKeyId: stolen.accessKeyId,
    });

    expect(records[0]?.cloudTrail).toMatchObject({ pages: 3, truncated: false });
    expect(records[0]?.cloudTrail?.events).toBeGreaterThanOrEqual(120);
    expect(records[0]?.outcome).toBe('clean');
  });

  it('stops after 20 pages of a very busy key, and says the oldest events were not read', async () => {
    const stolen = await stolenUserKey();
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    seedCalls(stolen, 1010);

    const { records } = await followUp({
      followUp: 'sweep',
      incidentId: report.incidentId,
      accessKeyId: stolen.accessKeyId,
    });

    expect(records[0]?.cloudTrail).toMatchObject({ pages: 20, events: 1000, truncated: true });
    expect(records[0]?.notes.join(' ')).toMatch(/the oldest were not seen/);
  });

  it('waits out CloudTrail throttling, and fails for a retry when it does not end', async () => {
    const stolen = await stolenUserKey();
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    const request = {
      followUp: 'sweep',
      incidentId: report.incidentId,
      accessKeyId: stolen.accessKeyId,
    };

    admin.injectFault('Throttling', { action: 'LookupEvents', times: 2 });
    const { records } = await followUp(request);
    expect(records[0]?.outcome).toBe('clean');

    // Every attempt the client makes (three here) is throttled.
    admin.injectFault('Throttling', { action: 'LookupEvents', times: 3 });
    const failing = await onFollowUp(request, context, deps(), () => undefined).catch(
      (error: unknown) => error,
    );
    expect(failing).toBeInstanceOf(Error);
    expect(String(failing)).toMatch(/Throttling/);
  });
});

describe('the hold check', () => {
  it('finds a containment that held: key Inactive, revocation in place, later calls denied', async () => {
    const stolen = await stolenUserKey();
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    const at = new Date(Date.now() - 10 * 60_000);
    admin.addCloudTrailEvent({
      accountId,
      eventTime: new Date(Date.now() - 60_000),
      eventName: 'ListBuckets',
      eventSource: 's3.amazonaws.com',
      accessKeyId: stolen.accessKeyId,
      identity: { type: 'IAMUser', userName: stolen.userName },
      errorCode: 'InvalidClientTokenId',
    });

    const { records, metrics } = await followUp(holdCheckOf(report, at));

    expect(records[0]).toMatchObject({ check: 'hold', outcome: 'held', reapplied: null });
    expect(records[0]?.usedAfterContainment).toEqual([
      expect.objectContaining({ eventName: 'ListBuckets', errorCode: 'InvalidClientTokenId' }),
    ]);
    expect(metrics[0]).toMatchObject({ StillInUse: 0, Reapplied: 0 });
  });

  it("puts back a user's revocation someone deleted, and flags the tampering", async () => {
    const stolen = await stolenUserKey();
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    await clients.iam.send(
      new DeleteUserPolicyCommand({
        UserName: stolen.userName,
        PolicyName: REVOCATION_POLICY_NAME,
      }),
    );

    const { records, metrics } = await followUp(holdCheckOf(report));

    expect(records[0]).toMatchObject({
      outcome: 'reapplied',
      reapplied: { outcome: 'contained' },
    });
    expect(records[0]?.reason).toMatch(/^TAMPERING: no revocation on IAMUser/);
    expect(metrics[0]).toMatchObject({ Reapplied: 1 });
    const policy = await clients.iam.send(
      new GetUserPolicyCommand({ UserName: stolen.userName, PolicyName: REVOCATION_POLICY_NAME }),
    );
    expect(policy.PolicyDocument).toBeDefined();
  });

  it('deactivates again a key someone reactivated', async () => {
    const stolen = await stolenUserKey();
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    await clients.iam.send(
      new UpdateAccessKeyCommand({
        UserName: stolen.userName,
        AccessKeyId: stolen.accessKeyId,
        Status: 'Active',
      }),
    );

    const { records } = await followUp(holdCheckOf(report));

    expect(records[0]?.outcome).toBe('reapplied');
    expect(records[0]?.reapplied?.undone).toEqual([`key ${stolen.accessKeyId} is Active again`]);
    expect(await keyStatuses(stolen.userName)).toEqual({ [stolen.accessKeyId]: 'Inactive' });
  });

  it("puts back a role's revocation someone deleted (the holder from CloudTrail)", async () => {
    const session = await seedRoleSession(clients);
    const sessionClients = clientsAt(standIn.url, session.credentials, 1);
    await sessionClients.iam.send(new ListRolesCommand({}));
    const [report] = await onFinding(
      roleFindingEvent(
        accountId,
        session.roleName,
        session.roleId,
        session.credentials.accessKeyId,
      ),
      context,
      deps(),
    );
    expect(report?.outcome).toBe('contained');
    await clients.iam.send(
      new DeleteRolePolicyCommand({
        RoleName: session.roleName,
        PolicyName: REVOCATION_POLICY_NAME,
      }),
    );

    const { records } = await followUp(holdCheckOf(report as Report));

    expect(records[0]).toMatchObject({
      outcome: 'reapplied',
      principal: { type: 'AssumedRole', name: session.roleName },
      reapplied: { outcome: 'contained' },
    });
    const policy = await clients.iam.send(
      new GetRolePolicyCommand({ RoleName: session.roleName, PolicyName: REVOCATION_POLICY_NAME }),
    );
    expect(policy.PolicyDocument).toBeDefined();
  });

  it('raises the alarm when the key was used successfully after its containment', async () => {
    const stolen = await stolenUserKey();
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    const at = new Date(Date.now() - 10 * 60_000);
    admin.addCloudTrailEvent({
      accountId,
      eventTime: new Date(Date.now() - 2 * 60_000),
      eventName: 'GetObject',
      eventSource: 's3.amazonaws.com',
      accessKeyId: stolen.accessKeyId,
      identity: { type: 'IAMUser', userName: stolen.userName },
      readOnly: true,
    });

    const { records, metrics } = await followUp(holdCheckOf(report, at));

    expect(records[0]?.outcome).toBe('still-in-use');
    expect(records[0]?.reason).toMatch(/^ALARM: .* used successfully 1 time\(s\)/);
    expect(metrics[0]).toMatchObject({ StillInUse: 1 });
    const published = admin.published(topicArn);
    expect(published.at(-1)?.subject).toBe(`[FOLLOW-UP STILL-IN-USE] ${report.incidentId}`);
  });

  it('contains a key the stolen key created just before, which CloudTrail delivered after the sweep', async () => {
    const stolen = await stolenUserKey();
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    const at = containedAt(report);
    const late = await clients.iam.send(new CreateAccessKeyCommand({ UserName: stolen.userName }));
    const lateKey = late.AccessKey?.AccessKeyId ?? '';
    admin.addCloudTrailEvent({
      accountId,
      eventTime: new Date(at.getTime() - 2 * 60_000),
      eventName: 'CreateAccessKey',
      eventSource: 'iam.amazonaws.com',
      accessKeyId: stolen.accessKeyId,
      identity: { type: 'IAMUser', userName: stolen.userName },
      requestParameters: { userName: stolen.userName },
      responseElements: {
        accessKey: { userName: stolen.userName, accessKeyId: lateKey, status: 'Active' },
      },
    });

    const { records } = await followUp(holdCheckOf(report, at));

    expect(records[0]).toMatchObject({
      outcome: 'held',
      createdKeys: [expect.objectContaining({ accessKeyId: lateKey, outcome: 'contained' })],
    });
    expect((await keyStatuses(stolen.userName))[lateKey]).toBe('Inactive');
  });

  it('is turned off by HOLD_CHECK=false, and the sweep by FOLLOW_UP_SWEEP=false', async () => {
    const stolen = await stolenUserKey();
    const report = await contain(stolen.userName, stolen.accessKeyId, stolen.userId);
    const off = { ...TEST_CONFIG.followUp, holdCheck: false, sweep: false };
    standIn.resetCalls();

    const { records } = await followUp(holdCheckOf(report), deps({ followUp: off }));
    const sweep = await followUp(snsEvent(topicArn, report, 'off-1'), deps({ followUp: off }));

    expect(records[0]?.outcome).toBe('skipped');
    expect(sweep.records[0]?.outcome).toBe('skipped');
    expect(standIn.calls.get('LookupEvents') ?? 0).toBe(0);
  });
});
