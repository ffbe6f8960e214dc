import { recordDeactivation } from '../actions/record-deactivation';
import { isDeterministic } from '../errors';
import type { Execution } from '../execute/execute-plan';
import type { Outcome } from './report';

/** A deactivation whose record could not be written: containment stands, release cannot prove it. */
export function unrecorded(execution: Execution): string[] {
  return execution.actions
    .filter((a) => a.name === recordDeactivation.name && a.status === 'failed')
    .map(
      (a) =>
        `The responder could not record that it deactivated ${a.target} (${a.detail}): release will refuse for this key; ` +
        'after review, a person can reactivate it in IAM.',
    );
}

/** Why a deterministic AWS answer ends the incident here. */
export const NOT_RETRIED =
  'AWS gives this answer to every retry, so the incident is not retried; a person must act ' +
  '(see the actions: a quota reached, a principal or key deleted meanwhile, a policy AWS refused)';

/**
 * A principal already contained (key inactive, or a cutoff still in the future) needs no write:
 * a redelivered finding or a wave of findings for one principal says so instead of writing again.
 */
function containedReason(
  principal: { type: string; name: string | null },
  execution: Execution,
  why: string,
): string {
  const who = `${principal.type} ${principal.name}`;
  const found = execution.actions.filter((a) => a.status === 'already-in-place');
  if (execution.containedAt === null && found.length > 0) {
    return `${who} already contained (${found.map((a) => a.detail).join('; ')}): nothing written; ${why}`;
  }
  return `${who} contained: ${why}`;
}

/** The outcome and reason of an incident whose plan was executed. */
export function executionOutcome(
  principal: { type: string; name: string | null },
  execution: Execution,
  why: string,
  alert: string,
): { outcome: Outcome; reason: string } {
  const code = execution.errorCode;
  const who = `${principal.type} ${principal.name}`;
  if (code === null) {
    return { outcome: 'contained', reason: containedReason(principal, execution, why) + alert };
  }
  if (isDeterministic(code)) {
    return {
      outcome: 'escalated',
      reason: `containment of ${who} stopped: ${code}: ${NOT_RETRIED}${alert}`,
    };
  }
  return { outcome: 'failed', reason: `containment of ${who} failed: ${code}${alert}` };
}
