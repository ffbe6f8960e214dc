import type { Access } from '../accounts/account-access';
import { AwsCallError } from '../errors';
import type { PrincipalRecord } from '../report/report';
import type { ContainRequest } from '../request';
import { type Deps, respond } from '../respond';
import { type CreatedKeyRecord, type FollowUpRecord, followUpRecord } from './follow-up-record';
import type { FollowUpRequest } from './follow-up-request';
import { containedByIncident, readContainment } from './incident-state';
import { keyActivityIn } from './key-activity';
import { type CreatedKey, persistenceOf } from './persistence';

/**
 * The persistence sweep: what the contained key did in the hours before (and since) it was
 * contained, from CloudTrail of its account. Access keys it created are contained as incidents of
 * their own, through `respond` and every rule a first-hand key meets; users, login profiles,
 * policies, roles and sessions it created or changed are listed for a person. Acts only when IAM
 * shows that this incident contained this key: a forged or stale request changes nothing.
 */
export async function sweep(
  request: FollowUpRequest,
  verified: Verified,
  deps: Deps,
): Promise<FollowUpRecord> {
  const clock = deps.clock ?? Date.now;
  const { accessKeyId } = request;
  const { access, principal, startedAt } = verified;
  const accountId = access.accountId;
  const done = (
    parts: Omit<Partial<FollowUpRecord>, 'outcome' | 'reason'> & {
      outcome: FollowUpRecord['outcome'];
      reason: string;
    },
  ) =>
    followUpRecord({
      ...baseOf('sweep', request, deps, startedAt),
      ...parts,
      finishedAt: new Date(clock()).toISOString(),
    });

  const until = new Date(clock());
  const since = new Date(until.getTime() - deps.config.followUp.sweepWindowHours * 3_600_000);
  const activity = await keyActivityIn(
    access.clients.cloudtrail,
    deps.config.followUp.regions,
    accessKeyId,
    { since, until },
  );
  const where = activity.regions.join(', ');
  const found = persistenceOf(activity.events);
  const createdKeys: CreatedKeyRecord[] = [];
  // One after another: each is its own incident, with IAM's write rate to respect.
  for (const created of found.createdKeys) {
    createdKeys.push(await containCreatedKey(created, request, accountId, deps));
  }
  const notes: string[] = [];
  if (activity.truncated) {
    notes.push(
      `CloudTrail holds more events for ${accessKeyId} than the sweep reads (${activity.pages} pages): the oldest were not seen; look them up in CloudTrail Event history.`,
    );
  }
  if (activity.unreadable > 0)
    notes.push(`${activity.unreadable} CloudTrail records could not be read.`);
  notes.push(
    `CloudTrail of ${where} was read, management events only: other regions (FOLLOW_UP_REGIONS) and data events (S3 objects, Lambda invocations) are not in this sweep.`,
  );
  const anything = createdKeys.length + found.review.length + found.otherWrites.length > 0;
  const notContained = createdKeys.filter(
    (k) => k.outcome !== 'contained' && k.outcome !== 'planned',
  );
  const summary = [
    `${createdKeys.length} access key(s) created`,
    `${found.review.length} change(s) to review`,
    `${found.otherWrites.length} other write(s)`,
    `${found.denied} refused call(s)`,
  ].join(', ');
  return done({
    outcome: anything ? 'found' : 'clean',
    reason: anything
      ? `${accessKeyId} left something behind: ${summary}` +
        (notContained.length > 0
          ? `; NOT contained: ${notContained.map((k) => `${k.accessKeyId} (${k.outcome})`).join(', ')}`
          : '')
      : `CloudTrail shows no change made with ${accessKeyId} in the last ${deps.config.followUp.sweepWindowHours} h (${summary})`,
    accountId,
    principal,
    notes: [...verified.notes, ...notes],
    cloudTrail: {
      regions: activity.regions,
      since: since.toISOString(),
      until: until.toISOString(),
      events: activity.events.length,
      pages: activity.pages,
      truncated: activity.truncated,
    },
    createdKeys,
    review: found.review,
    otherWrites: found.otherWrites,
    errorCode: createdKeys.find((k) => k.outcome === 'failed') ? 'CreatedKeyFailed' : null,
  });
}

