import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  GetLoginProfileCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onFollowUp } from '../../functions/follow-up';
import { onFinding } from '../../functions/on-finding';
import type { AwsClients } from '../../shared/aws-clients';
import type { Config } from '../../shared/config';
import type { FollowUpRecord } from '../../shared/follow-up/follow-up-record';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';
import { REVOCATION_POLICY_NAME } from '../../shared/revocation/revocation-policy';
import { deactivationTag, TAG } from '../../shared/tags';
import type { StandInAdmin } from '../stand-in/admin';
import { type StandIn, standInAdmin, startStandIn } from '../stand-in/server';
import { deliveredAs } from '../stand-in/state';
import { TEST_CONFIG } from '../support/deps';
import { clientsAt, createTopic, uniqueName } from '../support/endpoint';
import { inlinePolicy, keyStatuses, userTags } from '../support/iam-state';
import { sdkSchedules } from '../support/sdk-scheduler';
import {
  roleFindingEvent,
  seedRoleSession,
  seedUserWithKeys,
  snsEvent,
  userFindingEvent,
} from '../support/seed';

/**
 * The follow-up's attack surface (functions/follow-up.ts, shared/follow-up/): the notification
 * topic, whose publishers are not restricted to the responder, must never make it act on anything
 * IAM does not show the incident contained; CloudTrail records are read, never trusted for more
 * than AWS wrote in them. Each test asserts the outcome and what IAM holds afterwards, against
 * this file's own stand-in.
 */
const ADMIN = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'security-test' };
const context = { awsRequestId: 'follow-up-security' };
const SCHEDULE = {
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:credential-responder-test-followUp',
  roleArn: 'arn:aws:iam::123456789012:role/credential-responder-test-scheduler',
  groupName: 'credential-responder-test',
};
/** Every IAM write the responder can make, and the Scheduler's. */
const WRITES = [
  'UpdateAccessKey',
  'DeleteAccessKey',
  'TagUser',
  'UntagUser',
  'PutUserPolicy',
  'DeleteUserPolicy',
  'PutRolePolicy',
  'DeleteRolePolicy',
  'CreatePolicy',
  'CreatePolicyVersion',
  'AttachUserPolicy',
  'AttachRolePolicy',
  'DeleteLoginProfile',
] as const;

let standIn: StandIn;
let admin: StandInAdmin;
let clients: AwsClients;
let accountId: string;
let topicArn: string;
let runbookTopicArn: string;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0 });
  admin = standInAdmin(standIn);
  clients = clientsAt(standIn.url, ADMIN);
  accountId = (await clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  topicArn = await createTopic(standIn.url, ADMIN, 'credential-responder-notifications');
  runbookTopicArn = await createTopic(standIn.url, ADMIN, 'credential-responder-runbook');
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.resetCalls());

/**
 * The follow-up function's dependencies: IAM, STS, SNS and CloudTrail at the stand-in, and a
 * Scheduler (which the stand-in does not serve) that records every schedule asked for.
 */
function followUpDeps(config: Partial<Config> = {}) {
  const scheduler = new SchedulerClient({
    region: 'us-east-1',
    credentials: ADMIN,
    endpoint: standIn.url,
  });
  const schedules = mockClient(scheduler);
  schedules.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:test' });
  const deps: Deps = {
    clients: { ...clientsAt(standIn.url, ADMIN, 3), scheduler: sdkSchedules(scheduler) },
    config: {
      ...TEST_CONFIG,
      notificationTopicArn: topicArn,
      runbookTopicArn,
      ...config,
      followUp: { ...TEST_CONFIG.followUp, schedule: SCHEDULE, ...config.followUp },
    },
    logger: new Logger({ serviceName: 'security', logLevel: 'SILENT' }),
  };
  /** The Input of every hold check scheduled, as Scheduler would invoke the function with it. */
  const scheduled = () =>
    schedules
      .commandCalls(CreateScheduleCommand)
      .map((call) => JSON.parse(call.args[0].input.Target?.Input ?? 'null') as unknown);
  return { deps, scheduled };
}

