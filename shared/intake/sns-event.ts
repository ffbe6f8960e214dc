import { z } from 'zod';
import type { Intake } from '../request';
import { rejected } from './rejected';
import { intakeRequestBody } from './request-body';
import { describeIssues } from './schema-errors';

/** SNS → Lambda: each record's `Sns.Message` is a string holding the JSON request. */
const snsRecordSchema = z.looseObject({
  Sns: z.looseObject({
    MessageId: z.string().regex(/^[\w-]{1,128}$/),
    Message: z.string().max(262_144),
  }),
});

export const snsEventSchema = z.looseObject({ Records: z.array(z.unknown()).min(1).max(100) });

/** One intake per record; a bad record is reported on its own and does not stop the others. */
export function intakeSnsEvent(event: unknown, fallbackId: string): Intake[] {
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) {
    return [
      rejected(
        fallbackId,
        'runbook',
        'failed',
        `not a valid SNS event: ${describeIssues(parsed.error)}`,
      ),
    ];
  }
  return parsed.data.Records.map((record, index) =>
    intakeSnsRecord(record, `${fallbackId}-${index}`),
  );
}

function intakeSnsRecord(record: unknown, fallbackId: string): Intake {
  const parsed = snsRecordSchema.safeParse(record);
  if (!parsed.success) {
    return rejected(
      fallbackId,
      'runbook',
      'failed',
      `not a valid SNS record: ${describeIssues(parsed.error)}`,
    );
  }
  // The SNS message id is stable across redeliveries, so it makes a stable incident id.
  const incidentId = `sns-${parsed.data.Sns.MessageId}`;
  let body: unknown;
  try {
    body = JSON.parse(parsed.data.Sns.Message);
  } catch {
    return rejected(
      incidentId,
      'runbook',
      'failed',
      'SNS message is not JSON: expected a runbook request',
    );
  }
  return intakeRequestBody(body, 'runbook', incidentId);
}
