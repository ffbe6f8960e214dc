import type { Config } from '../config';
import { atLeast } from '../intake/severity';
import type { ContainRequest } from '../request';

/**
 * Findings below the configured severity are not contained automatically (they are reported and
 * notified). A person's request — console, runbook, Security Hub custom action — is always acted on.
 * Returns the reason to skip, or undefined to go ahead.
 */
export function belowAutomaticThreshold(
  request: ContainRequest,
  config: Config,
): string | undefined {
  const finding = request.finding;
  if (!finding || request.trigger === 'console' || request.trigger === 'custom-action')
    return undefined;
  if (atLeast(finding.severityLabel, config.minSeverity)) return undefined;
  return (
    `severity ${finding.severityLabel} is below MIN_SEVERITY ${config.minSeverity}: not contained automatically ` +
    '(a runbook request or the contain function contains it)'
  );
}
