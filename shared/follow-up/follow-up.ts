import type { Deps } from '../respond';
import { type FollowUpRecord, followUpRecord } from './follow-up-record';
import type { FollowUpRequest } from './follow-up-request';
import { holdCheck } from './hold-check';
import { scheduleHoldCheck } from './hold-check-schedule';
import { sweep, verifyContainment } from './sweep';

/**
 * One follow-up request. After a containment (its report): check in IAM that the responder made
 * it, schedule the hold check, then sweep. The hold check, when its time comes.
 */
export async function followUp(request: FollowUpRequest, deps: Deps): Promise<FollowUpRecord> {
  if (request.check === 'hold-check') return holdCheck(request, deps);
  const { sweep: sweepOn, holdCheck: holdOn } = deps.config.followUp;
  const sweepOff = (parts: Partial<FollowUpRecord> = {}) =>
    followUpRecord({
      check: 'sweep',
      incidentId: request.incidentId,
      accessKeyId: request.accessKeyId,
      outcome: 'skipped',
      reason: 'the persistence sweep is turned off (FOLLOW_UP_SWEEP=false)',
      ...parts,
    });
  // Nothing to do at all: not even IAM is read.
  if (!sweepOn && !(holdOn && request.scheduleHoldCheck)) return sweepOff();
  const verifying = await verifyContainment(request, deps);
  if (verifying.kind === 'stop') return verifying.record;
  const { verified } = verifying;
  if (holdOn && request.scheduleHoldCheck && request.containedAt) {
    const clock = deps.clock ?? Date.now;
    const scheduled = await scheduleHoldCheck(
      deps.clients.scheduler,
      deps.config.followUp,
      { ...request, containedAt: request.containedAt },
      new Date(clock()),
    );
    verified.notes.push(
      scheduled.kind === 'scheduled'
        ? `Hold check scheduled for ${scheduled.at.toISOString()} (${scheduled.name}).`
        : scheduled.kind === 'already-scheduled'
          ? `Hold check already scheduled (${scheduled.name}).`
          : 'No hold check scheduled: FOLLOW_UP_FUNCTION_ARN, HOLD_CHECK_SCHEDULER_ROLE_ARN and HOLD_CHECK_SCHEDULE_GROUP are not set (the stack sets them).',
    );
  }
  if (!sweepOn) {
    const { access, principal, notes } = verified;
    return sweepOff({ accountId: access.accountId, principal, notes });
  }
  return sweep(request, verified, deps);
}
