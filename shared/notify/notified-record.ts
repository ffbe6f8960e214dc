import type { FollowUpRecord } from '../follow-up/follow-up-record';
import type { Report } from '../report/report';

/** What the notification topic carries: incident reports and follow-up records. */
export type NotifiedRecord = Report | FollowUpRecord;

export function isFollowUp(record: NotifiedRecord): record is FollowUpRecord {
  return 'kind' in record && record.kind === 'follow-up';
}

/** To whom, and where: `IAMUser alice in 123456789012`, `key AKIA… in …`, `invalid input`. */
export function whoAndWhere(record: NotifiedRecord): string {
  const who = record.principal?.name
    ? `${record.principal.type} ${record.principal.name}`
    : record.accessKeyId
      ? `key ${record.accessKeyId}`
      : 'invalid input';
  return record.accountId ? `${who} in ${record.accountId}` : who;
}

/** What happened, to whom: `CONTAINED: IAMUser alice in 123456789012`. */
export function headline(record: NotifiedRecord): string {
  const what = isFollowUp(record)
    ? `FOLLOW-UP ${record.outcome.toUpperCase()}`
    : record.outcome.toUpperCase();
  return `${what}: ${whoAndWhere(record)}`;
}
