import { z } from 'zod';
import { ACCESS_KEY_ID_PATTERN } from '../access-key-id';
import type { Intake, Trigger } from '../request';
import { accepted, rejected } from './intake-result';
import { describeIssues } from './schema-errors';

/**
 * A person's request, from the Lambda console or an SNS runbook message:
 * `{"runbook": "contain", "accessKeyId": "AKIA…", "reason": "free text"}`.
 * Strict: an unknown field is refused rather than ignored, so a typo is never silently dropped
 * (and a secret pasted into a stray field is not carried along).
 */
export const runbookRequestSchema = z.strictObject({
  runbook: z.literal('contain'),
  accessKeyId: z
    .string()
    .regex(
      ACCESS_KEY_ID_PATTERN,
      'must be an access key id: AKIA or ASIA followed by 16 upper-case letters or digits',
    ),
  reason: z.string().trim().min(1).max(1000).optional(),
  dryRun: z.boolean().optional(),
});

export function isRunbookRequest(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'runbook' in body;
}

export function intakeRunbookRequest(body: unknown, trigger: Trigger, incidentId: string): Intake {
  const context = { incidentId, source: 'runbook' as const, trigger };
  const parsed = runbookRequestSchema.safeParse(body);
  if (!parsed.success) {
    return rejected(context, 'failed', `invalid runbook request: ${describeIssues(parsed.error)}`);
  }
  const { accessKeyId, reason } = parsed.data;
  return accepted({
    ...context,
    accessKeyId,
    reason: reason ?? 'manual request (no reason given)',
  });
}
