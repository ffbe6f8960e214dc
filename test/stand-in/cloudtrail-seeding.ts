import { randomUUID } from 'node:crypto';
import { type JsonObject, trailEvent, type UserIdentity } from './cloudtrail-records';
import { stableId } from './ids';
import type { StandInState } from './state';
import { isoSeconds } from './xml';

/**
 * Management events the admin adds for what no call to the stand-in can produce: a call made at
 * a chosen time, one the stand-in does not serve, an AssumeRole of another account's role, …
 * They are built like recorded events and found by LookupEvents the same way.
 */

/** Who made the call. Ids and ARNs default to the account's user or role of that name, if it
 * exists, else to stable made-up ones. */
export type SeededIdentity =
  | {
      type: 'IAMUser';
      userName: string;
      principalId?: string;
      /** The user's ARN. */
      arn?: string;
    }
  | {
      type: 'AssumedRole';
      roleName: string;
      sessionName: string;
      /** The role's unique id (`AROA…`); the principal id is `<roleId>:<sessionName>`. */
      roleId?: string;
      /** The session's ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`). */
      arn?: string;
    };

export interface SeededEvent {
  /** The account whose Event history holds it: the caller's. */
  accountId: string;
  /** Default us-east-1. */
  region?: string;
  /** Kept to the second, as CloudTrail records it. */
  eventTime: Date;
  eventName: string;
  eventSource: string;
  /** The key that signed the call (`AKIA…` or `ASIA…`). */
  accessKeyId: string;
  identity: SeededIdentity;
  /** A refused call: its `responseElements` are null whatever is given. */
  errorCode?: string;
  errorMessage?: string;
  /** As CloudTrail shows them (lowerCamel members); default null. */
  requestParameters?: object | null;
  /** As CloudTrail shows them; default null. */
  responseElements?: object | null;
  /** Default: read-only for Get, List, Describe, Lookup and AssumeRole, as recorded calls are. */
  readOnly?: boolean;
}

/** Shown as the seeded event's `userAgent`, so no one mistakes it for a call. */
const SEEDED_USER_AGENT = 'stand-in-admin (seeded event)';

/** A copy in JSON's own terms: detached from the caller's object, dates as strings. */
const json = (value: object | null | undefined): JsonObject | null =>
  value ? (JSON.parse(JSON.stringify(value)) as JsonObject) : null;

function identityOf(
  state: StandInState,
  { accountId, accessKeyId, identity, eventTime }: SeededEvent,
): { identity: UserIdentity; username: string } {
  const account = state.accounts.get(accountId);
  if (identity.type === 'IAMUser') {
    const user = account?.users.get(identity.userName);
    return {
      identity: {
        type: 'IAMUser',
        principalId:
          identity.principalId ?? user?.id ?? stableId('AIDA', `${accountId}/${identity.userName}`),
        arn: identity.arn ?? user?.arn ?? `arn:aws:iam::${accountId}:user/${identity.userName}`,
        accountId,
        accessKeyId,
        userName: identity.userName,
      },
      username: identity.userName,
    };
  }
  const { roleName, sessionName } = identity;
  const role = account?.roles.get(roleName);
  const roleId = identity.roleId ?? role?.id ?? stableId('AROA', `${accountId}/${roleName}`);
  return {
    identity: {
      type: 'AssumedRole',
      principalId: `${roleId}:${sessionName}`,
      arn: identity.arn ?? `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      accountId,
      accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: role?.arn ?? `arn:aws:iam::${accountId}:role/${roleName}`,
          accountId,
          userName: roleName,
        },
        // When the stand-in issued the session, if it did; else no later than the call.
        attributes: {
          creationDate: isoSeconds(state.temporary.get(accessKeyId)?.issuedAt ?? eventTime),
          mfaAuthenticated: 'false',
        },
      },
    },
    username: sessionName,
  };
}

/** Appends the event and returns its eventID. */
export function addCloudTrailEvent(state: StandInState, event: SeededEvent): string {
  if (!/^\d{12}$/.test(event.accountId)) throw new Error(`not an account id: ${event.accountId}`);
  if (Number.isNaN(event.eventTime.getTime())) throw new Error('eventTime is not a date');
  const { identity, username } = identityOf(state, event);
  const seeded = trailEvent({
    accountId: event.accountId,
    region: event.region ?? 'us-east-1',
    eventTime: event.eventTime,
    identity,
    username,
    eventSource: event.eventSource,
    eventName: event.eventName,
    userAgent: SEEDED_USER_AGENT,
    requestParameters: json(event.requestParameters),
    responseElements: json(event.responseElements),
    requestId: randomUUID(),
    error:
      event.errorCode === undefined
        ? undefined
        : { code: event.errorCode, message: event.errorMessage },
    readOnly: event.readOnly,
  });
  state.cloudTrail.push(seeded);
  return seeded.record.eventID;
}
