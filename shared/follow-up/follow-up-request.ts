import * as z from 'zod/mini';
import { ACCESS_KEY_ID_PATTERN } from '../access-key-id';
import { lazily } from '../intake/lazily';
import { INCIDENT_ID_PATTERN } from '../intake/runbook-request';
import { describeIssues } from '../intake/schema-errors';

/**
 * What the follow-up function is asked to do, from one of three inputs:
 * - a report on the notification topic (SNS) whose outcome is `contained`: sweep now and
 *   schedule the hold check;
 * - the hold check's own schedule (EventBridge Scheduler), or a person (`events/follow-up-*.json`):
 *   `{"followUp": "sweep" | "hold-check", "incidentId": …, "accessKeyId": …, "containedAt"?: …}`.
 * It carries identifiers only: what was contained, and by whom, is read back from IAM and
 * CloudTrail, never taken from the message.
 */
export interface FollowUpRequest {
  check: 'sweep' | 'hold-check';
  incidentId: string;
  accessKeyId: string;
  /** When the containing write landed, if the input says; the hold check falls back on IAM's records. */
  containedAt?: Date;
  /** A report's arrival: schedule the hold check after the sweep. */
  scheduleHoldCheck: boolean;
}

export type FollowUpIntake =
  | { kind: 'request'; request: FollowUpRequest }
  | { kind: 'ignored'; reason: string };

/** ISO 8601 in UTC, as reports and schedules write it. */
const schemas = lazily(() => {
  const isoDate = z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'must be an ISO date in UTC'),
    z.refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date'),
  );

  const directSchema = z.strictObject({
    followUp: z.enum(['sweep', 'hold-check']),
    incidentId: z.string().check(z.regex(INCIDENT_ID_PATTERN, 'must be an incident id')),
    accessKeyId: z.string().check(z.regex(ACCESS_KEY_ID_PATTERN, 'must be an access key id')),
    containedAt: z.optional(isoDate),
  });

  /** The parts of a report the follow-up reads. */
  const reportSchema = z.looseObject({
    incidentId: z.string().check(z.regex(INCIDENT_ID_PATTERN)),
    accessKeyId: z.nullable(z.string().check(z.maxLength(128))),
    outcome: z.string().check(z.maxLength(32)),
    startedAt: isoDate,
    containMs: z.nullable(z.number().check(z.int(), z.gte(0), z.lte(86_400_000))),
    principal: z.optional(z.nullable(z.looseObject({ type: z.string().check(z.maxLength(64)) }))),
  });

  const snsSchema = z.looseObject({
    Records: z
      .array(
        z.looseObject({
          Sns: z.looseObject({
            TopicArn: z.string().check(z.maxLength(512)),
            Message: z.string().check(z.maxLength(262_144)),
          }),
        }),
      )
      .check(z.minLength(1), z.maxLength(100)),
  });
  return { directSchema, reportSchema, snsSchema };
});

export function intakeFollowUp(
  event: unknown,
  notificationTopicArn: string | undefined,
): FollowUpIntake[] {
  if (event && typeof event === 'object' && 'Records' in event) {
    const parsed = schemas().snsSchema.safeParse(event);
    if (!parsed.success)
      return [
        { kind: 'ignored', reason: `not a valid SNS event: ${describeIssues(parsed.error)}` },
      ];
    return parsed.data.Records.map(({ Sns }) => fromReport(Sns, notificationTopicArn));
  }
  const parsed = schemas().directSchema.safeParse(event);
  if (!parsed.success) {
    return [
      {
        kind: 'ignored',
        reason: `not a follow-up request ({"followUp": "sweep" | "hold-check", "incidentId", "accessKeyId"}): ${describeIssues(parsed.error)}`,
      },
    ];
  }
  const { followUp, incidentId, accessKeyId, containedAt } = parsed.data;
  return [
    {
      kind: 'request',
      request: {
        check: followUp,
        incidentId,
        accessKeyId,
        ...(containedAt ? { containedAt: new Date(containedAt) } : {}),
        scheduleHoldCheck: false,
      },
    },
  ];
}

/** A report published to the notification topic: only a containment is followed up. */
function fromReport(
  sns: { TopicArn: string; Message: string },
  notificationTopicArn: string | undefined,
): FollowUpIntake {
  if (!notificationTopicArn || sns.TopicArn !== notificationTopicArn) {
    return {
      kind: 'ignored',
      reason: `message from topic ${sns.TopicArn.slice(0, 256)}, not NOTIFICATION_TOPIC_ARN: not followed up`,
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(sns.Message);
  } catch {
    return { kind: 'ignored', reason: 'notification is not JSON: not a report' };
  }
  const parsed = schemas().reportSchema.safeParse(body);
  if (!parsed.success) return { kind: 'ignored', reason: 'notification is not a report' };
  const report = parsed.data;
  if (report.outcome !== 'contained' || !report.accessKeyId) {
    return { kind: 'ignored', reason: `report outcome ${report.outcome}: nothing to follow up` };
  }
  if (!ACCESS_KEY_ID_PATTERN.test(report.accessKeyId)) {
    return { kind: 'ignored', reason: 'report names no valid access key id' };
  }
  const containedAt = new Date(Date.parse(report.startedAt) + (report.containMs ?? 0));
  return {
    kind: 'request',
    request: {
      check: 'sweep',
      incidentId: report.incidentId,
      accessKeyId: report.accessKeyId,
      containedAt,
      // A deleted root key cannot come back: there is nothing for a hold check to hold.
      scheduleHoldCheck: report.principal?.type !== 'Root',
    },
  };
}
