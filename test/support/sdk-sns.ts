import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifications } from '../../shared/notify/sns-publish';

/**
 * SNS's Publish through the SDK's client, for unit tests: aws-sdk-client-mock answers every
 * SNSClient's `send`, so tests script and read publications as they would for the SDK. The
 * responder itself signs the request (shared/notify/sns-publish.ts; its wire format:
 * test/unit/sns-publish.test.ts).
 */
export function sdkSns(client: SNSClient): Notifications {
  return {
    publish: async (input) => {
      await client.send(new PublishCommand(input));
    },
  };
}
