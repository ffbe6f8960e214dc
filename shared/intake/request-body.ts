import type { Intake, RequestSource } from '../request';
import { intakeGuardDutyEvent, isGuardDutyEvent } from './guardduty-event';
import { rejected } from './rejected';
import { intakeRunbookRequest, isRunbookRequest } from './runbook-request';

/**
 * The body of a console invocation or of an SNS message: a runbook request, or a GuardDuty
 * EventBridge event (pasted into the console, or fanned out through SNS).
 */
export function intakeRequestBody(
  body: unknown,
  source: RequestSource,
  incidentId: string,
): Intake {
  if (isRunbookRequest(body)) return intakeRunbookRequest(body, source, incidentId);
  if (isGuardDutyEvent(body)) return intakeGuardDutyEvent(body, source, incidentId);
  return rejected(
    incidentId,
    source,
    'failed',
    'unrecognised event: expected a runbook request {"runbook": "contain", "accessKeyId": …} or a GuardDuty finding event',
  );
}
