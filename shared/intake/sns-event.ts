import * as z from 'zod/mini';
import type { Intake } from '../request';
import { acceptsFromTopic, type Topics } from '../trust/channels';
import { intakeEvent } from './any-event';
import { rejected } from './intake-result';
import { lazily } from './lazily';
import { describeIssues } from './schema-errors';

/** SNS → Lambda: each record's `Sns.Message` is a string holding the JSON request or event. */
const schemas = lazily(() => {
  const snsRecordSchema = z.looseObject({
    Sns: z.looseObject({
      MessageId: z.string().check(z.regex(/^[\w-]{1,128}$/, 'must be an SNS message id')),
      TopicArn: z
        .string()
        .check(
          z.regex(/^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'must be an SNS topic ARN'),
        ),
      Message: z.string().check(z.maxLength(262_144)),
    }),
  });

  const snsEventSchema = z.looseObject({
    Records: z.array(z.unknown()).check(z.minLength(1), z.maxLength(100)),
  });
  return { snsRecordSchema, snsEventSchema };
});

/**
 * One or more intakes per record; a bad record is reported on its own and does not stop the
 * others. A record is read only when it comes from the runbook topic (runbook requests) or the
 * findings topic (finding events): the record's `TopicArn` is set by SNS.
 */
export function intakeSnsEvent(event: unknown, fallbackId: string, topics: Topics): Intake[] {
  const parsed = schemas().snsEventSchema.safeParse(event);
  if (!parsed.success) {
    const context = { incidentId: fallbackId, source: 'unknown' as const, trigger: 'sns' as const };
    return [rejected(context, 'failed', `not a valid SNS event: ${describeIssues(parsed.error)}`)];
  }
  return parsed.data.Records.flatMap((record, index) =>
    intakeSnsRecord(record, `${fallbackId}-${index}`, topics),
  );
}

function intakeSnsRecord(record: unknown, fallbackId: string, topics: Topics): Intake[] {
  const parsed = schemas().snsRecordSchema.safeParse(record);
  if (!parsed.success) {
    const context = { incidentId: fallbackId, source: 'unknown' as const, trigger: 'sns' as const };
    return [rejected(context, 'failed', `not a valid SNS record: ${describeIssues(parsed.error)}`)];
  }
  // The SNS message id is stable across redeliveries, so it makes a stable incident id.
  const incidentId = `sns-${parsed.data.Sns.MessageId}`;
  const { TopicArn } = parsed.data.Sns;
  const accepts = acceptsFromTopic(TopicArn, topics);
  if (!accepts) {
    const context = { incidentId, source: 'unknown' as const, trigger: 'sns' as const };
    return [
      rejected(
        context,
        'failed',
        `message from topic ${TopicArn}, which is neither RUNBOOK_TOPIC_ARN nor FINDINGS_TOPIC_ARN: not acted on`,
      ),
    ];
  }
  let body: unknown;
  try {
    body = JSON.parse(parsed.data.Sns.Message);
  } catch {
    const context = { incidentId, source: 'unknown' as const, trigger: 'sns' as const };
    return [
      rejected(
        context,
        'failed',
        'SNS message is not JSON: expected a runbook request or a finding event',
      ),
    ];
  }
  return intakeEvent(body, 'sns', incidentId, accepts);
}