/** The follow-up function; a thrown error (a retry asked of Lambda) fails the test. */
async function followUp(event: unknown, deps: Deps) {
  return onFollowUp(event, context, deps, () => undefined);
}

/** IAM writes the stand-in served since the last reset, by action (zeros left out). */
function writesSinceReset(): Record<string, number> {
  return Object.fromEntries(
    WRITES.map((w) => [w, standIn.calls.get(w) ?? 0] as const).filter(([, n]) => n > 0),
  );
}

/** Reports on the notification topic, oldest first, from message `from` on. */
function publishedSince(from: number): Record<string, unknown>[] {
  return admin
    .published(topicArn)
    .slice(from)
    .map((m) => JSON.parse(deliveredAs(m, 'lambda')) as Record<string, unknown>);
}

/** A user whose keys are `keys`, and clients signing with the first (the stolen one). */
async function userWithKeys(keys = 1) {
  const user = await seedUserWithKeys(clients, keys);
  const [accessKeyId = ''] = user.accessKeyIds;
  const signer = clientsAt(standIn.url, { accessKeyId, secretAccessKey: user.secrets[0] ?? '' }, 1);
  return { ...user, accessKeyId, signer };
}

/** Contains the key as a GuardDuty finding would, through onFinding. */
async function contain(user: { userName: string; accessKeyId: string; userId: string }) {
  const event = userFindingEvent(accountId, user.userName, user.accessKeyId, user.userId);
  event.detail.id = uniqueName('finding');
  const [report] = await onFinding(event, context, followUpDeps().deps);
  expect(report?.outcome).toBe('contained');
  return report as Report;
}

/** A report-shaped message, as anyone allowed sns:Publish on the topic can post. */
function forgedReport(incidentId: string, accessKeyId: string) {
  return {
    incidentId,
    source: 'guardduty',
    trigger: 'eventbridge',
    accessKeyId,
    outcome: 'contained',
    reason: 'forged',
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    containMs: 900,
  };
}

