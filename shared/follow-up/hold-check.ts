import type { ContainRequest } from '../request';
import { type Deps, respond } from '../respond';
import {
  type CreatedKeyRecord,
  type FollowUpRecord,
  followUpRecord,
  type UseAfterContainment,
} from './follow-up-record';
import type { FollowUpRequest } from './follow-up-request';
import { containedByIncident, type IncidentState, readContainment } from './incident-state';
import { keyActivityIn } from './key-activity';
import { persistenceOf } from './persistence';
import { containCreatedKey } from './sweep';

/**
 * IAM applies a change within seconds, but not at once: calls in this long after the containing
 * write may still have been allowed, and do not mean the containment failed.
 */
export const PROPAGATION_GRACE_MS = 60_000;

/** How far before the containment the hold check looks again for what the key left behind. */
export const LATE_EVENTS_MS = 30 * 60_000;

/**
 * Did the containment hold? A while after it (long enough for CloudTrail to deliver), check that
 * IAM still holds what the responder set — the key Inactive, a revocation covering the sessions
 * issued before the containment — and put back whatever was undone (through `respond`, under the
 * same incident id, with a new, later cutoff: never an earlier one). Then read CloudTrail for
 * calls made with the key since: denied ones are expected; one that succeeded is `still-in-use`,
 * an alarm. A release cancels the check (hold-check-schedule.ts), so it never undoes a release.
 */
export async function holdCheck(request: FollowUpRequest, deps: Deps): Promise<FollowUpRecord> {
  const clock = deps.clock ?? Date.now;
  const startedAt = new Date(clock());
  const { incidentId, accessKeyId } = request;
  const base = {
    check: 'hold' as const,
    incidentId,
    accessKeyId,
    dryRun: deps.config.dryRun,
    startedAt: startedAt.toISOString(),
  };
  const done = (
    parts: Omit<Partial<FollowUpRecord>, 'outcome' | 'reason'> & {
      outcome: FollowUpRecord['outcome'];
      reason: string;
    },
  ) => followUpRecord({ ...base, ...parts, finishedAt: new Date(clock()).toISOString() });

  if (!deps.config.followUp.holdCheck) {
    return done({ outcome: 'skipped', reason: 'the hold check is turned off (HOLD_CHECK=false)' });
  }
  const read = await readContainment(incidentId, accessKeyId, deps);
  if (read.kind === 'refused') {
    return done({ outcome: 'escalated', reason: read.reason, accountId: read.accountId });
  }
  const { access, state } = read;
  const accountId = access.accountId;
  if (state.kind === 'unknown') {
    return done({
      outcome: 'escalated',
      accountId,
      reason: `cannot check incident ${incidentId}: ${state.reason}; nothing was changed`,
    });
  }
  const containedAt = request.containedAt ?? state.ownCutoff;
  if (!containedAt) {
    return done({
      outcome: 'escalated',
      accountId,
      principal: state.principal,
      reason: `no time of containment given and no revocation of incident ${incidentId} on ${state.principal.name}: give "containedAt"; nothing was changed`,
    });
  }

  const undone = whatWasUndone(state, accessKeyId, containedAt);
  let reapplied: FollowUpRecord['reapplied'] = null;
  if (undone.length > 0) {
    const put = await reapply(request, undone, deps);
    reapplied = { undone, outcome: put.outcome, reason: put.reason };
  }

  // One lookup serves both: the last minutes before the containment, which CloudTrail may not
  // have delivered when the sweep ran (a key created then is contained now), and every call since.
  const until = new Date(clock());
  const after = new Date(containedAt.getTime() + PROPAGATION_GRACE_MS);
  const since = deps.config.followUp.sweep
    ? new Date(containedAt.getTime() - LATE_EVENTS_MS)
    : after;
  const activity =
    since < until
      ? await keyActivityIn(access.clients.cloudtrail, deps.config.followUp.regions, accessKeyId, {
          since,
          until,
        })
      : { events: [], pages: 0, truncated: false, unreadable: 0, regions: [] };
  const where = activity.regions.join(', ');
  const late = deps.config.followUp.sweep ? persistenceOf(activity.events) : undefined;
  const createdKeys: CreatedKeyRecord[] = [];
  for (const created of late?.createdKeys ?? []) {
    createdKeys.push(await containCreatedKey(created, request, accountId, deps));
  }
  const used: UseAfterContainment[] = activity.events
    .filter((e) => e.eventTime.getTime() >= after.getTime())
    .map((e) => ({
      eventName: e.eventName,
      eventSource: e.eventSource,
      eventTime: e.eventTime.toISOString(),
      eventId: e.eventId,
      errorCode: e.errorCode ?? null,
    }));
  const allowed = used.filter((u) => u.errorCode === null);

  const common = {
    accountId,
    principal: state.principal,
    containedAt: containedAt.toISOString(),
    cloudTrail: {
      regions: activity.regions,
      since: since.toISOString(),
      until: until.toISOString(),
      events: activity.events.length,
      pages: activity.pages,
      truncated: activity.truncated,
    },
    usedAfterContainment: used,
    createdKeys,
    review: late?.review ?? [],
    otherWrites: late?.otherWrites ?? [],
    reapplied,
    notes: [
      ...(containedByIncident(state, accessKeyId)
        ? []
        : [
            `No record of incident ${incidentId} remains on ${state.principal.type} ${state.principal.name}: someone removed it with the containment, or this check names a key the incident did not contain.`,
          ]),
      ...(createdKeys.length > 0
        ? [
            `Keys ${createdKeys.map((k) => `${k.accessKeyId} (${k.outcome})`).join(', ')} created by ${accessKeyId} appeared in CloudTrail after the sweep.`,
          ]
        : []),
      `CloudTrail of ${where} only; calls made with session tokens minted from a long-term key appear under the session's own key id.`,
    ],
    ...(createdKeys.some((k) => k.outcome === 'failed') ? { errorCode: 'CreatedKeyFailed' } : {}),
  };
  if (allowed.length > 0) {
    const calls = allowed
      .slice(0, 5)
      .map((u) => `${u.eventName} at ${u.eventTime}`)
      .join(', ');
    return done({
      ...common,
      outcome: 'still-in-use',
      reason:
        `ALARM: ${accessKeyId} was used successfully ${allowed.length} time(s) after incident ${incidentId} contained it (${calls})` +
        (reapplied
          ? `; the containment had been undone (${undone.join('; ')}) and was put back: ${reapplied.outcome}`
          : '') +
        ': find how (another key, a session, the containment undone) and contain it by hand',
    });
  }
  if (reapplied) {
    return done({
      ...common,
      outcome: 'reapplied',
      reason: `TAMPERING: ${undone.join('; ')} since incident ${incidentId}; put back: ${reapplied.outcome} (${reapplied.reason})`,
      ...(reapplied.outcome === 'failed' ? { errorCode: 'ReapplyFailed' } : {}),
    });
  }
  return done({
    ...common,
    outcome: 'held',
    reason: `incident ${incidentId} held: ${heldSummary(state)}; ${used.length === 0 ? 'no later call with the key in CloudTrail' : `${used.length} later call(s) with the key, all denied`}`,
  });
}

