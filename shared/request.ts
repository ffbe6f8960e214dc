/**
 * The normalised request: what every entry point's event becomes before any AWS call.
 * Identifiers in it have been validated against strict patterns.
 */

/** Where the data came from. */
export type RequestSource = 'guardduty' | 'securityhub' | 'health' | 'runbook' | 'unknown';

/**
 * How it reached the responder: automatically (EventBridge, SNS) or from a person (the Lambda
 * console, or a Security Hub custom action a person chose for the finding).
 */
export type Trigger = 'eventbridge' | 'sns' | 'console' | 'custom-action';

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
}

/** An event that cannot become a request: reported with this outcome, never acted on. */
export interface RejectedIntake extends IntakeContext {
  outcome: 'failed' | 'skipped';
  reason: string;
  /** Only set when it is a well-formed key id: arbitrary input is never echoed into logs. */
  accessKeyId?: string;
  finding?: Omit<FindingSummary, 'principal'>;
}

/** Undo what the responder did to one principal: named by its AKIA key, or a role by name. */
export interface ReleaseRequest extends IntakeContext {
  principal: { accessKeyId: string } | { roleName: string };
  reason: string;
  /** Undo even what the responder's own tags do not show it did. */
  force: boolean;
  dryRun: boolean;
}

export type Intake =
  | { kind: 'request'; request: ContainRequest }
  | { kind: 'release'; release: ReleaseRequest }
  | { kind: 'rejected'; rejected: RejectedIntake };