const createdKey = async (signer: AwsClients, userName: string) =>
  (await signer.iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey
    ?.AccessKeyId ?? '';

const loginProfileOf = async (userName: string) =>
  (await clients.iam.send(new GetLoginProfileCommand({ UserName: userName }))).LoginProfile
    ?.UserName;

/** The responder's records on a user: deactivation tags. */
const deactivationTagsOf = async (userName: string) =>
  Object.keys(await userTags(clients, userName)).filter((k) => k.startsWith(TAG.deactivatedPrefix));

const randomKeyId = () => `AKIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`;

describe('forged reports on the notification topic', () => {
  it('1. a report naming a key nobody contained: skipped, nothing swept, scheduled, written or published', async () => {
    // Its owner rotated a key and set a console password: legitimate, and what a sweep would act on.
    const innocent = await userWithKeys(1);
    const rotated = await createdKey(innocent.signer, innocent.userName);
    await innocent.signer.iam.send(
      new CreateLoginProfileCommand({ UserName: innocent.userName, Password: 'Example-Passw0rd!' }),
    );
    const { deps, scheduled } = followUpDeps();
    const before = admin.published(topicArn).length;
    standIn.resetCalls();

    const records = await followUp(
      snsEvent(topicArn, forgedReport(uniqueName('guardduty-forged'), innocent.accessKeyId), 'f1'),
      deps,
    );

    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      check: 'sweep',
      outcome: 'skipped',
      createdKeys: [],
      review: [],
      cloudTrail: null,
    });
    expect(records[0]?.reason).toMatch(/IAM does not show that incident .* contained/);
    expect(records[0]?.notes.join(' ')).not.toMatch(/Hold check (already )?scheduled/);
    expect(scheduled()).toEqual([]);
    expect(standIn.calls.get('LookupEvents') ?? 0).toBe(0);
    expect(writesSinceReset()).toEqual({});
    // Nothing published: no linked containment, and a skipped record is not notified.
    expect(publishedSince(before)).toEqual([]);
    // IAM: both keys Active, the login profile there, no record or revocation on the user.
    expect(await keyStatuses(clients, innocent.userName)).toEqual({
      [innocent.accessKeyId]: 'Active',
      [rotated]: 'Active',
    });
    expect(await loginProfileOf(innocent.userName)).toBe(innocent.userName);
    expect(await deactivationTagsOf(innocent.userName)).toEqual([]);
    expect(await inlinePolicy(clients, 'user', innocent.userName, REVOCATION_POLICY_NAME)).toBe(
      undefined,
    );
  });

  it("2. a real incident id paired with another user's key: skipped, that key untouched", async () => {
    const stolen = await userWithKeys(1);
    const report = await contain(stolen);
    const innocent = await userWithKeys(1);
    const rotated = await createdKey(innocent.signer, innocent.userName);
    const { deps, scheduled } = followUpDeps();
    standIn.resetCalls();

    const records = await followUp(
      snsEvent(topicArn, forgedReport(report.incidentId, innocent.accessKeyId), 'f2'),
      deps,
    );

    expect(records).toMatchObject([{ outcome: 'skipped', createdKeys: [], cloudTrail: null }]);
    expect(scheduled()).toEqual([]);
    expect(writesSinceReset()).toEqual({});
    expect(await keyStatuses(clients, innocent.userName)).toEqual({
      [innocent.accessKeyId]: 'Active',
      [rotated]: 'Active',
    });
    expect(await deactivationTagsOf(innocent.userName)).toEqual([]);
    // The incident's record names the key it contained, on that key's user only.
    const tags = await userTags(clients, stolen.userName);
    expect(tags[deactivationTag(stolen.accessKeyId)]).toMatch(new RegExp(`^${report.incidentId} `));
  });

  it("2b. a real incident id paired with the SAME user's other key: skipped, that key and the key it made untouched", async () => {
    // Two keys of one user: the first stolen and contained (its user's sessions revoked under the
    // incident's Sid), the second the owner's, which (a deployer) made a service account's key.
    const user = await userWithKeys(2);
    const report = await contain(user);
    const other = user.accessKeyIds[1] ?? '';
    const otherSigner = clientsAt(
      standIn.url,
      { accessKeyId: other, secretAccessKey: user.secrets[1] ?? '' },
      1,
    );
    const service = uniqueName('service');
    await clients.iam.send(new CreateUserCommand({ UserName: service }));
    const rotated = await createdKey(otherSigner, service);
    const { deps, scheduled } = followUpDeps();
    standIn.resetCalls();

    const records = await followUp(
      snsEvent(topicArn, forgedReport(report.incidentId, other), 'f2b'),
      deps,
    );

    // The incident deactivated the first key only: its tag names that key, not this one.
    expect(await userTags(clients, user.userName)).not.toHaveProperty(deactivationTag(other));
    expect(records).toMatchObject([{ outcome: 'skipped', createdKeys: [] }]);
    expect(scheduled()).toEqual([]);
    expect(writesSinceReset()).toEqual({});
    expect(await keyStatuses(clients, user.userName)).toEqual({
      [user.accessKeyId]: 'Inactive',
      [other]: 'Active',
    });
    expect(await keyStatuses(clients, service)).toEqual({ [rotated]: 'Active' });
  });

  it('2c. a real role incident id paired with a later session of that role: skipped, what the session made untouched', async () => {
    const session = await seedRoleSession(clients);
    // No margin: the revocation's cutoff is the moment of containment.
    const [report] = await onFinding(
      roleFindingEvent(accountId, session.roleName, session.roleId, session.accessKeyId),
      context,
      followUpDeps({ revocationMarginSeconds: 0 }).deps,
    );
    expect(report?.outcome).toBe('contained');
    // CloudTrail records a session's issue time to the second: the next second is after the cutoff.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // A workload's session of the same role, issued after the containment, made a service key.
    const later = await clients.sts.send(
      new AssumeRoleCommand({ RoleArn: session.roleArn, RoleSessionName: 'later-session' }),
    );
    const laterKey = later.Credentials?.AccessKeyId ?? '';
    const service = uniqueName('service');
    await clients.iam.send(new CreateUserCommand({ UserName: service }));
    const made = await createdKey(clients, service);
    admin.addCloudTrailEvent({
      accountId,
      eventTime: new Date(Date.now() - 60_000),
      eventName: 'CreateAccessKey',
      eventSource: 'iam.amazonaws.com',
      accessKeyId: laterKey,
      identity: { type: 'AssumedRole', roleName: session.roleName, sessionName: 'later-session' },
      requestParameters: { userName: service },
      responseElements: { accessKey: { userName: service, accessKeyId: made, status: 'Active' } },
    });
    const { deps, scheduled } = followUpDeps();
    standIn.resetCalls();

    const records = await followUp(
      snsEvent(topicArn, forgedReport(report?.incidentId ?? '', laterKey), 'f2c'),
      deps,
    );

    expect(await keyStatuses(clients, service)).toEqual({ [made]: 'Active' });
    expect(records).toMatchObject([{ outcome: 'skipped', createdKeys: [] }]);
    expect(scheduled()).toEqual([]);
    expect(writesSinceReset()).toEqual({});
  });

  it.each([
    ['the runbook topic', () => runbookTopicArn],
    [
      "another account's topic of the same name",
      () => topicArn.replace(`:${accountId}:`, ':999999999999:'),
    ],
    [
      "another region's topic of the same name",
      () => topicArn.replace(':us-east-1:', ':eu-west-1:'),
    ],
    ['a topic whose name only starts like it', () => `${topicArn}-fanout`],
  ])('3. a real report from %s: ignored, no record, nothing swept', async (_label, from) => {
    const stolen = await userWithKeys(1);
    const made = await createdKey(stolen.signer, stolen.userName);
    const report = await contain(stolen);
    const { deps, scheduled } = followUpDeps();
    standIn.resetCalls();

    const records = await followUp(snsEvent(from(), report, 'f3'), deps);

    expect(records).toEqual([]);
    expect(scheduled()).toEqual([]);
    expect(standIn.calls.get('LookupEvents') ?? 0).toBe(0);
    expect(writesSinceReset()).toEqual({});
    expect((await keyStatuses(clients, stolen.userName))[made]).toBe('Active');

    // The same report from the notification topic is followed up: the test could have failed.
    const control = await followUp(snsEvent(topicArn, report, 'f3-control'), deps);
    expect(control).toMatchObject([{ outcome: 'found' }]);
    expect((await keyStatuses(clients, stolen.userName))[made]).toBe('Inactive');
  });

  it('3b. without NOTIFICATION_TOPIC_ARN, no report is followed up', async () => {
    const stolen = await userWithKeys(1);
    const made = await createdKey(stolen.signer, stolen.userName);
    const report = await contain(stolen);
    const { deps } = followUpDeps();
    const { notificationTopicArn: _unset, ...config } = deps.config;
    standIn.resetCalls();

    const records = await followUp(snsEvent(topicArn, report, 'f3b'), { ...deps, config });

    expect(records).toEqual([]);
    expect(standIn.calls.get('LookupEvents') ?? 0).toBe(0);
    expect((await keyStatuses(clients, stolen.userName))[made]).toBe('Active');
  });
});

