import { describe, expect, it } from 'vitest';
import { cloudTrailEvents } from '../../shared/cloudtrail-events';
import { awsErrorCode } from '../../shared/errors';
import { useScriptedServer } from '../support/scripted-server';

/**
 * CloudTrail's LookupEvents as it goes on the wire: a SigV4-signed JSON 1.1 POST, dates as epoch
 * seconds both ways, throttling (a 400 in JSON services) retried. A local HTTP server plays
 * CloudTrail with scripted answers; integration tests run it against the stand-in.
 */
const wire = useScriptedServer('application/x-amz-json-1.1', {
  status: 200,
  body: '{"Events":[]}',
});

const client = (attempts?: number) =>
  cloudTrailEvents({
    credentials: async () => ({ accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' }),
    region: async () => 'eu-west-1',
    endpoint: wire.url,
    ...(attempts ? { attempts } : {}),
  });
const THROTTLED = {
  status: 400,
  body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
};

describe('CloudTrail LookupEvents', () => {
  it('POSTs the lookup signed for cloudtrail in the region, dates as epoch seconds', async () => {
    wire.answers.push({
      status: 200,
      body: JSON.stringify({
        Events: [
          {
            EventId: 'e-1',
            EventName: 'ListBuckets',
            EventTime: 1_795_345_200,
            Username: 'demo',
            CloudTrailEvent: '{"eventID":"e-1"}',
          },
        ],
        NextToken: 'page-2',
      }),
    });

    const out = await client().lookupEvents({
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'AKIAEXAMPLEDEMO00001' }],
      StartTime: new Date('2026-11-22T09:00:00Z'),
      EndTime: new Date('2026-11-22T10:00:00.900Z'),
      MaxResults: 50,
    });

    expect(out).toEqual({
      Events: [
        {
          EventId: 'e-1',
          EventName: 'ListBuckets',
          EventTime: new Date(1_795_345_200_000),
          Username: 'demo',
          CloudTrailEvent: '{"eventID":"e-1"}',
        },
      ],
      NextToken: 'page-2',
    });
    const [request] = wire.seen;
    expect(request?.headers['x-amz-target']).toBe(
      'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
    );
    expect(JSON.parse(request?.body ?? '')).toEqual({
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'AKIAEXAMPLEDEMO00001' }],
      StartTime: Date.parse('2026-11-22T09:00:00Z') / 1000,
      EndTime: Date.parse('2026-11-22T10:00:00Z') / 1000,
      MaxResults: 50,
    });
    expect(request?.headers.authorization).toMatch(/\/eu-west-1\/cloudtrail\/aws4_request/);
  });

  it('reads another region with the same credentials', async () => {
    const other = client().inRegion('us-east-1');

    expect(await other.region()).toBe('us-east-1');
    await other.lookupEvents({ LookupAttributes: [] });
    expect(wire.seen[0]?.headers.authorization).toMatch(/\/us-east-1\/cloudtrail\//);
  });

  it('retries throttling, then fails with the code when it does not end', async () => {
    wire.answers.push(THROTTLED, THROTTLED);
    expect(await client(3).lookupEvents({ LookupAttributes: [] })).toEqual({ Events: [] });
    expect(wire.seen).toHaveLength(3);

    wire.answers.push(THROTTLED, THROTTLED, THROTTLED);
    const error = await client(3)
      .lookupEvents({ LookupAttributes: [] })
      .catch((e: unknown) => e);
    expect(awsErrorCode(error)).toBe('Throttling');
  });

  it('does not retry a refusal', async () => {
    wire.answers.push({
      status: 400,
      body: JSON.stringify({ __type: 'AccessDeniedException', message: 'no' }),
    });
    const error = await client()
      .lookupEvents({ LookupAttributes: [] })
      .catch((e: unknown) => e);

    expect(awsErrorCode(error)).toBe('AccessDenied');
    expect(wire.seen).toHaveLength(1);
  });
});
