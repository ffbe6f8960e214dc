import type { AwsClients } from '../../shared/aws-clients';

type Next = (args: unknown) => Promise<unknown>;

/**
 * Counts the responder's calls as its code makes them (once per `send`, at the initialize step,
 * above the SDK's retry middleware). The stand-in counts every attempt; the difference is retries.
 */
export class CallCounter {
  calls = 0;

  attach(clients: AwsClients): AwsClients {
    // CloudTrail and SNS are signed requests of the project's own (shared/cloudtrail-events.ts,
    // shared/notify/sns-publish.ts), not SDK clients: counted as the responder calls them.
    const { cloudtrail, sns } = clients;
    clients.cloudtrail = {
      ...cloudtrail,
      lookupEvents: (input) => {
        this.calls++;
        return cloudtrail.lookupEvents(input);
      },
    };
    clients.sns = {
      publish: (input) => {
        this.calls++;
        return sns.publish(input);
      },
    };
    for (const client of [clients.iam, clients.sts]) {
      const middleware = (next: Next) => (args: unknown) => {
        this.calls++;
        return next(args);
      };
      (client.middlewareStack as { add(m: unknown, o: unknown): void }).add(middleware, {
        step: 'initialize',
        name: 'benchCallCounter',
      });
    }
    return clients;
  }
}