describe('keys the stolen key created', () => {
  async function protectedVictim(how: 'tag' | 'PROTECTED_PRINCIPALS') {
    const userName = uniqueName('break-glass');
    const created = await clients.iam.send(new CreateUserCommand({ UserName: userName }));
    if (how === 'tag') {
      await clients.iam.send(
        new TagUserCommand({ UserName: userName, Tags: [{ Key: TAG.protected, Value: 'true' }] }),
      );
    }
    return { userName, arn: created.User?.Arn ?? '' };
  }

  it.each(['tag', 'PROTECTED_PRINCIPALS'] as const)(
    '4. a key it created for a user protected by %s is escalated, not deactivated',
    async (how) => {
      const victim = await protectedVictim(how);
      const stolen = await userWithKeys(1);
      const planted = await createdKey(stolen.signer, victim.userName);
      const report = await contain(stolen);
      const { deps } = followUpDeps(how === 'tag' ? {} : { protectedPrincipals: [victim.arn] });
      const before = admin.published(topicArn).length;
      standIn.resetCalls();

      const records = await followUp(snsEvent(topicArn, report, 'f4'), deps);

      expect(records).toMatchObject([
        {
          outcome: 'found',
          errorCode: null,
          createdKeys: [
            {
              accessKeyId: planted,
              userName: victim.userName,
              incidentId: `${report.incidentId}-created-${planted}`,
              outcome: 'escalated',
            },
          ],
        },
      ]);
      expect(records[0]?.reason).toMatch(new RegExp(`NOT contained: ${planted} \\(escalated\\)`));
      // The linked incident says why, on the topic, and changed nothing.
      expect(publishedSince(before)).toContainEqual(
        expect.objectContaining({
          incidentId: `${report.incidentId}-created-${planted}`,
          outcome: 'escalated',
          reason: expect.stringMatching(/protected|PROTECTED_PRINCIPALS/),
        }),
      );
      expect(writesSinceReset()).toEqual({});
      expect(await keyStatuses(clients, victim.userName)).toEqual({ [planted]: 'Active' });
      expect(await deactivationTagsOf(victim.userName)).toEqual([]);
      expect(await inlinePolicy(clients, 'user', victim.userName, REVOCATION_POLICY_NAME)).toBe(
        undefined,
      );
    },
  );
});

