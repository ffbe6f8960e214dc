import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import {
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contain } from '../../../functions/contain';
import type { Config } from '../../../shared/config';
import { holdCheckScheduleName } from '../../../shared/follow-up/hold-check-schedule';
import type { Report } from '../../../shared/report/report';
import { deactivationTag } from '../../../shared/tags';
import { TEST_CONFIG, testDeps } from '../../support/deps';
import { mockAccount } from '../../support/mock-aws';

/**
 * A release cancels the incident's pending hold check before it undoes anything: a hold check
 * that ran later would take the release for tampering and contain the key again.
 */
const KEY = 'AKIAEXAMPLEDEMO00001';
const INCIDENT = 'guardduty-release0cancels0hold0check';
const CONFIG: Config = {
  ...TEST_CONFIG,
  followUp: {
    ...TEST_CONFIG.followUp,
    schedule: {
      functionArn:
        'arn:aws:lambda:us-east-1:123456789012:function:credential-responder-prod-followUp',
      roleArn: 'arn:aws:iam::123456789012:role/credential-responder-prod-scheduler',
      groupName: 'credential-responder-prod',
    },
  },
};
const releaseRequest = {
  runbook: 'release',
  incidentId: INCIDENT,
  accessKeyId: KEY,
  reason: 'false positive: our CI runner',
};

const mockScheduler = () => mockClient(SchedulerClient);
let aws: ReturnType<typeof mockAccount>;
let scheduler: ReturnType<typeof mockScheduler>;

beforeEach(() => {
  aws = mockAccount();
  aws.setTag('user', deactivationTag(KEY), `${INCIDENT} 2026-11-22T09:50:02Z`);
  aws.setKeyStatus('Inactive');
  scheduler = mockScheduler();
});
afterEach(() => {
  aws.restore();
  scheduler.restore();
});

const release = async () =>
  (await contain(
    releaseRequest,
    { awsRequestId: 'req-release' },
    {
      ...testDeps(),
      config: CONFIG,
    },
  )) as Report;

describe('a release', () => {
  it("deletes the incident's hold-check schedule, then reactivates the key", async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});

    const report = await release();

    expect(report.outcome).toBe('released');
    expect(scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: holdCheckScheduleName(INCIDENT),
      GroupName: 'credential-responder-prod',
    });
    expect(report.notes).toContain(`The hold check of incident ${INCIDENT} was cancelled.`);
    expect(aws.iam).toHaveReceivedCommandWith(UpdateAccessKeyCommand, { Status: 'Active' });
  });

  it('goes ahead when no hold check is pending (it ran, or none was scheduled)', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'not found', $metadata: {}, Message: 'x' }),
      );

    const report = await release();

    expect(report.outcome).toBe('released');
    expect(report.notes.join(' ')).not.toMatch(/hold check/);
  });

  it('undoes nothing when the hold check cannot be cancelled', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new Error('AccessDenied'));

    const report = await release();

    expect(report.outcome).not.toBe('released');
    expect(aws.iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });
});
