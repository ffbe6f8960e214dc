import { createHash } from 'node:crypto';
import type { Caller } from './auth';
import {
  isObject,
  type Json,
  type JsonObject,
  RETENTION_MS,
  type TrailEvent,
} from './cloudtrail-records';
import { AwsError } from './errors';
import type { RateLimiter } from './rate-limiter';
import type { StandInState } from './state';

/** CloudTrail `LookupEvents` over the recorded events, in AWS JSON 1.1. */
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
