import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { dnsSuffix, signedJsonPost } from './signed-request';

/** The parts of CloudTrail's `LookupEvents` the responder uses (the SDK's names and types). */
export interface LookupEventsInput {
  LookupAttributes: { AttributeKey: 'AccessKeyId' | 'EventName'; AttributeValue: string }[];
  StartTime?: Date;
  EndTime?: Date;
  MaxResults?: number;
  NextToken?: string | undefined;
}

export interface LookupEventsOutput {
  Events?: {
    EventId?: string;
    EventName?: string;
    EventTime?: Date;
    Username?: string;
    CloudTrailEvent?: string;
  }[];
  NextToken?: string;
}

/**
 * CloudTrail's event history of one account, as the responder reads it: `LookupEvents` and
 * nothing else. A signed JSON 1.1 request rather than the SDK's CloudTrail client, which carries
 * the schema of every CloudTrail shape (about 40 KiB minified, and the JSON protocol's code) into
 * every function for this one call.
 */
export interface CloudTrailEvents {
  /** The region whose event history this reads. */
  region(): Promise<string>;
  /** The same account's event history in another region (event history is regional). */
  inRegion(region: string): CloudTrailEvents;
  lookupEvents(input: LookupEventsInput): Promise<LookupEventsOutput>;
}

export interface CloudTrailEventsOptions {
  credentials: AwsCredentialIdentityProvider;
  region: () => Promise<string>;
  /** Default: `AWS_ENDPOINT_URL_CLOUDTRAIL`, `AWS_ENDPOINT_URL`, else CloudTrail's regional endpoint. */
  endpoint?: string;
  /** Attempts per call; default 6. */
  attempts?: number;
}

/**
 * LookupEvents is throttled at about 2 requests/s per account and region: 6 attempts with
 * full-jitter backoff ride out a burst; an answer can take seconds, so 8 s an attempt.
 */
const ATTEMPTS = 6;
const TIMEOUT_MS = 8_000;

const epochSeconds = (date: Date | undefined) =>
  date === undefined ? undefined : Math.floor(date.getTime() / 1000);

export function cloudTrailEvents(options: CloudTrailEventsOptions): CloudTrailEvents {
  return {
    region: options.region,
    inRegion: (region) => cloudTrailEvents({ ...options, region: async () => region }),
    async lookupEvents(input) {
      const body = JSON.stringify({
        LookupAttributes: input.LookupAttributes,
        StartTime: epochSeconds(input.StartTime),
        EndTime: epochSeconds(input.EndTime),
        MaxResults: input.MaxResults,
        NextToken: input.NextToken,
      });
      const answer = (await signedJsonPost(options, {
        service: 'cloudtrail',
        envName: 'CLOUDTRAIL',
        awsEndpoint: (region) => `https://cloudtrail.${region}.${dnsSuffix(region)}`,
        path: '/',
        body,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
        },
        label: 'CloudTrail',
        attempts: options.attempts ?? ATTEMPTS,
        timeoutMs: TIMEOUT_MS,
      })) as { Events?: unknown; NextToken?: unknown };
      const events = Array.isArray(answer.Events) ? answer.Events : [];
      return {
        Events: events.map((raw) => {
          const e = (raw ?? {}) as Record<string, unknown>;
          const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
          return {
            ...(text(e.EventId) ? { EventId: text(e.EventId) } : {}),
            ...(text(e.EventName) ? { EventName: text(e.EventName) } : {}),
            ...(typeof e.EventTime === 'number' ? { EventTime: new Date(e.EventTime * 1000) } : {}),
            ...(text(e.Username) ? { Username: text(e.Username) } : {}),
            ...(text(e.CloudTrailEvent) ? { CloudTrailEvent: text(e.CloudTrailEvent) } : {}),
          };
        }),
        ...(typeof answer.NextToken === 'string' ? { NextToken: answer.NextToken } : {}),
      };
    },
  };
}
