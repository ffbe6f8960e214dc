import * as z from 'zod/mini';
import { ACCESS_KEY_ID_PATTERN, ACCOUNT_ID_PATTERN } from '../access-key-id';
import type { Intake, Trigger } from '../request';
import { intakeAttackSequence } from './attack-sequence';
import { accepted, rejected } from './intake-result';
import { findingPrincipal, isPlaceholder } from './principal';
import { describeIssues } from './schema-errors';
import { guardDutySeverityLabel } from './severity';

/**
 * GuardDuty findings as EventBridge delivers them (`detail` is the finding, camelCase).
 * Only the fields the responder uses are validated; GuardDuty adds fields over time, so unknown
 * ones are allowed. Findings about an access key, attack sequences, and findings about other
 * resources (S3 buckets) that name a key in `resource.accessKeyDetails` are read; which of them are
 * contained without a person is FINDING_TYPES' decision (policy/finding-types.ts).
 */
const accessKeyDetailsSchema = z.looseObject({
  accessKeyId: z.optional(z.string().check(z.maxLength(128))),
  principalId: z.optional(z.string().check(z.maxLength(256))),
  userName: z.optional(z.string().check(z.maxLength(256))),
  userType: z.optional(z.string().check(z.maxLength(64))),
});

export const guardDutyFindingSchema = z.looseObject({
  id: z.string().check(z.regex(/^[\w.-]{1,128}$/, 'must be a GuardDuty finding id')),
  type: z.string().check(z.minLength(1), z.maxLength(256)),
  accountId: z.string().check(z.regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit account id')),
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region')),
  severity: z.number().check(z.gte(0), z.lte(10)),
  service: z.optional(
    z.looseObject({
      archived: z.optional(z.boolean()),
      detectorId: z.optional(
        z.string().check(z.regex(/^[A-Za-z0-9]{1,300}$/, 'must be a detector id')),
      ),
      detection: z.optional(z.looseObject({ sequence: z.optional(z.unknown()) })),
      additionalInfo: z.optional(z.looseObject({ sample: z.optional(z.boolean()) })),
    }),
  ),
  resource: z.looseObject({
    resourceType: z.string().check(z.maxLength(64)),
    accessKeyDetails: z.optional(accessKeyDetailsSchema),
  }),
});

export type GuardDutyFinding = z.infer<typeof guardDutyFindingSchema>;

const guardDutyEventSchema = z.looseObject({
  source: z.literal('aws.guardduty'),
  'detail-type': z.literal('GuardDuty Finding'),
  detail: guardDutyFindingSchema,
});

/** Sample findings carry `sample: true`, or (in older samples) only `GeneratedFinding…` placeholders. */
export function isSampleFinding(finding: GuardDutyFinding): boolean {
  if (finding.service?.additionalInfo?.sample === true) return true;
  return Object.values(finding.resource.accessKeyDetails ?? {}).some(isPlaceholder);
}

/** A GuardDuty EventBridge event → a containment request, or the reason it is not one. */
export function intakeGuardDutyEvent(
  event: unknown,
  trigger: Trigger,
  fallbackId: string,
): Intake[] {
  const parsed = guardDutyEventSchema.safeParse(event);
  if (!parsed.success) {
    const context = { incidentId: fallbackId, source: 'guardduty' as const, trigger };
    return [
      rejected(
        context,
        'failed',
        `not a valid GuardDuty finding event: ${describeIssues(parsed.error)}`,
      ),
    ];
  }
  return intakeGuardDutyFinding(parsed.data.detail, trigger);
}

export function intakeGuardDutyFinding(finding: GuardDutyFinding, trigger: Trigger): Intake[] {
  const context = { incidentId: `guardduty-${finding.id}`, source: 'guardduty' as const, trigger };
  const summary = {
    id: finding.id,
    type: finding.type,
    accountId: finding.accountId,
    region: finding.region,
    severity: finding.severity,
    severityLabel: guardDutySeverityLabel(finding.severity),
  };
  const skip = (reason: string) => [rejected(context, 'skipped', reason, { finding: summary })];
  const fail = (reason: string, accessKeyId?: string) => [
    rejected(context, 'failed', reason, {
      finding: summary,
      ...(accessKeyId ? { accessKeyId } : {}),
    }),
  ];

  const { resourceType } = finding.resource;
  const details = finding.resource.accessKeyDetails;
  const namesKey = details?.accessKeyId !== undefined;
  if (resourceType !== 'AccessKey' && resourceType !== 'AttackSequence' && !namesKey) {
    return skip(`finding is about a resource of type ${resourceType} and names no access key`);
  }
  if (isSampleFinding(finding)) {
    return skip('sample finding (GuardDuty generated it for testing): nothing to contain');
  }
  if (finding.service?.archived === true) return skip('finding is archived');
  if (resourceType === 'AttackSequence') {
    return intakeAttackSequence(
      context,
      summary,
      finding.service?.detection?.sequence,
      finding.service?.detectorId,
    );
  }

  if (!details) return fail('access key finding has no resource.accessKeyDetails');
  const { accessKeyId, userName, userType, principalId } = details;
  if (!accessKeyId || !ACCESS_KEY_ID_PATTERN.test(accessKeyId)) {
    return fail(
      'resource.accessKeyDetails.accessKeyId is not an access key id (AKIA or ASIA + 16 upper-case letters or digits)',
    );
  }
  const { principal, problem } = findingPrincipal(userType, userName, principalId);
  if (problem) return fail(`resource.accessKeyDetails: ${problem}`, accessKeyId);

  return [
    accepted({
      ...context,
      accessKeyId,
      reason: `GuardDuty finding ${finding.type} (severity ${finding.severity})`,
      finding: { ...summary, ...(principal ? { principal } : {}) },
    }),
  ];
}
