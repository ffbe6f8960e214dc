import { createHash, randomUUID } from 'node:crypto';
import type { Caller } from './auth';
import { AwsError } from './errors';
import type { StandInState } from './state';
import { isoSeconds } from './xml';

/**
 * CloudTrail management events (Event history) and `LookupEvents`, in AWS JSON 1.1. Requests
 * signed with credentials the stand-in issued are recorded; root and default callers are not,
 * so the default admin stays out of every trail.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const isObject = (value: Json): value is JsonObject =>
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
const RETENTION_MS = 90 * 24 * 3600_000;

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

const ATTRIBUTE_KEYS = [
  'AccessKeyId',
  'EventId',
  'EventName',
  'EventSource',
  'ReadOnly',
  'ResourceName',
  'ResourceType',
  'Username',
] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

const invalidAttributes = (message: string) =>
  new AwsError('InvalidLookupAttributesException', message, 400);
const invalidNextToken = () =>
  new AwsError('InvalidNextTokenException', 'Invalid NextToken value.', 400);
const serialization = (member: string) =>
  new AwsError('SerializationException', `Unexpected value for ${member}`, 400);

function matches(event: TrailEvent, key: AttributeKey, value: string): boolean {
  const { record } = event;
  switch (key) {
    case 'AccessKeyId':
      return record.userIdentity.accessKeyId === value;
    case 'EventId':
      return record.eventID === value;
    case 'EventName':
      return record.eventName === value;
    case 'EventSource':
      return record.eventSource === value;
    case 'ReadOnly':
      return String(record.readOnly) === value;
    case 'ResourceName':
      return event.resources.some((resource) => resource.ResourceName === value);
    case 'ResourceType':
      return event.resources.some((resource) => resource.ResourceType === value);
    case 'Username':
      return event.username === value;
  }
}

/** At most one attribute, with a known key and a value of 1 to 2000 characters. */
function lookupAttribute(body: JsonObject): { key: AttributeKey; value: string } | undefined {
  const list = body.LookupAttributes;
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw serialization('LookupAttributes');
  if (list.length > 1) {
    throw invalidAttributes('You can specify only one lookup attribute in a request.');
  }
  const [attribute] = list;
  if (attribute === undefined) return undefined;
  const { AttributeKey: key, AttributeValue: value } = isObject(attribute) ? attribute : {};
  const known = ATTRIBUTE_KEYS.find((k) => k === key);
  if (!known) throw invalidAttributes(`Invalid attribute key: ${String(key)}`);
  if (typeof value !== 'string' || value.length < 1 || value.length > 2000) {
    throw invalidAttributes('AttributeValue must be between 1 and 2000 characters long.');
  }
  if (known === 'ReadOnly' && value !== 'true' && value !== 'false') {
    throw invalidAttributes('The value of ReadOnly must be true or false.');
  }
  return { key: known, value };
}

/** Epoch seconds (the JSON protocol's timestamps), or undefined when absent. */
function time(body: JsonObject, member: string): number | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw serialization(member);
  return value * 1000;
}

/** Where a page ends: the last event shown, tied to the query it answered. */
interface Cursor {
  query: string;
  time: number;
  index: number;
}

function decodeCursor(token: Json | undefined, query: string): Cursor | undefined {
  if (token === undefined || token === null) return undefined;
  if (typeof token !== 'string') throw serialization('NextToken');
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (cursor.query === query && Number.isInteger(cursor.time) && Number.isInteger(cursor.index))
      return cursor;
  } catch {
    // Falls through to the same error as a token of another query.
  }
  throw invalidNextToken();
}

export interface LookupContext {
  body: JsonObject;
  caller: Caller;
  state: StandInState;
  now: Date;
  limiter?: RateLimiter;
}

/**
 * The caller's management events in the request's region from the last 90 days, newest first,
 * optionally narrowed by one attribute and a time range. Pages stay stable while new events
 * arrive: a token names the last event shown, not an offset.
 */
