import type { ContainRequest, FindingSummary, Intake, IntakeContext } from '../request';

export function accepted(request: ContainRequest): Intake {
  return { kind: 'request', request };
}

/** An event that will not be acted on, with the outcome and reason its report carries. */
export function rejected(
  context: IntakeContext,
  outcome: 'failed' | 'skipped',
  reason: string,
  extra: { finding?: Omit<FindingSummary, 'principal'>; accessKeyId?: string } = {},
): Intake {
  return { kind: 'rejected', rejected: { ...context, outcome, reason, ...extra } };
}