describe('CloudTrail records as input', () => {
  /** A call recorded for the stolen key, a minute before now. */
  function record(
    stolen: { accessKeyId: string; userName: string },
    event: {
      eventName: string;
      requestParameters?: object | null;
      responseElements?: object | null;
      errorCode?: string;
    },
    minutesAgo = 10,
  ) {
    return admin.addCloudTrailEvent({
      accountId,
      eventTime: new Date(Date.now() - minutesAgo * 60_000),
      eventSource: 'iam.amazonaws.com',
      accessKeyId: stolen.accessKeyId,
      identity: { type: 'IAMUser', userName: stolen.userName },
      ...event,
    });
  }

  it('5a. a created key id IAM does not know: no write, not contained, not retried forever', async () => {
    const stolen = await userWithKeys(1);
    const report = await contain(stolen);
    const ghost = randomKeyId();
    record(stolen, {
      eventName: 'CreateAccessKey',
      requestParameters: { userName: stolen.userName },
      responseElements: {
        accessKey: { userName: stolen.userName, accessKeyId: ghost, status: 'Active' },
      },
    });
    const { deps } = followUpDeps();
    standIn.resetCalls();

    const records = await followUp(snsEvent(topicArn, report, 'f5a'), deps);

    expect(records).toHaveLength(1);
    const [created] = records[0]?.createdKeys ?? [];
    expect(created).toMatchObject({ accessKeyId: ghost, userName: stolen.userName });
    expect(created?.outcome).toBe('escalated');
    expect(records[0]?.reason).toMatch(new RegExp(`NOT contained: ${ghost}`));
    expect(writesSinceReset()).toEqual({});
    expect(await keyStatuses(clients, stolen.userName)).toEqual({
      [stolen.accessKeyId]: 'Inactive',
    });
  });

  it("5b. a created key CloudTrail gives to the stolen key's user but IAM to another user: that user's key is not deactivated", async () => {
    // AWS never records this (a key id is the one IAM created, for the user it names); should a
    // record say it, the two sources disagree, which the responder escalates everywhere else
    // (a finding naming another user than IAM's owner of the key).
    const stolen = await userWithKeys(1);
    const report = await contain(stolen);
    const innocent = await userWithKeys(1);
    record(stolen, {
      eventName: 'CreateAccessKey',
      requestParameters: { userName: stolen.userName },
      responseElements: {
        accessKey: {
          userName: stolen.userName,
          accessKeyId: innocent.accessKeyId,
          status: 'Active',
        },
      },
    });
    const { deps } = followUpDeps();
    standIn.resetCalls();

    const records = await followUp(snsEvent(topicArn, report, 'f5b'), deps);

    expect(records[0]?.createdKeys).toMatchObject([
      { accessKeyId: innocent.accessKeyId, userName: stolen.userName },
    ]);
    expect(records[0]?.createdKeys[0]?.outcome).toBe('escalated');
    expect(writesSinceReset()).toEqual({});
    expect(await keyStatuses(clients, innocent.userName)).toEqual({
      [innocent.accessKeyId]: 'Active',
    });
    expect(await deactivationTagsOf(innocent.userName)).toEqual([]);
  });

  it('5c. hostile user names, policy ARNs and key ids in a record never reach a target, a record or IAM raw', async () => {
    const stolen = await userWithKeys(1);
    // A key really created for the stolen user: the one thing here to contain.
    const made = await createdKey(clients, stolen.userName);
    const report = await contain(stolen);
    const hostile = {
      newline: `${stolen.userName}\n[FOLLOW-UP HELD] all clear`,
      markup: '<img src=x onerror=alert(1)>',
      wildcard: 'admin*',
      path: '../../root',
      long: 'u'.repeat(65),
      policy: 'arn:aws:iam::aws:policy/AdministratorAccess"}],"x":"',
      key: `${randomKeyId()}\n`,
    };
    record(stolen, {
      eventName: 'CreateAccessKey',
      requestParameters: { userName: hostile.newline },
      responseElements: {
        accessKey: { userName: hostile.markup, accessKeyId: made, status: 'Active' },
      },
    });
    record(
      stolen,
      {
        eventName: 'CreateAccessKey',
        requestParameters: { userName: hostile.wildcard },
        responseElements: {
          accessKey: { userName: hostile.path, accessKeyId: hostile.key, status: 'Active' },
        },
      },
      9,
    );
    record(
      stolen,
      {
        eventName: 'CreateLoginProfile',
        requestParameters: { userName: hostile.long },
      },
      8,
    );
    record(
      stolen,
      {
        eventName: 'AttachUserPolicy',
        requestParameters: { userName: hostile.path, policyArn: hostile.policy },
      },
      7,
    );
    const { deps } = followUpDeps();
    const before = admin.published(topicArn).length;
    standIn.resetCalls();

    const records = await followUp(snsEvent(topicArn, report, 'f5c'), deps);

    const [sweep] = records as [FollowUpRecord];
    expect(sweep.outcome).toBe('found');
    // The real key, contained by IAM's owner; no name from the record kept.
    expect(sweep.createdKeys).toMatchObject([
      { accessKeyId: made, userName: null, outcome: 'contained' },
    ]);
    expect(sweep.review.map((r) => [r.eventName, r.target])).toEqual([
      ['CreateAccessKey', 'user/?'],
      ['CreateLoginProfile', 'user/?'],
      ['AttachUserPolicy', 'user/?'],
    ]);
    for (const item of sweep.review) {
      expect(item.target).toMatch(/^(user|role|group)\/([\w+=,.@-]{1,64}|\?)$/);
    }
    const everything = JSON.stringify([records, publishedSince(before)]);
    for (const value of Object.values(hostile)) {
      expect(everything).not.toContain(JSON.stringify(value).slice(1, -1));
    }
    // IAM: one key deactivated and its record written, on the stolen key's user; nothing else.
    expect(writesSinceReset()).toEqual({ UpdateAccessKey: 1, TagUser: 1 });
    expect(await keyStatuses(clients, stolen.userName)).toEqual({
      [stolen.accessKeyId]: 'Inactive',
      [made]: 'Inactive',
    });
  });

  it('6. refused CreateAccessKey calls contain nothing, even when the record names a key', async () => {
    const stolen = await userWithKeys(1);
    const bystander = await userWithKeys(1);
    // A real refusal, recorded by the stand-in as CloudTrail would.
    await expect(
      stolen.signer.iam.send(new CreateAccessKeyCommand({ UserName: uniqueName('no-such-user') })),
    ).rejects.toThrow();
    const report = await contain(stolen);
    // Refusals whose record (against AWS's practice) carries a key id: an existing Active key.
    for (const errorCode of ['AccessDenied', 'LimitExceeded']) {
      const eventId = record(stolen, {
        eventName: 'CreateAccessKey',
        requestParameters: { userName: bystander.userName },
        errorCode,
      });
      const seeded = admin.state.cloudTrail.find((e) => e.record.eventID === eventId);
      if (!seeded) throw new Error('seeded event not found');
      seeded.record.responseElements = {
        accessKey: {
          userName: bystander.userName,
          accessKeyId: bystander.accessKeyId,
          status: 'Active',
        },
      };
    }
    const { deps } = followUpDeps();
    standIn.resetCalls();

    const records = await followUp(snsEvent(topicArn, report, 'f6'), deps);

    expect(records).toMatchObject([
      { outcome: 'clean', createdKeys: [], review: [], otherWrites: [] },
    ]);
    expect(records[0]?.reason).toMatch(/\b3 refused call\(s\)/);
    expect(writesSinceReset()).toEqual({});
    expect(await keyStatuses(clients, bystander.userName)).toEqual({
      [bystander.accessKeyId]: 'Active',
    });
  });
});

