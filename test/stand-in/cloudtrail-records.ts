import { randomUUID } from 'node:crypto';
import type { Caller } from './auth';
import type { AwsError } from './errors';
import type { StandInState } from './state';
import { isoSeconds, type XmlObject, type XmlValue } from './xml';

/**
 * CloudTrail management events (Event history): requests signed with credentials the stand-in
 * issued are recorded; root and default callers are not, so the default admin stays out of every
 * trail, except for AssumeRoot sessions (`type: Root`, `assumedRoot`). `LookupEvents` is in cloudtrail-lookup.ts, the JSON 1.1 plumbing in json-protocol.ts.
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
  type: 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'Root';
  principalId: string;
  arn: string;
  accountId: string;
  accessKeyId: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer?: SessionIssuer;
    /** When the session's credential was issued; MFA is not simulated. */
    attributes?: { creationDate: string; mfaAuthenticated: 'false' };
    /** Set (as the string `true`) on the calls of an AssumeRoot session. */
    assumedRoot?: 'true';
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
  /** What the call created, without its secrets; null for other calls and for failures. */
  responseElements: JsonObject | null;
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
  /** The call's `responseElements` (see `responseElementsOf`); ignored when it failed. */
  response?: JsonObject | null;
  now: Date;
  error?: AwsError;
}

/** SNS Publish has been a data event since 2023: not in Event history. */
const DATA_EVENTS = new Set(['Publish']);
/** AssumeRole (and AssumeRoot) change nothing: CloudTrail marks them read-only like Get/List. */
const READ_ONLY = /^(Get|List|Describe|Lookup|AssumeRole|AssumeRoot)/;
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
      // A root session from AssumeRoot, acting in the member account; root keys leave no trail.
      if (!temporary?.taskPolicyArn) return undefined;
      return {
        identity: { type: 'Root', ...base, sessionContext: { attributes, assumedRoot: 'true' } },
        username: 'root',
      };
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

/** A management event, however it came about: a call the stand-in served, or the admin's seed. */
export interface EventInput {
  accountId: string;
  region: string;
  /** Truncated to the second, as CloudTrail records it. */
  eventTime: Date;
  identity: UserIdentity;
  /** What LookupEvents shows as `Username`. */
  username: string;
  eventSource: string;
  eventName: string;
  userAgent: string;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
  requestId: string;
  error?: { code: string; message?: string };
  /** Defaults to CloudTrail's reading of the event name (Get, List, Describe, … are read-only). */
  readOnly?: boolean;
}

/** Builds the record and what Event history files it under. A failed call has no response. */
export function trailEvent(input: EventInput): TrailEvent {
  const { accountId, region, error } = input;
  const eventTime = new Date(Math.floor(input.eventTime.getTime() / 1000) * 1000);
  return {
    accountId,
    region,
    eventTime,
    username: input.username,
    resources: resourcesOf(input.requestParameters),
    record: {
      eventVersion: '1.08',
      userIdentity: input.identity,
      eventTime: isoSeconds(eventTime),
      eventSource: input.eventSource,
      eventName: input.eventName,
      awsRegion: region,
      sourceIPAddress: '127.0.0.1',
      userAgent: input.userAgent,
      ...(error && { errorCode: error.code }),
      ...(error?.message !== undefined && { errorMessage: error.message }),
      requestParameters: input.requestParameters,
      responseElements: error ? null : input.responseElements,
      requestID: input.requestId,
      eventID: randomUUID(),
      readOnly: input.readOnly ?? READ_ONLY.test(input.eventName),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: 'Management',
    },
  };
}

/** Records a call as a management event in the caller's account and the request's region. */
export function recordCall(state: StandInState, call: Call): void {
  if (DATA_EVENTS.has(call.eventName)) return;
  const identified = identify(state, call.caller);
  if (!identified) return;
  state.cloudTrail.push(
    trailEvent({
      accountId: call.caller.principal.accountId,
      region: call.caller.scope.region,
      eventTime: call.now,
      identity: identified.identity,
      username: identified.username,
      eventSource: call.eventSource,
      eventName: call.eventName,
      userAgent: call.userAgent,
      requestParameters: call.parameters,
      responseElements: call.response ?? null,
      requestId: call.requestId,
      error: call.error,
    }),
  );
}

const lowerCamel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * What CloudTrail keeps of each action's answer, member by member: the ids and dates of what
 * was created, never a secret (no SecretAccessKey, no password). Other actions record null.
 */