export interface Verified {
  access: Exclude<Access, { kind: 'refused' }>;
  principal: PrincipalRecord;
  startedAt: Date;
  /** What happened before the sweep (the hold check scheduled, say). */
  notes: string[];
}

/**
 * Whether IAM shows that this incident contained this key (its tag on the user, or its revocation
 * statement): nothing is followed up otherwise, so a forged or stale request changes nothing.
 */
export async function verifyContainment(
  request: FollowUpRequest,
  deps: Deps,
): Promise<{ kind: 'verified'; verified: Verified } | { kind: 'stop'; record: FollowUpRecord }> {
  const clock = deps.clock ?? Date.now;
  const startedAt = new Date(clock());
  const { incidentId, accessKeyId } = request;
  const stop = (parts: Partial<FollowUpRecord> & Pick<FollowUpRecord, 'outcome' | 'reason'>) => ({
    kind: 'stop' as const,
    record: followUpRecord({
      ...baseOf('sweep', request, deps, startedAt),
      ...parts,
      finishedAt: new Date(clock()).toISOString(),
    }),
  });
  const read = await readContainment(incidentId, accessKeyId, deps);
  if (read.kind === 'refused') {
    return stop({ outcome: 'escalated', reason: read.reason, accountId: read.accountId });
  }
  const { access, state } = read;
  if (state.kind === 'unknown' || !containedByIncident(state, accessKeyId)) {
    const why = state.kind === 'unknown' ? state.reason : 'no record of it on the principal';
    return stop({
      outcome: 'skipped',
      accountId: access.accountId,
      ...(state.kind !== 'unknown' ? { principal: state.principal } : {}),
      reason: `IAM does not show that incident ${incidentId} contained ${accessKeyId} (${why}): nothing followed up`,
    });
  }
  return {
    kind: 'verified',
    verified: { access, principal: state.principal, startedAt, notes: [] },
  };
}

function baseOf(
  check: FollowUpRecord['check'],
  request: FollowUpRequest,
  deps: Deps,
  startedAt: Date,
) {
  return {
    check,
    incidentId: request.incidentId,
    accessKeyId: request.accessKeyId,
    containedAt: request.containedAt?.toISOString() ?? null,
    dryRun: deps.config.dryRun,
    startedAt: startedAt.toISOString(),
  };
}

/** A key the stolen key created: contained as an incident of its own, linked by its id. */
export async function containCreatedKey(
  created: CreatedKey,
  first: FollowUpRequest,
  accountId: string,
  deps: Deps,
): Promise<CreatedKeyRecord> {
  const incidentId = `${first.incidentId.slice(0, 200)}-created-${created.accessKeyId}`;
  const request: ContainRequest = {
    incidentId,
    source: 'follow-up',
    trigger: 'follow-up',
    accessKeyId: created.accessKeyId,
    // CloudTrail's record of the creation names the user: a claim IAM must confirm, like a finding's.
    ...(created.userName
      ? {
          finding: {
            id: created.eventId || incidentId,
            type: 'CloudTrail:CreateAccessKey',
            accountId,
            region: created.region,
            severity: null,
            severityLabel: 'HIGH' as const,
            principal: { userType: 'IAMUser', userName: created.userName },
          },
        }
      : {}),
    reason:
      `created by ${first.accessKeyId} at ${created.eventTime} (CloudTrail event ${created.eventId}), ` +
      `after incident ${first.incidentId} contained it`,
  };
  const report = await respond({ kind: 'request', request }, deps);
  deps.logger.resetKeys();
  return {
    accessKeyId: created.accessKeyId,
    userName: created.userName ?? null,
    eventTime: created.eventTime,
    eventId: created.eventId,
    incidentId,
    outcome: report.outcome,
  };
}

/** An AWS failure of the follow-up itself: on the record with its code, retried by Lambda. */
export function failedFollowUp(
  check: FollowUpRecord['check'],
  request: FollowUpRequest,
  error: unknown,
): FollowUpRecord {
  const code = error instanceof AwsCallError ? error.code : 'InternalError';
  return followUpRecord({
    check,
    incidentId: request.incidentId,
    accessKeyId: request.accessKeyId,
    outcome: 'failed',
    reason: error instanceof Error ? error.message : String(error),
    errorCode: code,
  });
}
