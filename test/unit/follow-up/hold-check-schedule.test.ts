import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowUpConfig } from '../../../shared/config';
import {
  cancelHoldCheck,
  holdCheckScheduleName,
  scheduleHoldCheck,
} from '../../../shared/follow-up/hold-check-schedule';
import { NOW, TEST_CONFIG } from '../../support/deps';
import { sdkSchedules } from '../../support/sdk-scheduler';

const SCHEDULE = {
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:credential-responder-prod-followUp',
  roleArn: 'arn:aws:iam::123456789012:role/credential-responder-prod-scheduler',
  groupName: 'credential-responder-prod',
};
const CONFIG: FollowUpConfig = {
  ...TEST_CONFIG.followUp,
  holdCheckDelayMinutes: 15,
  schedule: SCHEDULE,
};
const INCIDENT = 'guardduty-follow0up0test0001-AKIAEXAMPLEFOLLOW001';
const KEY = 'AKIAEXAMPLEFOLLOW001';
const EXPECTED_NAME = `hold-${createHash('sha256').update(INCIDENT).digest('hex').slice(0, 40)}`;
const now = new Date(NOW); // 2026-11-22T10:00:00Z

const mockScheduler = () => mockClient(SchedulerClient);
let scheduler: ReturnType<typeof mockScheduler>;
const client = () =>
  sdkSchedules(
    new SchedulerClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' },
    }),
  );

beforeEach(() => {
  scheduler = mockScheduler();
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:x' });
  scheduler.on(DeleteScheduleCommand).resolves({});
});
afterEach(() => scheduler.restore());

const createInput = () => {
  const calls = scheduler.commandCalls(CreateScheduleCommand);
  expect(calls).toHaveLength(1);
  const input = calls[0]?.args[0].input;
  if (!input) throw new Error('no CreateSchedule input');
  return input;
};

describe('holdCheckScheduleName', () => {
  it('is hold- and 40 hex characters of the incident id digest, within the 64 allowed', () => {
    expect(holdCheckScheduleName(INCIDENT)).toBe(EXPECTED_NAME);
    expect(EXPECTED_NAME).toMatch(/^hold-[0-9a-f]{40}$/);
    const long = holdCheckScheduleName('i'.repeat(256));
    expect(long).toMatch(/^hold-[0-9a-f]{40}$/);
    expect(long.length).toBeLessThanOrEqual(64);
  });

  it('differs between incidents and is stable for one', () => {
    expect(holdCheckScheduleName(INCIDENT)).toBe(holdCheckScheduleName(INCIDENT));
    expect(holdCheckScheduleName(`${INCIDENT}x`)).not.toBe(holdCheckScheduleName(INCIDENT));
  });
});

