import { randomUUID } from 'node:crypto';
import type { Caller } from './auth';
import type { AwsError } from './errors';
import type { StandInState } from './state';
import { isoSeconds } from './xml';

/**
 * CloudTrail management events (Event history): requests signed with credentials the stand-in
 * issued are recorded; root and default callers are not, so the default admin stays out of every
 * trail. `LookupEvents` is in cloudtrail-lookup.ts, the JSON 1.1 plumbing in json-protocol.ts.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (value: Json): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

interface SessionIssuer {
  type: 'Root' | 'IAMUser' | 'Role';
  principalId: string;
  arn: string;
  accountId: string;
  /** Absent for a root issuer (it would be the account alias, which the stand-in lacks). */
  userName?: string;
}

/** As the CloudTrail User Guide's "CloudTrail userIdentity element" documents it. */
export interface UserIdentity {
  type: 'IAMUser' | 'AssumedRole' | 'FederatedUser';
  principalId: string;
  arn: string;
  accountId: string;
  accessKeyId: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer?: SessionIssuer;
    /** When the session's credential was issued; MFA is not simulated. */
    attributes?: { creationDate: string; mfaAuthenticated: 'false' };
  };
}

/** The JSON that `Event.CloudTrailEvent` carries, with a real record's members and order. */
export interface CloudTrailRecord {
  eventVersion: '1.08';
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: JsonObject | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
}

export interface TrailResource {
  ResourceType: string;
  ResourceName: string;
}

/** A recorded event: its record, plus what Event history files it under. */
export interface TrailEvent {
  accountId: string;
  region: string;
  /** To the second, as CloudTrail records it. */
  eventTime: Date;
  /** The `Username` LookupEvents shows: user name, role session name or federated name. */
  username: string;
  resources: TrailResource[];
  record: CloudTrailRecord;
}

/** A request made with an issued credential, as the server saw it. */
export interface Call {
  caller: Caller;
  eventSource: string;
  eventName: string;
  requestId: string;
  userAgent: string;
  parameters: JsonObject | null;
  now: Date;
  error?: AwsError;
}

/** SNS Publish has been a data event since 2023: not in Event history. */
const DATA_EVENTS = new Set(['Publish']);
/** AssumeRole changes nothing, and CloudTrail marks it read-only like the Get/List calls. */
const READ_ONLY = /^(Get|List|Describe|Lookup|AssumeRole)/;
const RESOURCE_PARAMETERS: Record<string, string> = {
  userName: 'AWS::IAM::User',
  roleName: 'AWS::IAM::Role',
  roleArn: 'AWS::IAM::Role',
  accessKeyId: 'AWS::IAM::AccessKey',
  policyName: 'AWS::IAM::Policy',
  topicArn: 'AWS::SNS::Topic',
};
export const RETENTION_MS = 90 * 24 * 3600_000;

/** Who made the call as CloudTrail names them, or undefined for callers that leave no trail. */
function identify(
  state: StandInState,
  { principal, temporary, scope }: Caller,
): { identity: UserIdentity; username: string } | undefined {
  const { accountId, arn, userId: principalId } = principal;
  const base = { principalId, arn, accountId, accessKeyId: scope.accessKeyId };
  const attributes = temporary && {
    creationDate: isoSeconds(temporary.issuedAt),
    mfaAuthenticated: 'false' as const,
  };
  switch (principal.kind) {
    case 'root':
      return undefined;
    case 'user': {
      const identity: UserIdentity = { type: 'IAMUser', ...base, userName: principal.userName };
      // GetSessionToken sessions act as the user, with the session's context.
      if (attributes) identity.sessionContext = { attributes };
      return { identity, username: principal.userName };
    }
    case 'assumed-role': {
      const { roleName } = principal;
      const sessionIssuer: SessionIssuer = {
        type: 'Role',
        principalId: principalId.split(':')[0] ?? '',
        // The role may be gone since; its ARN then reads as one without a path.
        arn:
          state.accounts.get(accountId)?.roles.get(roleName)?.arn ??
          `arn:aws:iam::${accountId}:role/${roleName}`,
        accountId,
        userName: roleName,
      };
      return {
        identity: { type: 'AssumedRole', ...base, sessionContext: { sessionIssuer, attributes } },
        username: principal.sessionName,
      };
    }
    case 'federated-user': {
      const { issuer } = principal;
      const sessionIssuer: SessionIssuer =
        issuer.kind === 'user'
          ? {
              type: 'IAMUser',
              principalId: issuer.userId,
              arn: issuer.arn,
              accountId,
              userName: issuer.userName,
            }
          : { type: 'Root', principalId: issuer.userId, arn: issuer.arn, accountId };
      return {
        identity: { type: 'FederatedUser', ...base, sessionContext: { sessionIssuer, attributes } },
        username: principal.name,
      };
    }
  }
}

function resourcesOf(parameters: JsonObject | null): TrailResource[] {
  return Object.entries(parameters ?? {}).flatMap(([name, value]) => {
    const type = Object.hasOwn(RESOURCE_PARAMETERS, name) ? RESOURCE_PARAMETERS[name] : undefined;
    return type && typeof value === 'string' ? [{ ResourceType: type, ResourceName: value }] : [];
  });
}

/** Records a call as a management event in the caller's account and the request's region. */
export function recordCall(state: StandInState, call: Call): void {
  if (DATA_EVENTS.has(call.eventName)) return;
  const identified = identify(state, call.caller);
  if (!identified) return;
  const { accountId } = call.caller.principal;
  const { region } = call.caller.scope;
  const eventTime = new Date(Math.floor(call.now.getTime() / 1000) * 1000);
  state.cloudTrail.push({
    accountId,
    region,
    eventTime,
    username: identified.username,
    resources: resourcesOf(call.parameters),
    record: {
      eventVersion: '1.08',
      userIdentity: identified.identity,
      eventTime: isoSeconds(eventTime),
      eventSource: call.eventSource,
      eventName: call.eventName,
      awsRegion: region,
      sourceIPAddress: '127.0.0.1',
      userAgent: call.userAgent,
      ...(call.error && { errorCode: call.error.code, errorMessage: call.error.message }),
      requestParameters: call.parameters,
      requestID: call.requestId,
      eventID: randomUUID(),
      readOnly: READ_ONLY.test(call.eventName),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: 'Management',
    },
  });
}

const lowerCamel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** Query parameters as CloudTrail shows them (`UserName` -> `userName`); null when there are
 * none. Lists (`Name.member.N`) are left out. */
export function queryParameters(form: URLSearchParams): JsonObject | null {
  const parameters: JsonObject = {};
  for (const [name, value] of form) {
    if (name === 'Action' || name === 'Version' || name.startsWith('X-Amz-') || name.includes('.'))
      continue;
    parameters[lowerCamel(name)] = value;
  }
  return Object.keys(parameters).length > 0 ? parameters : null;
}

/** A JSON request body with its members lowerCamel-cased, as CloudTrail shows it. */
export function jsonParameters(body: JsonObject): JsonObject | null {
  const camel = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(camel);
    if (!isObject(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [lowerCamel(k), camel(v)]));
  };
  return Object.keys(body).length > 0 ? (camel(body) as JsonObject) : null;
}
