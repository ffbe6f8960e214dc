import {
  CloudTrailClient,
  type Event,
  LookupEventsCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyActivity, MAX_ACTIVITY_PAGES } from '../../../shared/follow-up/key-activity';
import { sdkCloudTrail } from '../../support/sdk-cloudtrail';

const KEY = 'AKIAEXAMPLEFOLLOW001';
const window = {
  since: new Date('2026-11-21T10:00:00Z'),
  until: new Date('2026-11-22T10:00:00Z'),
};

const mockCloudTrail = () => mockClient(CloudTrailClient);
let cloudtrail: ReturnType<typeof mockCloudTrail>;
const client = () =>
  sdkCloudTrail(
    new CloudTrailClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' },
    }),
  );

beforeEach(() => {
  cloudtrail = mockCloudTrail();
});
afterEach(() => cloudtrail.restore());

/** A management event as LookupEvents returns it: the record itself is a JSON string. */
const record = (id: string, parts: Record<string, unknown> = {}): Event => ({
  EventId: id,
  EventName: 'ListUsers',
  CloudTrailEvent: JSON.stringify({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', accessKeyId: KEY, userName: 'demo' },
    eventID: id,
    eventName: 'ListUsers',
    eventSource: 'iam.amazonaws.com',
    eventTime: '2026-11-22T09:30:00Z',
    awsRegion: 'us-east-1',
    readOnly: true,
    requestParameters: null,
    responseElements: null,
    ...parts,
  }),
});
const lookups = () => cloudtrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);

