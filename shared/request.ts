/**
 * The normalised request: what every entry point's event becomes before any AWS call.
 * Identifiers in it have been validated against strict patterns.
 */

/** Where the data came from. */
export type RequestSource =
  | 'guardduty'
  | 'securityhub'
  | 'health'
  | 'runbook'
  /** A containment's follow-up: a key the contained key created, or a containment put back. */
  | 'follow-up'
  | 'unknown';

/**
 * How it reached the responder: automatically (EventBridge, SNS), from a person (the Lambda
 * console, or a Security Hub custom action a person chose for the finding), or from a
 * containment's follow-up (follow-up/), which acts on what CloudTrail and IAM confirm.
 */
export type Trigger = 'eventbridge' | 'sns' | 'console' | 'custom-action' | 'follow-up';

export type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** What a finding says about the principal that holds the key. */
export interface FindingPrincipal {
  userType: string;
  /** For `IAMUser` the user name; for `AssumedRole` the role name. */
  userName?: string;
  /** For `AssumedRole`: `AROA…:<session name>`. */
  principalId?: string;
}

export interface FindingSummary {
  id: string;
  type: string;
  accountId: string;
  region: string;
  /** The source's own number (GuardDuty 1–10, Security Hub 0–100), null when it gives none. */
  severity: number | null;
  severityLabel: SeverityLabel;
  principal?: FindingPrincipal;
  /** Other names the source gives the type (Security Hub's `Types`), matched by FINDING_TYPES too. */
  otherTypes?: string[];
  /** The GuardDuty attack sequence (its `uid`) that named this key. */
  sequenceId?: string;
}

/** Identity of one incident, whatever its outcome. */
export interface IntakeContext {
  incidentId: string;
  source: RequestSource;
  trigger: Trigger;
}

export interface ContainRequest extends IntakeContext {
  accessKeyId: string;
  reason: string;
  finding?: FindingSummary;
  /** A person asked to see the plan only. */
  dryRun?: boolean;
  /** A person says the key is a root user's (runbook `"rootKey": true`): root/contain-root-key.ts. */
  rootKey?: boolean;
}

/** An event that cannot become a request: reported with this outcome, never acted on. */
export interface RejectedIntake extends IntakeContext {
  outcome: 'failed' | 'skipped' | 'escalated';
  reason: string;
  /** Only set when it is a well-formed key id: arbitrary input is never echoed into logs. */
  accessKeyId?: string;
  finding?: Omit<FindingSummary, 'principal'>;
  /** Set when an AWS call made while reading the event failed (the AWS error code). */
  errorCode?: string;
}

/**
 * Undo one containment after a false positive: the incident that made it, and the principal it
 * contained (a user by the AKIA key it deactivated, or a role by name).
 */
export interface ReleaseRequest extends IntakeContext {
  /** The incident being undone (its report's `incidentId`); only its own records are undone. */
  targetIncidentId: string;
  principal: { accessKeyId: string } | { roleName: string };
  /** Where a role lives; for a key, checked against the key's account. Default: the responder's. */
  accountId?: string;
  reason: string;
  /** Undo the incident's changes even though a person acted on the principal since. */
  force: boolean;
  dryRun: boolean;
}

/**
 * A GuardDuty attack sequence whose keys are only in the findings its signals name: those are read
 * with `guardduty:GetFindings` before it becomes requests (intake/sequence-findings.ts).
 */
export interface SequenceLookup extends IntakeContext {
  finding: Omit<FindingSummary, 'principal'> & { sequenceId: string };
  detectorId: string;
  /** Ids of the findings the sequence's FINDING signals name. */
  findingIds: string[];
  /** Who the sequence names as actors, for a person when no key is found. */
  actors: string[];
}

export type Intake =
  | { kind: 'request'; request: ContainRequest }
  | { kind: 'lookup'; lookup: SequenceLookup }
  | { kind: 'release'; release: ReleaseRequest }
  | { kind: 'rejected'; rejected: RejectedIntake };
