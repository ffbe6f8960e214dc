import * as z from 'zod/mini';
import { ACCESS_KEY_ID_PATTERN, ACCOUNT_ID_PATTERN, IAM_NAME_PATTERN } from '../access-key-id';
import type { Intake, Trigger } from '../request';
import { accepted, rejected } from './intake-result';
import { lazily } from './lazily';
import { describeIssues } from './schema-errors';

/** Incident ids the responder gives (`guardduty-…`, `securityhub-…`, `sns-…`, `console-…`, …). */
export const INCIDENT_ID_PATTERN = /^[\w.:-]{1,256}$/;

/** A runbook request may name this many keys (one incident each, run within the deadline). */
export const MAX_RUNBOOK_KEYS = 100;

/**
 * A person's request, from the Lambda console or an SNS runbook message:
 * `{"runbook": "contain", "accessKeyId": "AKIA…", "reason": "free text"}` (or `"accessKeyIds":
 * […]`, up to 100 keys, one incident each `<incident id>-<key>`), or, to undo one
 * containment after a false positive, `{"runbook": "release", "incidentId": "<the containment's
 * incident id>", "accessKeyId": "AKIA…" | "roleName": "…", "reason": "…"}`.
 * Strict: an unknown field is refused rather than ignored, so a typo is never silently dropped
 * (and a secret pasted into a stray field is not carried along). Built on first use: the
 * onFinding and followUp functions never read a runbook request (intake/lazily.ts).
 */
export const runbookRequestSchema = lazily(() => {
  const accessKeyId = z
    .string()
    .check(
      z.regex(
        ACCESS_KEY_ID_PATTERN,
        'must be an access key id: AKIA or ASIA followed by 16 upper-case letters or digits',
      ),
    );
  const reasonText = z.string().check(z.trim(), z.minLength(1), z.maxLength(1000));
  const reason = z.optional(reasonText);

  const containSchema = z
    .strictObject({
      runbook: z.literal('contain'),
      accessKeyId: z.optional(accessKeyId),
      accessKeyIds: z.optional(
        z.array(accessKeyId).check(
          z.minLength(1),
          z.maxLength(MAX_RUNBOOK_KEYS),
          z.refine((ids) => new Set(ids).size === ids.length, 'must not name a key twice'),
        ),
      ),
      reason,
      dryRun: z.optional(z.boolean()),
      // The person says the keys are a root user's (ROOT_KEYS=delete; IAM confirms before anything).
      rootKey: z.optional(z.literal(true)),
    })
    .check(
      z.refine((r) => (r.accessKeyId === undefined) !== (r.accessKeyIds === undefined), {
        message: 'name exactly one of accessKeyId or accessKeyIds',
      }),
    );

  const releaseSchema = z
    .strictObject({
      runbook: z.literal('release'),
      // What a person undoes is one containment: the report of it names the incident.
      incidentId: z
        .string()
        .check(z.regex(INCIDENT_ID_PATTERN, "must be the containment's incident id")),
      accessKeyId: z.optional(
        accessKeyId.check(
          z.refine(
            (id) => id.startsWith('AKIA'),
            'release takes the long-term (AKIA) key; name a role with roleName',
          ),
        ),
      ),
      roleName: z.optional(z.string().check(z.regex(IAM_NAME_PATTERN, 'must be an IAM role name'))),
      accountId: z.optional(
        z.string().check(z.regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit account id')),
      ),
      // On the record: why a containment is undone.
      reason: reasonText,
      force: z.optional(z.boolean()),
      dryRun: z.optional(z.boolean()),
    })
    .check(
      z.refine((r) => (r.accessKeyId === undefined) !== (r.roleName === undefined), {
        message: 'name exactly one of accessKeyId or roleName',
      }),
    );
  return z.discriminatedUnion('runbook', [containSchema, releaseSchema]);
});

export function isRunbookRequest(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'runbook' in body;
}

export function intakeRunbookRequest(
  body: unknown,
  trigger: Trigger,
  incidentId: string,
): Intake[] {
  const context = { incidentId, source: 'runbook' as const, trigger };
  const parsed = runbookRequestSchema().safeParse(body);
  if (!parsed.success) {
    return [
      rejected(context, 'failed', `invalid runbook request: ${describeIssues(parsed.error)}`),
    ];
  }
  const data = parsed.data;
  if (data.runbook === 'release') {
    return [
      {
        kind: 'release',
        release: {
          ...context,
          targetIncidentId: data.incidentId,
          principal: data.accessKeyId
            ? { accessKeyId: data.accessKeyId }
            : { roleName: data.roleName ?? '' },
          ...(data.accountId ? { accountId: data.accountId } : {}),
          reason: data.reason,
          force: data.force === true,
          dryRun: data.dryRun === true,
        },
      },
    ];
  }
  const keys = data.accessKeyIds ?? (data.accessKeyId ? [data.accessKeyId] : []);
  return keys.map((key) =>
    accepted({
      ...context,
      // One key keeps the request's own id; several get one incident each.
      ...(data.accessKeyIds ? { incidentId: `${incidentId}-${key}` } : {}),
      accessKeyId: key,
      reason: data.reason ?? 'manual request (no reason given)',
      ...(data.dryRun ? { dryRun: true } : {}),
      ...(data.rootKey ? { rootKey: true } : {}),
    }),
  );
}