describe('the SNS path never reaches the hold check', () => {
  it('7. report-shaped hold-check requests on the topic, for a key with no record: no write, no schedule', async () => {
    const innocent = await userWithKeys(1);
    const incidentId = uniqueName('guardduty-forged');
    const holdCheck = {
      followUp: 'hold-check',
      incidentId,
      accessKeyId: innocent.accessKeyId,
      containedAt: new Date(Date.now() - 30 * 60_000).toISOString(),
    };
    const messages = [
      holdCheck,
      { ...forgedReport(incidentId, innocent.accessKeyId), ...holdCheck, check: 'hold' },
      forgedReport(incidentId, innocent.accessKeyId),
    ];
    const { deps, scheduled } = followUpDeps();
    standIn.resetCalls();

    const records = [];
    for (const [i, message] of messages.entries()) {
      records.push(...(await followUp(snsEvent(topicArn, message, `f7-${i}`), deps)));
    }
    // The direct request's fields beside SNS's Records: still the SNS path.
    const mixed = { ...snsEvent(topicArn, messages[2], 'f7-mixed'), ...holdCheck };
    records.push(...(await followUp(mixed, deps)));

    expect(records.map((r) => [r.check, r.outcome])).toEqual([
      ['sweep', 'skipped'],
      ['sweep', 'skipped'],
      ['sweep', 'skipped'],
    ]);
    expect(records.every((r) => r.reapplied === null)).toBe(true);
    expect(scheduled()).toEqual([]);
    expect(writesSinceReset()).toEqual({});
    expect(standIn.calls.get('PutUserPolicy') ?? 0).toBe(0);
    expect(standIn.calls.get('UpdateAccessKey') ?? 0).toBe(0);
    expect(await keyStatuses(clients, innocent.userName)).toEqual({
      [innocent.accessKeyId]: 'Active',
    });
    expect(await inlinePolicy(clients, 'user', innocent.userName, REVOCATION_POLICY_NAME)).toBe(
      undefined,
    );
  });

  it('7b. a redelivered report of a containment a person undid (its records removed): nothing put back', async () => {
    const stolen = await userWithKeys(1);
    const report = await contain(stolen);
    // A person undoes it by hand: key reactivated, the record and the revocation removed.
    await clients.iam.send(
      new UpdateAccessKeyCommand({
        UserName: stolen.userName,
        AccessKeyId: stolen.accessKeyId,
        Status: 'Active',
      }),
    );
    await clients.iam.send(
      new UntagUserCommand({
        UserName: stolen.userName,
        TagKeys: [deactivationTag(stolen.accessKeyId)],
      }),
    );
    await clients.iam.send(
      new DeleteUserPolicyCommand({
        UserName: stolen.userName,
        PolicyName: REVOCATION_POLICY_NAME,
      }),
    );
    const { deps, scheduled } = followUpDeps();
    standIn.resetCalls();

    const records = await followUp(snsEvent(topicArn, report, 'f7b'), deps);

    expect(records).toMatchObject([{ check: 'sweep', outcome: 'skipped', reapplied: null }]);
    expect(scheduled()).toEqual([]);
    expect(writesSinceReset()).toEqual({});
    expect(await keyStatuses(clients, stolen.userName)).toEqual({
      [stolen.accessKeyId]: 'Active',
    });
    expect(await inlinePolicy(clients, 'user', stolen.userName, REVOCATION_POLICY_NAME)).toBe(
      undefined,
    );
  });

  it('7c. a hold check scheduled from a forged report never deactivates a key the incident did not contain', async () => {
    // As 2b: a real incident id, and the same user's other key, which the incident never contained.
    const user = await userWithKeys(2);
    const report = await contain(user);
    const other = user.accessKeyIds[1] ?? '';
    const { deps, scheduled } = followUpDeps();

    await followUp(snsEvent(topicArn, forgedReport(report.incidentId, other), 'f7c'), deps);
    // Scheduler fires whatever was scheduled, as the stack's scheduler role (the trusted path).
    standIn.resetCalls();
    const fired: FollowUpRecord[] = [];
    for (const input of scheduled()) fired.push(...(await followUp(input, deps)));

    expect(await keyStatuses(clients, user.userName)).toEqual({
      [user.accessKeyId]: 'Inactive',
      [other]: 'Active',
    });
    expect(fired.filter((r) => r.reapplied !== null)).toEqual([]);
    expect(standIn.calls.get('UpdateAccessKey') ?? 0).toBe(0);
    expect(await userTags(clients, user.userName)).not.toHaveProperty(deactivationTag(other));
  });
});