describe('scheduleHoldCheck', () => {
  it('creates a one-time schedule the delay after the containment, invoking the follow-up', async () => {
    const containedAt = new Date('2026-11-22T09:55:30.750Z');

    const scheduled = await scheduleHoldCheck(
      client(),
      CONFIG,
      { incidentId: INCIDENT, accessKeyId: KEY, containedAt },
      now,
    );

    expect(scheduled).toEqual({
      kind: 'scheduled',
      at: new Date('2026-11-22T10:10:30.750Z'),
      name: EXPECTED_NAME,
    });
    const input = createInput();
    expect(input).toMatchObject({
      Name: EXPECTED_NAME,
      GroupName: SCHEDULE.groupName,
      // UTC to the second, with no zone: what at() takes.
      ScheduleExpression: 'at(2026-11-22T10:10:30)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: SCHEDULE.functionArn, RoleArn: SCHEDULE.roleArn },
    });
    expect(input.ScheduleExpression).toMatch(/^at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/);
    expect(JSON.parse(input.Target?.Input ?? '')).toEqual({
      followUp: 'hold-check',
      incidentId: INCIDENT,
      accessKeyId: KEY,
      containedAt: '2026-11-22T09:55:30.750Z',
    });
    expect(input.Description?.length).toBeLessThanOrEqual(512);
  });

  it('follows the configured delay', async () => {
    await scheduleHoldCheck(
      client(),
      { ...CONFIG, holdCheckDelayMinutes: 120 },
      { incidentId: INCIDENT, accessKeyId: KEY, containedAt: new Date('2026-11-22T09:59:00Z') },
      now,
    );
    expect(createInput().ScheduleExpression).toBe('at(2026-11-22T11:59:00)');
  });

  it('schedules a minute from now when the delay has already passed', async () => {
    const containedAt = new Date('2026-11-22T08:00:00Z');

    const scheduled = await scheduleHoldCheck(
      client(),
      CONFIG,
      { incidentId: INCIDENT, accessKeyId: KEY, containedAt },
      now,
    );

    expect(scheduled).toMatchObject({ kind: 'scheduled', at: new Date('2026-11-22T10:01:00Z') });
    const input = createInput();
    expect(input.ScheduleExpression).toBe('at(2026-11-22T10:01:00)');
    // The check still looks from the real containment, not from the schedule's time.
    expect(JSON.parse(input.Target?.Input ?? '').containedAt).toBe('2026-11-22T08:00:00.000Z');
  });

  it('treats a schedule that already exists as already scheduled (a redelivered report)', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        message: 'Schedule already exists',
        Message: 'Schedule already exists',
        $metadata: {},
      }),
    );

    const scheduled = await scheduleHoldCheck(
      client(),
      CONFIG,
      { incidentId: INCIDENT, accessKeyId: KEY, containedAt: now },
      now,
    );

    expect(scheduled).toEqual({ kind: 'already-scheduled', name: EXPECTED_NAME });
  });

  it('rethrows any other failure with its operation and code', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(
        new ValidationException({ message: 'bad role', Message: 'bad role', $metadata: {} }),
      );

    await expect(
      scheduleHoldCheck(
        client(),
        CONFIG,
        { incidentId: INCIDENT, accessKeyId: KEY, containedAt: now },
        now,
      ),
    ).rejects.toMatchObject({
      name: 'AwsCallError',
      operation: 'scheduler:CreateSchedule',
      code: 'Validation',
    });
  });

  it('does nothing when the stack did not configure a schedule', async () => {
    const { schedule: _, ...unconfigured } = CONFIG;

    const scheduled = await scheduleHoldCheck(
      client(),
      unconfigured,
      { incidentId: INCIDENT, accessKeyId: KEY, containedAt: now },
      now,
    );

    expect(scheduled).toEqual({ kind: 'not-configured' });
    expect(scheduler).not.toHaveReceivedAnyCommand();
  });
});

describe('cancelHoldCheck', () => {
  it('deletes the schedule of the same name in the same group', async () => {
    await expect(cancelHoldCheck(client(), CONFIG, INCIDENT)).resolves.toBe(true);

    expect(scheduler).toHaveReceivedCommandExactlyOnceWith(DeleteScheduleCommand, {
      Name: EXPECTED_NAME,
      GroupName: SCHEDULE.groupName,
    });
  });

  it('deletes exactly the schedule scheduleHoldCheck created', async () => {
    await scheduleHoldCheck(
      client(),
      CONFIG,
      { incidentId: INCIDENT, accessKeyId: KEY, containedAt: now },
      now,
    );
    await cancelHoldCheck(client(), CONFIG, INCIDENT);

    const created = createInput();
    const deleted = scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input;
    expect(deleted).toEqual({ Name: created.Name, GroupName: created.GroupName });
  });

  it('answers false when there was none (already run, or never scheduled)', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(
      new ResourceNotFoundException({
        message: 'no such schedule',
        Message: 'no such schedule',
        $metadata: {},
      }),
    );

    await expect(cancelHoldCheck(client(), CONFIG, INCIDENT)).resolves.toBe(false);
  });

  it('rethrows any other failure', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(
        new ValidationException({ message: 'bad group', Message: 'bad group', $metadata: {} }),
      );

    await expect(cancelHoldCheck(client(), CONFIG, INCIDENT)).rejects.toMatchObject({
      operation: 'scheduler:DeleteSchedule',
      code: 'Validation',
    });
  });

  it('answers false without a call when no schedule is configured', async () => {
    const { schedule: _, ...unconfigured } = CONFIG;
    await expect(cancelHoldCheck(client(), unconfigured, INCIDENT)).resolves.toBe(false);
    expect(scheduler).not.toHaveReceivedAnyCommand();
  });
});
