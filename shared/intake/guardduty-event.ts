import { z } from 'zod';
import { ACCESS_KEY_ID_PATTERN, ACCOUNT_ID_PATTERN, IAM_NAME_PATTERN } from '../access-key-id';
import type { FindingSummary, Intake, RequestSource } from '../request';
import { rejected } from './rejected';
import { describeIssues } from './schema-errors';

/**
 * GuardDuty findings as EventBridge delivers them (`detail` is the finding, camelCase).
 * Only the fields the responder uses are validated; GuardDuty adds fields over time, so unknown
 * ones are allowed. Matching is on the resource (an access key), not on finding type names,
 * which GuardDuty renames.
 */
const accessKeyDetailsSchema = z.looseObject({
  accessKeyId: z.string().max(128).optional(),
  principalId: z.string().max(256).optional(),
  userName: z.string().max(256).optional(),
  userType: z.string().max(64).optional(),
});

export const guardDutyFindingSchema = z.looseObject({
  id: z.string().regex(/^[\w.-]{1,128}$/, 'must be a GuardDuty finding id'),
  type: z.string().min(1).max(256),
  accountId: z.string().regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit account id'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region'),
  severity: z.number().min(0).max(10),
  service: z
    .looseObject({
      archived: z.boolean().optional(),
      additionalInfo: z.looseObject({ sample: z.boolean().optional() }).optional(),
    })
    .optional(),
  resource: z.looseObject({
    resourceType: z.string().max(64),
    accessKeyDetails: accessKeyDetailsSchema.optional(),
  }),
});

export type GuardDutyFinding = z.infer<typeof guardDutyFindingSchema>;

export const guardDutyEventSchema = z.looseObject({
  source: z.literal('aws.guardduty'),
  'detail-type': z.literal('GuardDuty Finding'),
  detail: guardDutyFindingSchema,
});

export function isGuardDutyEvent(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as { source?: unknown }).source === 'aws.guardduty'
  );
}

/** Sample findings carry `sample: true`, or (in older samples) only `GeneratedFinding…` placeholders. */
export function isSampleFinding(finding: GuardDutyFinding): boolean {
  if (finding.service?.additionalInfo?.sample === true) return true;
  const details = finding.resource.accessKeyDetails ?? {};
  return Object.values(details).some(
    (v) => typeof v === 'string' && v.startsWith('GeneratedFinding'),
  );
}

/** A GuardDuty EventBridge event → a containment request, or the reason it is not one. */
export function intakeGuardDutyEvent(
  event: unknown,
  source: RequestSource,
  fallbackId: string,
): Intake {
  const parsed = guardDutyEventSchema.safeParse(event);
  if (!parsed.success) {
    return rejected(
      fallbackId,
      source,
      'failed',
      `not a valid GuardDuty finding event: ${describeIssues(parsed.error)}`,
    );
  }
  return intakeGuardDutyFinding(parsed.data.detail, source);
}

export function intakeGuardDutyFinding(finding: GuardDutyFinding, source: RequestSource): Intake {
  const incidentId = `guardduty-${finding.id}`;
  const summary = {
    id: finding.id,
    type: finding.type,
    accountId: finding.accountId,
    region: finding.region,
    severity: finding.severity,
  };
  const skip = (reason: string) => rejected(incidentId, source, 'skipped', reason, summary);
  const fail = (reason: string, accessKeyId?: string) =>
    rejected(incidentId, source, 'failed', reason, summary, accessKeyId);

  if (finding.resource.resourceType !== 'AccessKey') {
    return skip(`finding is about a ${finding.resource.resourceType} resource, not an access key`);
  }
  if (isSampleFinding(finding))
    return skip('sample finding (GuardDuty generated it for testing): nothing to contain');
  if (finding.service?.archived === true) return skip('finding is archived');

  const details = finding.resource.accessKeyDetails;
  if (!details) return fail('access key finding has no resource.accessKeyDetails');
  const { accessKeyId, userName, userType, principalId } = details;
  if (!accessKeyId || !ACCESS_KEY_ID_PATTERN.test(accessKeyId)) {
    return fail(
      'resource.accessKeyDetails.accessKeyId is not an access key id (AKIA or ASIA + 16 upper-case letters or digits)',
    );
  }
  if (userName !== undefined && userType !== 'Root' && !IAM_NAME_PATTERN.test(userName)) {
    return fail(
      'resource.accessKeyDetails.userName is not a valid IAM user or role name',
      accessKeyId,
    );
  }

  const findingSummary: FindingSummary = {
    ...summary,
    ...(userType ? { principal: { userType, userName, principalId } } : {}),
  };
  return {
    kind: 'request',
    request: {
      incidentId,
      source,
      accessKeyId,
      reason: `GuardDuty finding ${finding.type} (severity ${finding.severity})`,
      finding: findingSummary,
    },
  };
}
