import type { FindingSummary, Intake, RequestSource } from '../request';

/** An event that will not be acted on, with the outcome and reason its report carries. */
export function rejected(
  incidentId: string,
  source: RequestSource,
  outcome: 'failed' | 'skipped',
  reason: string,
  finding?: Omit<FindingSummary, 'principal'>,
  accessKeyId?: string,
): Intake {
  return {
    kind: 'rejected',
    rejected: {
      incidentId,
      source,
      outcome,
      reason,
      ...(finding ? { finding } : {}),
      ...(accessKeyId ? { accessKeyId } : {}),
    },
  };
}
