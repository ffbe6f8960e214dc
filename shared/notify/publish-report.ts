import type { Logger } from '@aws-lambda-powertools/logger';
import type { AwsClients } from '../aws-clients';
import { awsErrorCode } from '../errors';
import type { Report } from '../report/report';
import { notificationMessage } from './message';
import type { NotifiedRecord } from './notified-record';

/** The permission publishing needs (on the notification topic only). */
export const NOTIFY_PERMISSIONS = ['sns:Publish'] as const;

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
export function reportSubject(report: Report): string {
  const who = report.principal?.name
    ? `${report.principal.type} ${report.principal.name}`
    : (report.accessKeyId ?? 'invalid input');
  const where = report.accountId ? ` in ${report.accountId}` : '';
  const subject = `[${report.outcome.toUpperCase()}] ${who}${where}`.replace(/[^\x20-\x7e]/g, '?');
  return subject.slice(0, 100);
}

/**
 * Publishes the report to the notification topic. Runs after containment; a failure is logged
 * and never changes the outcome: containment must not depend on the notification path.
 */
export async function publishReport(
  report: Report,
  topicArn: string | undefined,
  clients: AwsClients,
  logger: Logger,
): Promise<void> {
  await publishRecord(reportSubject(report), report, topicArn, clients, logger);
}

/**
 * A record (report, follow-up record) as the topic's message, one form per protocol
 * (`MessageStructure: json`, see notificationMessage): the chat card over https, plain text by
 * email, the full JSON to everything else.
 */
export async function publishRecord(
  subject: string,
  record: NotifiedRecord,
  topicArn: string | undefined,
  clients: AwsClients,
  logger: Logger,
): Promise<void> {
  if (!topicArn) return;
  try {
    await clients.sns.publish({
      TopicArn: topicArn,
      Subject: subject.replace(/[^\x20-\x7e]/g, '?').slice(0, 100),
      Message: JSON.stringify(notificationMessage(record)),
      MessageStructure: 'json',
      // What subscription filters read (the followUp function takes `outcome: contained`):
      // attributes are the same whatever form of the message a protocol receives.
      MessageAttributes: {
        outcome: { DataType: 'String', StringValue: record.outcome },
        record: { DataType: 'String', StringValue: 'kind' in record ? record.kind : 'report' },
      },
    });
  } catch (error) {
    logger.error('notification failed: the record is in this log only', {
      errorCode: awsErrorCode(error),
    });
  }
}
