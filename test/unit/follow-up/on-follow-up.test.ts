import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { PutUserPolicyCommand, TagUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { onFollowUp } from '../../../functions/follow-up';
import type { Config } from '../../../shared/config';
import type { Deps } from '../../../shared/respond';
import { deactivationTag } from '../../../shared/tags';
import { TEST_CONFIG, testDeps } from '../../support/deps';
import { mockAccount } from '../../support/mock-aws';

const context = { awsRequestId: 'req-follow-up' };
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:credential-responder-prod-notifications';
const KEY = 'AKIAEXAMPLEDEMO00001';
const INCIDENT = 'guardduty-follow0up0test0001-AKIAEXAMPLEDEMO00001';
const CONFIG: Config = {
  ...TEST_CONFIG,
  notificationTopicArn: TOPIC,
  followUp: {
    ...TEST_CONFIG.followUp,
    schedule: {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:credential-responder-prod-f',
      roleArn: 'arn:aws:iam::123456789012:role/credential-responder-prod-scheduler',
      groupName: 'credential-responder-prod',
    },
  },
};

const mockScheduler = () => mockClient(SchedulerClient);
const mockSns = () => mockClient(SNSClient);
let aws: ReturnType<typeof mockAccount>;
let scheduler: ReturnType<typeof mockScheduler>;
let sns: ReturnType<typeof mockSns>;
let emit: ReturnType<typeof vi.fn<(line: string) => void>>;
let deps: Deps;

beforeEach(() => {
  aws = mockAccount();
  scheduler = mockScheduler();
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:x' });
  sns = mockSns();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  emit = vi.fn<(line: string) => void>();
  deps = { ...testDeps(), config: CONFIG };
});
afterEach(() => {
  aws.restore();
  scheduler.restore();
  sns.restore();
  vi.restoreAllMocks();
});

/** The responder's report of a containment, as the notification topic delivers it. */
const containedReport = (topicArn = TOPIC, incidentId = INCIDENT) => ({
  Records: [
    {
      EventSource: 'aws:sns',
      Sns: {
        TopicArn: topicArn,
        Subject: `[CONTAINED] ${incidentId}`,
        Message: JSON.stringify({
          incidentId,
          accessKeyId: KEY,
          outcome: 'contained',
          startedAt: '2026-11-22T09:50:00.000Z',
          containMs: 2_500,
        }),
      },
    },
  ],
});

const expectNoIamWrite = () => {
  expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  expect(aws.iam).not.toHaveReceivedCommand(PutUserPolicyCommand);
  expect(aws.iam).not.toHaveReceivedCommand(TagUserCommand);
};

describe('onFollowUp', () => {
  it('ignores a report from another topic: no record, no AWS call at all', async () => {
    const records = await onFollowUp(
      containedReport('arn:aws:sns:us-east-1:123456789012:someone-elses-topic'),
      context,
      deps,
      emit,
    );

    expect(records).toEqual([]);
    expect(emit).not.toHaveBeenCalled();
    for (const client of [aws.iam, aws.sts, aws.cloudtrail, scheduler, sns]) {
      expect(client).not.toHaveReceivedAnyCommand();
    }
  });

  it('skips a forged contained report for a key with no record of that incident', async () => {
    const records = await onFollowUp(containedReport(), context, deps, emit);

    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      kind: 'follow-up',
      check: 'sweep',
      incidentId: INCIDENT,
      accessKeyId: KEY,
      outcome: 'skipped',
      reason: expect.stringMatching(
        /^IAM does not show that incident .* contained AKIAEXAMPLEDEMO00001 \(no record of it on the principal\)/,
      ),
      createdKeys: [],
    });
    expectNoIamWrite();
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
    // Not swept: CloudTrail is not read for a containment the responder did not make.
    expect(aws.cloudtrail).not.toHaveReceivedCommand(LookupEventsCommand);
    // A skipped follow-up is logged and counted, not published.
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(emit).toHaveBeenCalledTimes(1);
    expect(JSON.parse(emit.mock.calls[0]?.[0] ?? '')).toMatchObject({ outcome: 'skipped' });
  });

  it("skips a report whose key carries another incident's record", async () => {
    aws.setTag('user', deactivationTag(KEY), 'another-incident 2026-11-22T09:50:02Z');
    aws.setKeyStatus('Inactive');

    const [record] = await onFollowUp(containedReport(), context, deps, emit);

    expect(record?.outcome).toBe('skipped');
    expectNoIamWrite();
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
    expect(aws.cloudtrail).not.toHaveReceivedCommand(LookupEventsCommand);
  });

  it("schedules the hold check and sweeps a containment IAM shows is the incident's own", async () => {
    aws.setTag('user', deactivationTag(KEY), `${INCIDENT} 2026-11-22T09:50:02Z`);
    aws.setKeyStatus('Inactive');

    const [record] = await onFollowUp(containedReport(), context, deps, emit);

    expect(record).toMatchObject({
      check: 'sweep',
      outcome: 'clean',
      accountId: '123456789012',
      principal: { type: 'IAMUser', name: 'demo-ci-deployer' },
      containedAt: '2026-11-22T09:50:02.500Z',
    });
    expect(record?.notes[0]).toMatch(/^Hold check scheduled for 2026-11-22T10:05:02\.500Z/);
    expect(scheduler).toHaveReceivedCommandExactlyOnceWith(CreateScheduleCommand, {
      ScheduleExpression: 'at(2026-11-22T10:05:02)',
      GroupName: 'credential-responder-prod',
    });
    expect(aws.cloudtrail).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }],
    });
    expectNoIamWrite();
    expect(sns).toHaveReceivedCommandExactlyOnceWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: `[FOLLOW-UP CLEAN] ${INCIDENT}`,
    });
  });

  it('contains a key the stolen key created, and not one it was refused', async () => {
    aws.setTag('user', deactivationTag(KEY), `${INCIDENT} 2026-11-22T09:50:02Z`);
    aws.setKeyStatus('Inactive');
    const createKey = (id: string, accessKeyId: string, errorCode?: string) => ({
      EventId: id,
      CloudTrailEvent: JSON.stringify({
        eventID: id,
        eventName: 'CreateAccessKey',
        eventSource: 'iam.amazonaws.com',
        eventTime: '2026-11-22T09:40:00Z',
        ...(errorCode ? { errorCode } : {}),
        requestParameters: { userName: 'demo-ci-deployer' },
        responseElements: errorCode
          ? null
          : { accessKey: { accessKeyId, userName: 'demo-ci-deployer', status: 'Active' } },
      }),
    });
    aws.cloudtrail.on(LookupEventsCommand).resolves({
      Events: [
        createKey('ev-created', 'AKIAEXAMPLEDEMO00002'),
        // Refused: CloudTrail has no key id; even if it had one, nothing was created.
        createKey('ev-denied', 'AKIAEXAMPLEDEMO00003', 'AccessDenied'),
      ],
    });

    const [record] = await onFollowUp(containedReport(), context, deps, emit);

    expect(record?.outcome).toBe('found');
    expect(record?.createdKeys).toEqual([
      expect.objectContaining({
        accessKeyId: 'AKIAEXAMPLEDEMO00002',
        incidentId: `${INCIDENT}-created-AKIAEXAMPLEDEMO00002`,
        outcome: 'contained',
      }),
    ]);
    expect(aws.iam).toHaveReceivedCommandExactlyOnceWith(UpdateAccessKeyCommand, {
      AccessKeyId: 'AKIAEXAMPLEDEMO00002',
      Status: 'Inactive',
    });
    expect(record?.reason).toMatch(/1 refused call\(s\)/);
  });
});