/** What IAM no longer holds of the containment, in words; empty when it all holds. */
function whatWasUndone(
  state: Exclude<IncidentState, { kind: 'unknown' }>,
  accessKeyId: string,
  containedAt: Date,
): string[] {
  const undone: string[] = [];
  if (state.keyStatus === 'Active') undone.push(`key ${accessKeyId} is Active again`);
  const covered =
    state.ownCutoff !== undefined ||
    (state.coveringCutoff !== undefined && state.coveringCutoff.getTime() >= containedAt.getTime());
  if (!covered) {
    undone.push(
      `no revocation on ${state.principal.type} ${state.principal.name} covers the sessions issued before the containment`,
    );
  }
  return undone;
}

function heldSummary(state: Exclude<IncidentState, { kind: 'unknown' }>): string {
  const parts = [];
  if (state.keyStatus) parts.push(`key ${state.keyStatus}`);
  const cutoff = state.ownCutoff ?? state.coveringCutoff;
  if (cutoff) parts.push(`sessions issued before ${cutoff.toISOString()} denied`);
  return parts.join(', ');
}

/** Contains the key again under the same incident: `respond` decides, with every safety rule. */
async function reapply(request: FollowUpRequest, undone: string[], deps: Deps) {
  const contain: ContainRequest = {
    incidentId: request.incidentId,
    source: 'follow-up',
    trigger: 'follow-up',
    accessKeyId: request.accessKeyId,
    reason: `hold check: the containment was undone (${undone.join('; ')})`,
  };
  const report = await respond({ kind: 'request', request: contain }, deps);
  deps.logger.resetKeys();
  return report;
}
