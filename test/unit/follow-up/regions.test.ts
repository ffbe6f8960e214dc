import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iamEventsRegion, keyActivityIn } from '../../../shared/follow-up/key-activity';
import { sdkCloudTrail } from '../../support/sdk-cloudtrail';

/**
 * Event history is regional, and IAM's events are recorded in one region of the partition: the
 * follow-up reads the function's region, that one, and FOLLOW_UP_REGIONS, each once.
 */
const KEY = 'AKIAEXAMPLEREGION001';
const window = { since: new Date('2026-11-22T09:00:00Z'), until: new Date('2026-11-22T10:00:00Z') };
const mockCloudTrail = () => mockClient(CloudTrailClient);
let cloudtrail: ReturnType<typeof mockCloudTrail>;

const record = (eventID: string) => ({
  CloudTrailEvent: JSON.stringify({
    eventID,
    eventName: 'CreateAccessKey',
    eventSource: 'iam.amazonaws.com',
    eventTime: '2026-11-22T09:30:00Z',
  }),
});

beforeEach(() => {
  cloudtrail = mockCloudTrail();
  // Each lookup answers with an event of its own, and one every region returns.
  let n = 0;
  cloudtrail.on(LookupEventsCommand).callsFake(() => {
    n += 1;
    return { Events: [record(`only-${n}`), record('shared')] };
  });
});
afterEach(() => cloudtrail.restore());

async function regionsCalled(): Promise<string[]> {
  const regions = await Promise.all(
    cloudtrail.calls().map((call) => (call.thisValue as CloudTrailClient).config.region()),
  );
  return regions.sort();
}

describe('the regions a follow-up reads', () => {
  it("reads the function's region and us-east-1 (IAM's events), merging what both return", async () => {
    const base = sdkCloudTrail(new CloudTrailClient({ region: 'eu-west-1' }));

    const activity = await keyActivityIn(base, [], KEY, window);

    expect(activity.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(await regionsCalled()).toEqual(['eu-west-1', 'us-east-1']);
    expect(activity.events.map((e) => e.eventId).sort()).toEqual(['only-1', 'only-2', 'shared']);
    expect(activity.pages).toBe(2);
  });

  it('reads us-east-1 once when the function runs there, plus FOLLOW_UP_REGIONS', async () => {
    const base = sdkCloudTrail(new CloudTrailClient({ region: 'us-east-1' }));

    const activity = await keyActivityIn(base, ['ap-southeast-2', 'us-east-1'], KEY, window);

    expect(activity.regions).toEqual(['us-east-1', 'ap-southeast-2']);
    expect(await regionsCalled()).toEqual(['ap-southeast-2', 'us-east-1']);
  });

  it.each([
    ['eu-central-1', 'us-east-1'],
    ['us-east-1', 'us-east-1'],
    ['cn-northwest-1', 'cn-north-1'],
    ['us-gov-east-1', 'us-gov-west-1'],
  ])('takes IAM events of %s from %s', (region, expected) => {
    expect(iamEventsRegion(region)).toBe(expected);
  });
});
