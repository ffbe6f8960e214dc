import type { PolicyRecord } from '../plan/automatic-containment';
import type { FindingSummary, RejectedIntake } from '../request';
import type { ActionRecord, Evidence, Outcome, PrincipalRecord, Report } from './report';

export interface ReportParts {
  incidentId: string;
  source: string;
  trigger: string;
  accessKeyId: string | null;
  accountId?: string | null;
  principal?: PrincipalRecord | null;
  outcome: Outcome;
  reason: string;
  actions?: ActionRecord[];
  containMs?: number | null;
  notes?: string[];
  finding?: Omit<FindingSummary, 'principal'>;
  errorCode?: string | null;
  evidence?: Evidence | null;
  dryRun?: boolean;
  policy?: PolicyRecord | null;
  startedAt: Date;
  finishedAt: Date;
}

export function buildReport(parts: ReportParts): Report {
  const finding = parts.finding;
  return {
    incidentId: parts.incidentId,
    source: parts.source,
    trigger: parts.trigger,
    accessKeyId: parts.accessKeyId,
    accountId: parts.accountId ?? null,
    principal: parts.principal ?? null,
    outcome: parts.outcome,
    reason: parts.reason,
    actions: parts.actions ?? [],
    containMs: parts.containMs ?? null,
    notes: parts.notes ?? [],
    finding: finding
      ? {
          id: finding.id,
          type: finding.type,
          severity: finding.severity,
          severityLabel: finding.severityLabel,
          region: finding.region,
          ...(finding.sequenceId ? { sequenceId: finding.sequenceId } : {}),
        }
      : null,
    policy: parts.policy ?? null,
    evidence: parts.evidence ?? null,
    dryRun: parts.dryRun ?? false,
    errorCode: parts.errorCode ?? null,
    startedAt: parts.startedAt.toISOString(),
    finishedAt: parts.finishedAt.toISOString(),
  };
}

export function reportForRejected(
  rejected: RejectedIntake,
  startedAt: Date,
  finishedAt: Date,
): Report {
  return buildReport({
    incidentId: rejected.incidentId,
    source: rejected.source,
    trigger: rejected.trigger,
    accessKeyId: rejected.accessKeyId ?? null,
    outcome: rejected.outcome,
    reason: rejected.reason,
    ...(rejected.finding ? { finding: rejected.finding } : {}),
    ...(rejected.errorCode ? { errorCode: rejected.errorCode } : {}),
    startedAt,
    finishedAt,
  });
}

/** Whether an async handler should throw so Lambda retries: AWS (or internal) failures only. */
export function isRetryable(report: Report): boolean {
  return report.outcome === 'failed' && report.errorCode !== null;
}
