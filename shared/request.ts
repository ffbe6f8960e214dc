/**
 * The normalised request: what every entry point's event becomes before any AWS call.
 * Identifiers in it have been validated against strict patterns.
 */
export type RequestSource = 'guardduty' | 'runbook' | 'console';

/** What a finding says about the principal that holds the key (GuardDuty `accessKeyDetails`). */
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
  severity: number;
  principal?: FindingPrincipal;
}

export interface ContainRequest {
  incidentId: string;
  source: RequestSource;
  accessKeyId: string;
  reason: string;
  finding?: FindingSummary;
}

/** An event that cannot become a request: reported with this outcome, never acted on. */
export interface RejectedIntake {
  incidentId: string;
  source: RequestSource;
  outcome: 'failed' | 'skipped';
  reason: string;
  /** Only set when it is a well-formed key id: arbitrary input is never echoed into logs. */
  accessKeyId?: string;
  finding?: Omit<FindingSummary, 'principal'>;
}

export type Intake =
  | { kind: 'request'; request: ContainRequest }
  | { kind: 'rejected'; rejected: RejectedIntake };