describe('keyActivity', () => {
  it("looks the key up by AccessKeyId in the window, 50 a page, and reads each event's record", async () => {
    cloudtrail.on(LookupEventsCommand).resolves({
      Events: [
        record('ev-2', {
          eventName: 'CreateAccessKey',
          eventTime: '2026-11-22T09:31:00Z',
          readOnly: false,
          requestParameters: { userName: 'demo' },
          responseElements: { accessKey: { accessKeyId: 'AKIAEXAMPLEFOLLOW002' } },
        }),
        record('ev-1', { errorCode: 'AccessDenied', awsRegion: 'eu-west-1' }),
      ],
    });

    const activity = await keyActivity(client(), KEY, window);

    expect(lookups()).toEqual([
      {
        LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }],
        StartTime: window.since,
        EndTime: window.until,
        MaxResults: 50,
        NextToken: undefined,
      },
    ]);
    expect(activity).toEqual({
      events: [
        {
          eventId: 'ev-2',
          eventName: 'CreateAccessKey',
          eventSource: 'iam.amazonaws.com',
          eventTime: new Date('2026-11-22T09:31:00Z'),
          region: 'us-east-1',
          errorCode: undefined,
          readOnly: false,
          requestParameters: { userName: 'demo' },
          responseElements: { accessKey: { accessKeyId: 'AKIAEXAMPLEFOLLOW002' } },
        },
        {
          eventId: 'ev-1',
          eventName: 'ListUsers',
          eventSource: 'iam.amazonaws.com',
          eventTime: new Date('2026-11-22T09:30:00Z'),
          region: 'eu-west-1',
          errorCode: 'AccessDenied',
          readOnly: true,
          // null in CloudTrail: an empty object, never null.
          requestParameters: {},
          responseElements: {},
        },
      ],
      pages: 1,
      truncated: false,
      unreadable: 0,
    });
  });

  it('defaults what a record leaves out', async () => {
    cloudtrail.on(LookupEventsCommand).resolves({
      Events: [
        {
          CloudTrailEvent: JSON.stringify({
            eventName: 'RunInstances',
            eventSource: 'ec2.amazonaws.com',
            eventTime: '2026-11-22T09:30:00Z',
          }),
        },
      ],
    });

    const { events } = await keyActivity(client(), KEY, window);

    expect(events).toEqual([
      expect.objectContaining({
        eventId: '',
        region: undefined,
        errorCode: undefined,
        readOnly: false,
        requestParameters: {},
        responseElements: {},
      }),
    ]);
  });

  it('follows NextToken until CloudTrail has no more', async () => {
    cloudtrail
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [record('ev-1')], NextToken: 'token-1' })
      .resolvesOnce({ Events: [record('ev-2')], NextToken: 'token-2' })
      .resolvesOnce({ Events: [record('ev-3')] });

    const activity = await keyActivity(client(), KEY, window);

    expect(lookups().map((l) => l.NextToken)).toEqual([undefined, 'token-1', 'token-2']);
    // Every page asks for the same key and window.
    for (const lookup of lookups()) {
      expect(lookup).toMatchObject({
        LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }],
        StartTime: window.since,
        EndTime: window.until,
        MaxResults: 50,
      });
    }
    expect(activity.events.map((e) => e.eventId)).toEqual(['ev-1', 'ev-2', 'ev-3']);
    expect(activity).toMatchObject({ pages: 3, truncated: false, unreadable: 0 });
  });

  it('stops at maxPages and says the rest was not read', async () => {
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [record('ev')], NextToken: 'more' });

    const activity = await keyActivity(client(), KEY, window, 3);

    expect(cloudtrail).toHaveReceivedCommandTimes(LookupEventsCommand, 3);
    expect(activity).toMatchObject({ pages: 3, truncated: true, unreadable: 0 });
    expect(activity.events).toHaveLength(3);
  });

  it(`reads at most ${MAX_ACTIVITY_PAGES} pages by default`, async () => {
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [], NextToken: 'more' });

    const activity = await keyActivity(client(), KEY, window);

    expect(MAX_ACTIVITY_PAGES).toBe(20);
    expect(cloudtrail).toHaveReceivedCommandTimes(LookupEventsCommand, MAX_ACTIVITY_PAGES);
    expect(activity).toMatchObject({ pages: MAX_ACTIVITY_PAGES, truncated: true });
  });

  it('is not truncated when the last page allowed is also the last page there is', async () => {
    cloudtrail
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [record('ev-1')], NextToken: 'token-1' })
      .resolvesOnce({ Events: [record('ev-2')] });

    const activity = await keyActivity(client(), KEY, window, 2);

    expect(activity).toMatchObject({ pages: 2, truncated: false });
  });

  it('handles a page with no Events', async () => {
    cloudtrail.on(LookupEventsCommand).resolves({});
    expect(await keyActivity(client(), KEY, window)).toEqual({
      events: [],
      pages: 1,
      truncated: false,
      unreadable: 0,
    });
  });

  it('counts records it cannot read, and returns none of them', async () => {
    const bad = (CloudTrailEvent: string | undefined): Event => ({ EventId: 'x', CloudTrailEvent });
    const json = (parts: Record<string, unknown>) =>
      bad(
        JSON.stringify({
          eventName: 'CreateUser',
          eventSource: 'iam.amazonaws.com',
          eventTime: '2026-11-22T09:30:00Z',
          ...parts,
        }),
      );
    cloudtrail.on(LookupEventsCommand).resolves({
      Events: [
        bad('not json {'),
        bad(undefined),
        bad(''),
        bad('null'),
        bad('[]'),
        bad('"CreateUser"'),
        json({ eventName: undefined }),
        json({ eventName: 42 }),
        json({ eventName: 'C'.repeat(129) }),
        json({ eventSource: undefined }),
        json({ eventTime: 'yesterday' }),
        json({ eventTime: undefined }),
        json({ errorCode: 403 }),
        json({ readOnly: 'false' }),
        json({ requestParameters: 'userName=x' }),
        json({ responseElements: ['AKIAEXAMPLEFOLLOW002'] }),
        record('good'),
      ],
    });

    const activity = await keyActivity(client(), KEY, window);

    expect(activity.unreadable).toBe(16);
    expect(activity.events.map((e) => e.eventId)).toEqual(['good']);
  });

  it('fails with the operation and AWS code when CloudTrail fails', async () => {
    cloudtrail
      .on(LookupEventsCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

    await expect(keyActivity(client(), KEY, window)).rejects.toMatchObject({
      name: 'AwsCallError',
      operation: 'cloudtrail:LookupEvents',
      code: 'Throttling',
    });
  });
});