const RESPONSE_ELEMENTS: Record<string, Record<string, string[]>> = {
  CreateAccessKey: { AccessKey: ['UserName', 'AccessKeyId', 'Status', 'CreateDate'] },
  CreateUser: { User: ['Path', 'UserName', 'UserId', 'Arn', 'CreateDate'] },
  // The trust policy URL-encoded, as IAM answers it.
  CreateRole: {
    Role: ['Path', 'RoleName', 'RoleId', 'Arn', 'CreateDate', 'AssumeRolePolicyDocument'],
  },
  CreateLoginProfile: { LoginProfile: ['UserName', 'CreateDate', 'PasswordResetRequired'] },
  AssumeRole: {
    Credentials: ['AccessKeyId', 'SessionToken', 'Expiration'],
    AssumedRoleUser: ['AssumedRoleId', 'Arn'],
  },
  GetSessionToken: { Credentials: ['AccessKeyId', 'SessionToken', 'Expiration'] },
  AssumeRoot: { Credentials: ['AccessKeyId', 'SessionToken', 'Expiration'] },
  GetFederationToken: {
    Credentials: ['AccessKeyId', 'SessionToken', 'Expiration'],
    FederatedUser: ['FederatedUserId', 'Arn'],
  },
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Dates inside responseElements read as CloudTrail writes them: `Mar 24, 2014 9:11:59 PM` (UTC). */
export function cloudTrailDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const hours = date.getUTCHours();
  const time = `${hours % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const day = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
  return `${day} ${time} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** A picked field as JSON: text, numbers and booleans as they are, dates CloudTrail's way. */
const jsonOf = (value: XmlValue): Json | undefined =>
  value instanceof Date ? cloudTrailDate(value) : typeof value === 'object' ? undefined : value;

/** The `responseElements` of an action's result: the members listed above, lowerCamel-cased. */
export function responseElementsOf(
  action: string,
  result: XmlObject | undefined,
): JsonObject | null {
  const members = Object.hasOwn(RESPONSE_ELEMENTS, action) ? RESPONSE_ELEMENTS[action] : undefined;
  if (!members || !result) return null;
  const elements: JsonObject = {};
  for (const [member, fields] of Object.entries(members)) {
    const source = result[member];
    if (!source || typeof source !== 'object' || Array.isArray(source) || source instanceof Date)
      continue;
    const picked: JsonObject = {};
    for (const field of fields) {
      const value = jsonOf(source[field]);
      if (value !== undefined) picked[lowerCamel(field)] = value;
    }
    elements[lowerCamel(member)] = picked;
  }
  return elements;
}

/** Never recorded: CloudTrail leaves passwords out of `requestParameters`. */
const SECRET_PARAMETERS = new Set(['Password', 'OldPassword', 'NewPassword']);
/** Query strings are all text; CloudTrail shows these members typed, as the API model has them. */
const TYPED_PARAMETERS: Record<string, (value: string) => Json | undefined> = {
  PasswordResetRequired: (v) => (v === 'true' ? true : v === 'false' ? false : undefined),
  SetAsDefault: (v) => (v === 'true' ? true : v === 'false' ? false : undefined),
  DurationSeconds: (v) => (/^\d{1,9}$/.test(v) ? Number(v) : undefined),
  MaxSessionDuration: (v) => (/^\d{1,9}$/.test(v) ? Number(v) : undefined),
};

/** A list's or map's member (`Name.member.N`, `Name.entry.N.key`), left out of the record. */
const LISTED = (part: string) => part === 'member' || part === 'entry' || /^\d+$/.test(part);

/** Query parameters as CloudTrail shows them (`UserName` -> `userName`), passwords left out;
 * null when there are none. Structures nest (`TaskPolicyArn.arn` -> `taskPolicyArn: {arn}`);
 * lists and maps are left out. */
export function queryParameters(form: URLSearchParams): JsonObject | null {
  const parameters: JsonObject = {};
  for (const [name, value] of form) {
    if (name === 'Action' || name === 'Version' || name.startsWith('X-Amz-')) continue;
    if (SECRET_PARAMETERS.has(name)) continue;
    const [first = '', ...rest] = name.split('.');
    if (rest.some(LISTED)) continue;
    const typed = Object.hasOwn(TYPED_PARAMETERS, name)
      ? TYPED_PARAMETERS[name]?.(value)
      : undefined;
    let into = parameters;
    let key = lowerCamel(first);
    for (const part of rest) {
      const inner = into[key];
      const next: JsonObject = inner !== undefined && isObject(inner) ? inner : {};
      into[key] = next;
      into = next;
      key = lowerCamel(part);
    }
    into[key] = typed ?? value;
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
