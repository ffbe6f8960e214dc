import type { ContainRequest, Intake, IntakeContext, RejectedIntake } from '../request';

export function accepted(request: ContainRequest): Intake {
  return { kind: 'request', request };
}

/** An event that will not be acted on, with the outcome and reason its report carries. */
export function rejected(
  context: IntakeContext,
  outcome: RejectedIntake['outcome'],
  reason: string,
  extra: Partial<Pick<RejectedIntake, 'finding' | 'accessKeyId' | 'errorCode'>> = {},
): Intake {
  return { kind: 'rejected', rejected: { ...context, outcome, reason, ...extra } };
}
