import type { PrincipalRecord } from '../report/report';
import type { OtherWrite, ReviewItem } from './persistence';

/**
 * The audit record of a containment's follow-up, linked to it by `incidentId`: the persistence
 * sweep (`check: sweep`) or the hold check (`check: hold`). Logged as one JSON line, returned,
 * and published to the notification topic like a report.
 */
export type FollowUpOutcome =
  /** Sweep: the key left nothing behind that CloudTrail shows. */
  | 'clean'
  /** Sweep: it did; what it created was contained (see `createdKeys`) or needs a person (`review`). */
  | 'found'
  /** Hold check: IAM still holds the containment, and every later use of the key was denied. */
  | 'held'
  /** Hold check: the containment had been undone in IAM; it was put back (tampering). */
  | 'reapplied'
  /** Hold check: CloudTrail shows the key used successfully after it was contained. Alarm. */
  | 'still-in-use'
  /** Nothing to follow up: turned off, not the responder's containment, or the key is gone. */
  | 'skipped'
  /** The follow-up could not tell, or may not act (another account): a person checks. */
  | 'escalated'
  /** AWS failed; retried. */
  | 'failed';

export interface CreatedKeyRecord {
  accessKeyId: string;
  userName: string | null;
  eventTime: string;
  eventId: string;
  /** The incident that contained it (its own report), linked to the first. */
  incidentId: string;
  outcome: string;
}

export interface UseAfterContainment {
  eventName: string;
  eventSource: string;
  eventTime: string;
  eventId: string;
  errorCode: string | null;
}

export interface FollowUpRecord {
  kind: 'follow-up';
  check: 'sweep' | 'hold';
  /** The containment this follows. */
  incidentId: string;
  accessKeyId: string;
  accountId: string | null;
  principal: PrincipalRecord | null;
  outcome: FollowUpOutcome;
  reason: string;
  /** When the containment wrote (the start of "after containment"). */
  containedAt: string | null;
  /** The CloudTrail window read, in the key's account. */
  cloudTrail: {
    regions: string[];
    since: string;
    until: string;
    events: number;
    pages: number;
    /** More events than the lookup reads: the oldest ones were not seen. */
    truncated: boolean;
  } | null;
  createdKeys: CreatedKeyRecord[];
  review: ReviewItem[];
  otherWrites: OtherWrite[];
  /** Hold check: calls made with the key after the containment (denied ones have an errorCode). */
  usedAfterContainment: UseAfterContainment[];
  /** Hold check: what was found undone and put back, and the report of putting it back. */
  reapplied: { undone: string[]; outcome: string; reason: string } | null;
  /** Things a person must know or do next. */
  notes: string[];
  dryRun: boolean;
  errorCode: string | null;
  startedAt: string;
  finishedAt: string;
}

/** A record with every field, in reading order: what, about which key, what came of it, details. */
export function followUpRecord(
  parts: Pick<FollowUpRecord, 'check' | 'incidentId' | 'accessKeyId' | 'outcome' | 'reason'> &
    Partial<FollowUpRecord>,
): FollowUpRecord {
  const now = new Date().toISOString();
  return {
    kind: 'follow-up',
    check: parts.check,
    incidentId: parts.incidentId,
    accessKeyId: parts.accessKeyId,
    accountId: parts.accountId ?? null,
    principal: parts.principal ?? null,
    outcome: parts.outcome,
    reason: parts.reason,
    containedAt: parts.containedAt ?? null,
    cloudTrail: parts.cloudTrail ?? null,
    createdKeys: parts.createdKeys ?? [],
    review: parts.review ?? [],
    otherWrites: parts.otherWrites ?? [],
    usedAfterContainment: parts.usedAfterContainment ?? [],
    reapplied: parts.reapplied ?? null,
    notes: parts.notes ?? [],
    dryRun: parts.dryRun ?? false,
    errorCode: parts.errorCode ?? null,
    startedAt: parts.startedAt ?? now,
    finishedAt: parts.finishedAt ?? now,
  };
}
