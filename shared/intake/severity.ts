import type { SeverityLabel } from '../request';

export const SEVERITY_LABELS: readonly SeverityLabel[] = [
  'INFORMATIONAL',
  'LOW',
  'MEDIUM',
  'HIGH',
  'CRITICAL',
];

/** GuardDuty's bands: low < 4 ≤ medium < 7 ≤ high < 9 ≤ critical. */
export function guardDutySeverityLabel(severity: number): SeverityLabel {
  if (severity >= 9) return 'CRITICAL';
  if (severity >= 7) return 'HIGH';
  if (severity >= 4) return 'MEDIUM';
  return 'LOW';
}

/** Security Hub's normalized 0–100 scale, used when a finding has no label. */
export function normalizedSeverityLabel(normalized: number): SeverityLabel {
  if (normalized >= 90) return 'CRITICAL';
  if (normalized >= 70) return 'HIGH';
  if (normalized >= 40) return 'MEDIUM';
  if (normalized >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

export function atLeast(label: SeverityLabel, minimum: SeverityLabel): boolean {
  return SEVERITY_LABELS.indexOf(label) >= SEVERITY_LABELS.indexOf(minimum);
}
