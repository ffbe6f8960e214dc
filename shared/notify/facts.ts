import type { FollowUpRecord } from '../follow-up/follow-up-record';
import type { Report } from '../report/report';
import { isFollowUp, type NotifiedRecord } from './notified-record';

/** One labelled fact; `code` marks an identifier (shown as code in chat). */
export interface Fact {
  label: string;
  value: string;
  code?: boolean;
}

/** A list of the record (actions, keys created, …): a one-line summary per item, and details. */
export interface FactList {
  title: string;
  items: { summary: string; detail?: string }[];
}

/** The facts a person reads first, in reading order. */
export function facts(record: NotifiedRecord): Fact[] {
  return (isFollowUp(record) ? followUpFacts(record) : reportFacts(record)).filter(
    (fact) => fact.value !== '',
  );
}

/** The record's lists, each in full (callers cut them to fit). */
export function lists(record: NotifiedRecord): FactList[] {
  return (isFollowUp(record) ? followUpLists(record) : reportLists(record)).filter(
    (list) => list.items.length > 0,
  );
}

function who(record: NotifiedRecord): Fact[] {
  const principal = record.principal;
  return [
    {
      label: 'Key',
      value: record.accessKeyId ?? 'none (the input named no valid key)',
      code: true,
    },
    {
      label: 'Principal',
      value: principal ? `${principal.type} ${principal.name ?? '(name unknown)'}` : 'unknown',
    },
    { label: 'Principal ARN', value: principal?.arn ?? '', code: true },
    { label: 'Account', value: record.accountId ?? '', code: true },
  ];
}

function reportFacts(report: Report): Fact[] {
  const finding = report.finding;
  const lastUse = report.evidence?.keyLastUse;
  return [
    {
      label: 'Outcome',
      value: report.dryRun ? `${report.outcome} (dry run: nothing changed)` : report.outcome,
    },
    ...who(report),
    {
      label: 'Finding',
      value: finding
        ? `${finding.type}, severity ${finding.severity ?? 'n/a'} (${finding.severityLabel}), ${finding.region}` +
          (finding.sequenceId ? `, attack sequence ${finding.sequenceId}` : '')
        : '',
    },
    { label: 'Actions', value: actionCounts(report) },
    { label: 'Error code', value: report.errorCode ?? '', code: true },
    {
      label: 'Key last used',
      value: lastUse
        ? `${lastUse.date ?? 'never'} (${lastUse.service ?? 'no service'}, ${lastUse.region ?? 'no region'})`
        : '',
    },
    { label: 'Incident', value: report.incidentId, code: true },
    { label: 'Source', value: `${report.source} via ${report.trigger}` },
    {
      label: 'Time',
      value:
        report.startedAt +
        (report.containMs === null ? '' : `, contained in ${report.containMs} ms`),
    },
  ];
}

function actionCounts(report: Report): string {
  if (report.actions.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const action of report.actions) {
    counts.set(action.status, (counts.get(action.status) ?? 0) + 1);
  }
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

function reportLists(report: Report): FactList[] {
  return [
    {
      title: 'Actions',
      items: report.actions.map((action) => ({
        summary: `${action.name} on ${action.target}: ${action.status}`,
        detail: action.detail,
      })),
    },
  ];
}

function followUpFacts(record: FollowUpRecord): Fact[] {
  const trail = record.cloudTrail;
  return [
    {
      label: 'Check',
      value: record.check === 'hold' ? 'hold check' : 'persistence sweep',
    },
    { label: 'Outcome', value: record.dryRun ? `${record.outcome} (dry run)` : record.outcome },
    ...who(record),
    { label: 'Contained at', value: record.containedAt ?? '' },
    {
      label: 'CloudTrail',
      value: trail
        ? `${trail.events} event(s) in ${trail.regions.join(', ')}, ${trail.since} to ${trail.until}` +
          (trail.truncated ? ' (truncated: the oldest events were not read)' : '')
        : '',
    },
    { label: 'Error code', value: record.errorCode ?? '', code: true },
    { label: 'Incident', value: record.incidentId, code: true },
    { label: 'Time', value: record.startedAt },
  ];
}

function followUpLists(record: FollowUpRecord): FactList[] {
  // Calls AWS accepted come first: they are the alarm; refused ones are expected.
  const uses = [...record.usedAfterContainment].sort(
    (a, b) => Number(a.errorCode !== null) - Number(b.errorCode !== null),
  );
  return [
    {
      title: 'Used after containment',
      items: uses.map((use) => ({
        summary: `${use.eventTime} ${use.eventSource} ${use.eventName}: ${use.errorCode ?? 'ACCEPTED'}`,
        detail: `event ${use.eventId}`,
      })),
    },
    {
      title: 'Put back',
      items: record.reapplied
        ? [
            {
              summary: `undone: ${record.reapplied.undone.join(', ') || 'nothing named'}; ${record.reapplied.outcome}`,
              detail: record.reapplied.reason,
            },
          ]
        : [],
    },
    {
      title: 'Keys it created',
      items: record.createdKeys.map((created) => ({
        summary: `${created.accessKeyId} (${created.userName ?? 'user unknown'}) at ${created.eventTime}: ${created.outcome}`,
        detail: `incident ${created.incidentId}, event ${created.eventId}`,
      })),
    },
    {
      title: 'To review',
      items: record.review.map((item) => ({
        summary: `${item.eventName} ${item.target} at ${item.eventTime}`,
        detail: `${item.review} (event ${item.eventId})`,
      })),
    },
    {
      title: 'Other writes',
      items: record.otherWrites.map((write) => ({
        summary: `${write.eventTime} ${write.eventSource} ${write.eventName}`,
        detail: `event ${write.eventId}`,
      })),
    },
  ];
}