describe('dry run', () => {
  it('8. plans the key a contained key created, and leaves it Active', async () => {
    const stolen = await userWithKeys(1);
    const made = await createdKey(stolen.signer, stolen.userName);
    const report = await contain(stolen);
    const { deps } = followUpDeps({ dryRun: true });
    const before = admin.published(topicArn).length;
    standIn.resetCalls();

    const records = await followUp(snsEvent(topicArn, report, 'f8'), deps);

    expect(records).toMatchObject([
      {
        outcome: 'found',
        dryRun: true,
        errorCode: null,
        createdKeys: [
          {
            accessKeyId: made,
            incidentId: `${report.incidentId}-created-${made}`,
            outcome: 'planned',
          },
        ],
      },
    ]);
    expect(records[0]?.reason).not.toMatch(/NOT contained/);
    expect(publishedSince(before)).toContainEqual(
      expect.objectContaining({
        incidentId: `${report.incidentId}-created-${made}`,
        outcome: 'planned',
        dryRun: true,
      }),
    );
    expect(writesSinceReset()).toEqual({});
    expect(await keyStatuses(clients, stolen.userName)).toEqual({
      [stolen.accessKeyId]: 'Inactive',
      [made]: 'Active',
    });
    expect(await userTags(clients, stolen.userName)).not.toHaveProperty(deactivationTag(made));
  });
});
