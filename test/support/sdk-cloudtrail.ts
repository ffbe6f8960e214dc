import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailEvents } from '../../shared/cloudtrail-events';

/**
 * CloudTrail's event history through the SDK's client, for unit tests: aws-sdk-client-mock
 * answers every CloudTrailClient's `send`, so tests script LookupEvents as they would for the SDK.
 * The responder itself signs its one CloudTrail call (shared/cloudtrail-events.ts); integration
 * tests run that against the stand-in.
 */
export function sdkCloudTrail(client: CloudTrailClient): CloudTrailEvents {
  return {
    region: () => client.config.region(),
    inRegion: (region) =>
      sdkCloudTrail(new CloudTrailClient({ region, credentials: client.config.credentials })),
    lookupEvents: (input) => client.send(new LookupEventsCommand(input)),
  };
}
