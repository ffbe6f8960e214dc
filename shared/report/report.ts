import type { PolicyRecord } from '../plan/automatic-containment';

/** The audit record: one per incident, returned by the handler and logged as one JSON line. */
export type Outcome = 'contained' | 'released' | 'planned' | 'skipped' | 'escalated' | 'failed';

export type ActionStatus =
  /** Written and read back. */
  | 'verified'
  /** Written; the read-back did not confirm it yet (IAM is eventually consistent). */
  | 'done'
  /** Nothing to write: what the action would do was already in place. */
  | 'already-in-place'
  /** Dry run: what would be written. */
  | 'planned'
  | 'failed';

export interface ActionRecord {
  name: string;
  target: string;
  status: ActionStatus;
  detail: string;
}

export interface PrincipalRecord {
  type: 'IAMUser' | 'AssumedRole' | 'Root' | string;
  name: string | null;
  arn: string | null;
}

export interface Report {
  incidentId: string;
  /** Where the data came from: guardduty, securityhub, health, runbook (unknown for bad input). */
  source: string;
  /** How it arrived: eventbridge, sns, console, custom-action (a Security Hub custom action). */
  trigger: string;
  accessKeyId: string | null;
  /** The account that owns the key, from `sts:GetAccessKeyInfo`. */
  accountId: string | null;
  principal: PrincipalRecord | null;
  outcome: Outcome;
  reason: string;
  actions: ActionRecord[];
  /** Milliseconds from the start of the incident to the containing write; null when none. */
  containMs: number | null;
  /** Things a person must know or do next (workloads to refresh, principals to contain). */
  notes: string[];
  finding: {
    id: string;
    type: string;
    severity: number | null;
    severityLabel: string;
    region: string;
    /** The GuardDuty attack sequence that named the key. */
    sequenceId?: string;
  } | null;
  /**
   * Why a finding was or was not contained without a person: the FINDING_TYPES pattern that
   * decided and MIN_SEVERITY. Null when not consulted (a person's request, or bad input).
   */
  policy: PolicyRecord | null;
  /** What was there before: the key's last use and the revocation policy before any change. */
  evidence: Evidence | null;
  /** True when nothing was changed on purpose (DRY_RUN or `"dryRun": true`). */
  dryRun: boolean;
  /** Set when AWS refused or failed: the AWS error code. */
  errorCode: string | null;
  startedAt: string;
  finishedAt: string;
}

export interface Evidence {
  keyLastUse: { date: string | null; service: string | null; region: string | null } | null;
  /** The principal's `AWSRevokeOlderSessions` document before the change, or null when it had none. */
  revocationPolicyBefore: string | null;
}
