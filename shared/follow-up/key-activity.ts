import * as z from 'zod/mini';
import type { CloudTrailEvents } from '../cloudtrail-events';
import { awsCall } from '../errors';

/**
 * What a key did, from CloudTrail's event history (`LookupEvents` by `AccessKeyId`): management
 * events of one account and region, newest first, 90 days at most. LookupEvents allows about
 * 2 requests per second per account and region; the client's adaptive retries slow down when
 * throttled, and the number of pages is bounded, so a busy key never turns into a scan.
 */

/** At most this many pages of 50 events (1,000 events) per lookup. */
export const MAX_ACTIVITY_PAGES = 20;
const PAGE_SIZE = 50;

const text = (max: number) => z.optional(z.string().check(z.maxLength(max)));

/** The parts of a CloudTrail record the follow-up reads; the rest is ignored. */
const recordSchema = z.looseObject({
  eventID: text(128),
  eventName: z.string().check(z.maxLength(128)),
  eventSource: z.string().check(z.maxLength(128)),
  eventTime: z.string().check(z.maxLength(64)),
  awsRegion: text(64),
  errorCode: text(256),
  readOnly: z.optional(z.boolean()),
  requestParameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  responseElements: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

export interface KeyEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  eventTime: Date;
  region: string | undefined;
  /** Set when AWS refused the call (AccessDenied, InvalidClientTokenId, …). */
  errorCode: string | undefined;
  readOnly: boolean;
  requestParameters: Record<string, unknown>;
  responseElements: Record<string, unknown>;
}

export interface KeyActivity {
  events: KeyEvent[];
  /** Pages read. */
  pages: number;
  /** True when more events were left unread (the page bound was reached). */
  truncated: boolean;
  /** Records CloudTrail returned that could not be read (never acted on). */
  unreadable: number;
}

export async function keyActivity(
  cloudtrail: CloudTrailEvents,
  accessKeyId: string,
  window: { since: Date; until: Date },
  maxPages = MAX_ACTIVITY_PAGES,
): Promise<KeyActivity> {
  const events: KeyEvent[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  let unreadable = 0;
  do {
    const out = await awsCall('cloudtrail:LookupEvents', () =>
      cloudtrail.lookupEvents({
        LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: accessKeyId }],
        StartTime: window.since,
        EndTime: window.until,
        MaxResults: PAGE_SIZE,
        NextToken: nextToken,
      }),
    );
    pages += 1;
    for (const event of out.Events ?? []) {
      const parsed = parseRecord(event.CloudTrailEvent);
      if (parsed) events.push(parsed);
      else unreadable += 1;
    }
    nextToken = out.NextToken;
  } while (nextToken && pages < maxPages);
  return { events, pages, truncated: nextToken !== undefined, unreadable };
}

function parseRecord(json: string | undefined): KeyEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json ?? '');
  } catch {
    return undefined;
  }
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const r = parsed.data;
  const eventTime = new Date(r.eventTime);
  if (Number.isNaN(eventTime.getTime())) return undefined;
  return {
    eventId: r.eventID ?? '',
    eventName: r.eventName,
    eventSource: r.eventSource,
    eventTime,
    region: r.awsRegion,
    errorCode: r.errorCode,
    readOnly: r.readOnly ?? false,
    requestParameters: r.requestParameters ?? {},
    responseElements: r.responseElements ?? {},
  };
}

/**
 * The key's activity in several regions, merged: the function's own, the one where CloudTrail
 * records IAM's events (us-east-1 in the aws partition, whichever region was called), and
 * FOLLOW_UP_REGIONS. Event history is regional. Each region is read with a client like `base`
 * (its credentials: the key's account).
 */
export async function keyActivityIn(
  base: CloudTrailEvents,
  regions: string[],
  accessKeyId: string,
  window: { since: Date; until: Date },
): Promise<KeyActivity & { regions: string[] }> {
  const home = await base.region();
  const all = [...new Set([home, iamEventsRegion(home), ...regions])];
  const read = await Promise.all(
    all.map((region) =>
      keyActivity(region === home ? base : base.inRegion(region), accessKeyId, window),
    ),
  );
  const seen = new Set<string>();
  const events = read
    .flatMap((r) => r.events)
    .filter((e) => !e.eventId || (!seen.has(e.eventId) && seen.add(e.eventId)));
  return {
    regions: all,
    events,
    pages: read.reduce((n, r) => n + r.pages, 0),
    truncated: read.some((r) => r.truncated),
    unreadable: read.reduce((n, r) => n + r.unreadable, 0),
  };
}

/** Where CloudTrail records IAM's events in the partition of `region`. */
export function iamEventsRegion(region: string): string {
  if (region.startsWith('cn-')) return 'cn-north-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}
