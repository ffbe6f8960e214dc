import type { Intake, Trigger } from '../request';
import { type Accepts, refusedHere } from '../trust/channels';
import { intakeGuardDutyEvent } from './guardduty-event';
import { intakeHealthEvent } from './health-event';
import { rejected } from './intake-result';
import { intakeRunbookRequest, isRunbookRequest } from './runbook-request';
import { intakeSecurityHubEvent } from './securityhub-event';

/** EventBridge and SNS cap events at 256 KB; anything much larger is not a real event. */
const MAX_EVENT_BYTES = 512 * 1024;

/**
 * Any event the responder accepts, whichever entry point received it: a runbook request, or a
 * GuardDuty, Security Hub or AWS Health EventBridge event, as far as the way it came may carry it
 * (see trust/channels.ts). One intake per incident.
 */
export function intakeEvent(
  event: unknown,
  trigger: Trigger,
  fallbackId: string,
  accepts: Accepts,
): Intake[] {
  const unknown = { incidentId: fallbackId, source: 'unknown' as const, trigger };
  if (tooLarge(event)) {
    return [
      rejected(
        unknown,
        'failed',
        `event is larger than ${MAX_EVENT_BYTES / 1024} KB: not a real event`,
      ),
    ];
  }
  const carries = isRunbookRequest(event) ? 'runbook' : 'finding';
  const refused = refusedHere(accepts, carries);
  if (refused) {
    const source = carries === 'runbook' ? ('runbook' as const) : ('unknown' as const);
    return [rejected({ ...unknown, source }, 'failed', refused)];
  }
  if (carries === 'runbook') return intakeRunbookRequest(event, trigger, fallbackId);
  switch ((event as { source?: unknown } | null)?.source) {
    case 'aws.guardduty':
      return intakeGuardDutyEvent(event, trigger, fallbackId);
    case 'aws.securityhub':
      return intakeSecurityHubEvent(event, trigger, fallbackId);
    case 'aws.health':
      return intakeHealthEvent(event, trigger, fallbackId);
    default:
      return [
        rejected(
          unknown,
          'failed',
          'unrecognised event: expected a runbook request {"runbook": "contain", "accessKeyId": …} ' +
            'or a GuardDuty, Security Hub or AWS Health event',
        ),
      ];
  }
}

function tooLarge(event: unknown): boolean {
  try {
    return (JSON.stringify(event) ?? '').length > MAX_EVENT_BYTES;
  } catch {
    return true; // not serialisable (cycles, BigInt): not JSON from AWS either
  }
}
