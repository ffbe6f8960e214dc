import type { FollowUpConfig } from '../config';
import { digest } from '../digest';
import { AwsCallError, awsCall, awsErrorCode } from '../errors';
import type { Schedules } from '../schedules';

/**
 * The hold check runs once, a while after the containment, from an EventBridge Scheduler one-time
 * schedule in the stack's group that invokes the follow-up function (no Lambda sleeps). One
 * schedule per incident, named for it, so a redelivered report schedules nothing twice and a
 * release can cancel it.
 */
export const SCHEDULE_PERMISSIONS = [
  'scheduler:CreateSchedule',
  'scheduler:DeleteSchedule',
] as const;
/** Scheduler invokes the function as the stack's scheduler role, which the responder passes. */
export const PASS_SCHEDULER_ROLE = ['iam:PassRole'] as const;

/** `hold-` and a digest of the incident id: schedule names allow 64 of [0-9a-zA-Z-_.]. */
export function holdCheckScheduleName(incidentId: string): string {
  return `hold-${digest(incidentId, 40)}`;
}

/** `at(…)` takes UTC to the second, without a zone. */
const atExpression = (when: Date) => `at(${when.toISOString().slice(0, 19)})`;

export type Scheduled =
  | { kind: 'scheduled'; at: Date; name: string }
  | { kind: 'already-scheduled'; name: string }
  | { kind: 'not-configured' };

export async function scheduleHoldCheck(
  scheduler: Schedules,
  config: FollowUpConfig,
  check: { incidentId: string; accessKeyId: string; containedAt: Date },
  now: Date,
): Promise<Scheduled> {
  if (!config.schedule) return { kind: 'not-configured' };
  const name = holdCheckScheduleName(check.incidentId);
  // At least a minute from now: a schedule in the past would never run.
  const at = new Date(
    Math.max(
      check.containedAt.getTime() + config.holdCheckDelayMinutes * 60_000,
      now.getTime() + 60_000,
    ),
  );
  const input = {
    followUp: 'hold-check',
    incidentId: check.incidentId,
    accessKeyId: check.accessKeyId,
    containedAt: check.containedAt.toISOString(),
  };
  try {
    await awsCall('scheduler:CreateSchedule', () =>
      scheduler.createSchedule({
        Name: name,
        GroupName: config.schedule?.groupName,
        ScheduleExpression: atExpression(at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Description: `credential-responder hold check of incident ${check.incidentId}`.slice(
          0,
          512,
        ),
        Target: {
          Arn: config.schedule?.functionArn,
          RoleArn: config.schedule?.roleArn,
          Input: JSON.stringify(input),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
      }),
    );
  } catch (error) {
    if (codeOf(error) === 'Conflict') {
      return { kind: 'already-scheduled', name };
    }
    throw error;
  }
  return { kind: 'scheduled', at, name };
}

/** Cancels an incident's hold check (a release): true when one was pending. */
export async function cancelHoldCheck(
  scheduler: Schedules,
  config: FollowUpConfig,
  incidentId: string,
): Promise<boolean> {
  if (!config.schedule) return false;
  try {
    await awsCall('scheduler:DeleteSchedule', () =>
      scheduler.deleteSchedule({
        Name: holdCheckScheduleName(incidentId),
        GroupName: config.schedule?.groupName,
      }),
    );
    return true;
  } catch (error) {
    if (codeOf(error) === 'ResourceNotFound') return false;
    throw error;
  }
}

const codeOf = (error: unknown) =>
  error instanceof AwsCallError ? error.code : awsErrorCode(error);
