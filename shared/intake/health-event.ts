import * as z from 'zod/mini';
import { ACCESS_KEY_ID_PATTERN, ACCOUNT_ID_PATTERN } from '../access-key-id';
import { digest } from '../digest';
import type { Intake, Trigger } from '../request';
import { accepted, rejected } from './intake-result';
import { lazily } from './lazily';
import { findingPrincipal } from './principal';
import { describeIssues } from './schema-errors';

/**
 * AWS Health risk events: AWS itself found the key exposed (for example in a public repository).
 * The key id may be in `affectedEntities[].entityValue`, `resources[]` or
 * `eventMetadata.publicKey`; every distinct well-formed key id is its own incident.
 */
export const CREDENTIAL_RISK_EVENT_CODES = [
  'AWS_RISK_CREDENTIALS_EXPOSED',
  'AWS_RISK_CREDENTIALS_COMPROMISED',
  'AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED',
  'AWS_RISK_CREDENTIALS_COMPROMISE_SUSPECTED',
  'AWS_RISK_IAM_QUARANTINE',
] as const;

const schemas = lazily(() => {
  const healthEventSchema = z.looseObject({
    source: z.literal('aws.health'),
    'detail-type': z.literal('AWS Health Event'),
    account: z.string().check(z.regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit account id')),
    region: z.string().check(z.maxLength(32)),
    resources: z.optional(z.array(z.string().check(z.maxLength(256))).check(z.maxLength(100))),
    detail: z.looseObject({
      eventArn: z.string().check(z.minLength(1), z.maxLength(1600)),
      eventTypeCode: z.string().check(z.maxLength(128)),
      affectedEntities: z.optional(
        z
          .array(z.looseObject({ entityValue: z.optional(z.string().check(z.maxLength(1600))) }))
          .check(z.maxLength(100)),
      ),
      eventMetadata: z.optional(
        z.looseObject({
          publicKey: z.optional(z.string().check(z.maxLength(256))),
          userName: z.optional(z.string().check(z.maxLength(256))),
        }),
      ),
    }),
  });
  return { healthEventSchema };
});

export function intakeHealthEvent(event: unknown, trigger: Trigger, fallbackId: string): Intake[] {
  const parsed = schemas().healthEventSchema.safeParse(event);
  const context = { incidentId: fallbackId, source: 'health' as const, trigger };
  if (!parsed.success) {
    return [
      rejected(context, 'failed', `not a valid AWS Health event: ${describeIssues(parsed.error)}`),
    ];
  }
  const { account, region, resources, detail } = parsed.data;
  const code = detail.eventTypeCode;
  const summary = {
    id: detail.eventArn,
    type: code,
    accountId: account,
    region,
    severity: null,
    // AWS itself reports the exposure: the highest confidence there is.
    severityLabel: 'CRITICAL' as const,
  };
  const base = { ...context, incidentId: `health-${digest(detail.eventArn, 16)}` };
  if (!(CREDENTIAL_RISK_EVENT_CODES as readonly string[]).includes(code)) {
    return [
      rejected(base, 'skipped', `Health event ${code} is not about exposed credentials`, {
        finding: summary,
      }),
    ];
  }

  const candidates = [
    ...(detail.affectedEntities ?? []).map((e) => e.entityValue),
    ...(resources ?? []),
    detail.eventMetadata?.publicKey,
  ];
  const keys = [
    ...new Set(
      candidates.filter((c): c is string => c !== undefined && ACCESS_KEY_ID_PATTERN.test(c)),
    ),
  ];
  if (keys.length === 0) {
    return [
      rejected(
        base,
        'failed',
        'no access key id in affectedEntities[].entityValue, resources[] or eventMetadata.publicKey',
        { finding: summary },
      ),
    ];
  }
  return keys.map((accessKeyId) => {
    // eventMetadata.userName names the key's owner; IAM confirms it before any action.
    const userName = accessKeyId.startsWith('AKIA') ? detail.eventMetadata?.userName : undefined;
    const { principal } = findingPrincipal(userName ? 'IAMUser' : undefined, userName, undefined);
    return accepted({
      ...base,
      incidentId: `${base.incidentId}-${accessKeyId}`,
      accessKeyId,
      reason: `AWS Health ${code}`,
      finding: { ...summary, ...(principal ? { principal } : {}) },
    });
  });
}