function lookupEvents({ body, caller, state, now, limiter }: LookupContext): JsonObject {
  const accountId = caller.principal.accountId;
  const { region } = caller.scope;
  if (limiter && !limiter.take(`${accountId}/${region}`, now.getTime())) {
    throw new AwsError('ThrottlingException', 'Rate exceeded', 400);
  }
  const attribute = lookupAttribute(body);
  const start = time(body, 'StartTime');
  const end = time(body, 'EndTime');
  if (start !== undefined && end !== undefined && start > end) {
    throw new AwsError(
      'InvalidTimeRangeException',
      'Start time must be earlier than or equal to end time.',
      400,
    );
  }
  const max = body.MaxResults ?? 50;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50) {
    throw new AwsError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.', 400);
  }
  const category = body.EventCategory;
  if (category !== undefined && category !== null && category !== 'insight') {
    throw new AwsError('InvalidEventCategoryException', 'Invalid EventCategory.', 400);
  }
  const query = createHash('sha256')
    .update(JSON.stringify([accountId, region, attribute, start, end, category]))
    .digest('base64url');
  const cursor = decodeCursor(body.NextToken, query);

  const oldest = Math.max(now.getTime() - RETENTION_MS, start ?? 0);
  const found = state.cloudTrail
    .map((event, index) => ({ event, index, time: event.eventTime.getTime() }))
    .filter(
      ({ event, index, time }) =>
        // Only management events are recorded: an Insights lookup finds none.
        category !== 'insight' &&
        event.accountId === accountId &&
        event.region === region &&
        time >= oldest &&
        (end === undefined || time <= end) &&
        (!attribute || matches(event, attribute.key, attribute.value)) &&
        (!cursor || time < cursor.time || (time === cursor.time && index < cursor.index)),
    )
    .sort((a, b) => b.time - a.time || b.index - a.index);
  const page = found.slice(0, max);
  const last = page.at(-1);
  const next: Cursor | undefined =
    found.length > max && last ? { query, time: last.time, index: last.index } : undefined;
  return {
    Events: page.map(({ event, time }) => ({
      EventId: event.record.eventID,
      EventName: event.record.eventName,
      ReadOnly: String(event.record.readOnly),
      AccessKeyId: event.record.userIdentity.accessKeyId,
      EventTime: time / 1000,
      EventSource: event.record.eventSource,
      Username: event.username,
      Resources: event.resources.map((resource) => ({ ...resource })),
      CloudTrailEvent: JSON.stringify(event.record),
    })),
    ...(next && { NextToken: Buffer.from(JSON.stringify(next)).toString('base64url') }),
  };
}

/** A token bucket per key: `perSecond` calls a second, bursts of as many. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;

  constructor(private readonly perSecond: number) {
    if (!(perSecond > 0)) throw new Error(`not a rate: ${perSecond}`);
    this.capacity = Math.max(1, perSecond);
  }

  take(key: string, nowMs: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: nowMs };
    bucket.tokens = Math.min(
      this.capacity,
      bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond,
    );
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** `X-Amz-Target`; older SDKs prefix the service's namespace. */
const TARGET = /^(?:com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.(\w+)$/;
const OPERATIONS: Record<string, (ctx: LookupContext) => JsonObject> = {
  LookupEvents: lookupEvents,
};

/** The operation an `X-Amz-Target` names, as counted in `calls` (even when unknown). */
export function operationOf(target: string): string {
  return TARGET.exec(target)?.[1] ?? target;
}

export function cloudTrailHandler(operation: string): (ctx: LookupContext) => JsonObject {
  const handler = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (!handler) {
    throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`, 400);
  }
  return handler;
}

/** A JSON 1.1 request body: an object, `{}` when empty. */
export function parseJsonBody(text: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed: Json = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    // Reported below, as for any body that is not an object.
  }
  throw new AwsError(
    'SerializationException',
    'Start of structure or map found where not expected.',
    400,
  );
}

/**
 * JSON services name the shared errors differently from Query ones (the SDK reads `__type`, then
 * the `x-amzn-ErrorType` header): these are what CloudTrail answers for them.
 */
const JSON_ERRORS: Record<string, { code: string; status: number }> = {
  InvalidClientTokenId: { code: 'UnrecognizedClientException', status: 400 },
  ExpiredToken: { code: 'ExpiredTokenException', status: 400 },
  MissingAuthenticationToken: { code: 'MissingAuthenticationTokenException', status: 400 },
  IncompleteSignature: { code: 'IncompleteSignatureException', status: 400 },
  Throttling: { code: 'ThrottlingException', status: 400 },
  ServiceFailure: { code: 'InternalFailure', status: 500 },
};

export function jsonError(error: AwsError): { status: number; code: string; body: string } {
  const { code, status } = Object.hasOwn(JSON_ERRORS, error.code)
    ? (JSON_ERRORS[error.code] ?? error)
    : error;
  return { status, code, body: JSON.stringify({ __type: code, message: error.message }) };
}
