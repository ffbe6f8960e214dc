import type { Config } from '../config';
import { atLeast } from '../intake/severity';
import { decideFindingType } from '../policy/finding-types';
import type { FindingSummary, Trigger } from '../request';

/** What the automatic-containment policy said about a finding, for the record. */
export interface PolicyRecord {
  /** The FINDING_TYPES pattern that decided (`!…` when it excluded), null when none matched. */
  findingTypes: string | null;
  /** MIN_SEVERITY at the time, and whether the finding met it. */
  minSeverity: string;
  severityMet: boolean;
}

export type AutomaticDecision =
  | { act: true; policy: PolicyRecord | null }
  | { act: false; reason: string; policy: PolicyRecord };

/**
 * Findings are contained without a person only when FINDING_TYPES includes their type and their
 * severity meets MIN_SEVERITY; others are reported and notified. A person's request — console,
 * runbook, Security Hub custom action — is always acted on (policy null), and so is a follow-up
 * of a containment the policy already allowed.
 */
export function automaticDecision(
  subject: { trigger: Trigger; finding?: Omit<FindingSummary, 'principal'> },
  config: Pick<Config, 'findingTypes' | 'minSeverity'>,
): AutomaticDecision {
  const finding = subject.finding;
  const byPerson = subject.trigger === 'console' || subject.trigger === 'custom-action';
  if (!finding || byPerson || subject.trigger === 'follow-up') {
    return { act: true, policy: null };
  }
  const byType = decideFindingType(config.findingTypes, [
    finding.type,
    ...(finding.otherTypes ?? []),
  ]);
  const severityMet = atLeast(finding.severityLabel, config.minSeverity);
  const policy = { findingTypes: byType.rule, minSeverity: config.minSeverity, severityMet };
  const byHand = 'a runbook request or the contain function contains it';
  if (!byType.allowed) {
    const why =
      byType.rule === null
        ? `no FINDING_TYPES pattern includes finding type ${byType.type}`
        : `FINDING_TYPES pattern ${byType.rule} excludes finding type ${byType.type}`;
    return { act: false, reason: `${why}: not contained automatically (${byHand})`, policy };
  }
  if (!severityMet) {
    return {
      act: false,
      reason:
        `severity ${finding.severityLabel} is below MIN_SEVERITY ${config.minSeverity}: not contained automatically ` +
        `(${byHand})`,
      policy,
    };
  }
  return { act: true, policy };
}
