import type { AwsClients } from '../../shared/aws-clients';

type Next = (args: unknown) => Promise<unknown>;

/**
 * Counts the responder's calls as its code makes them (once per `send`, at the initialize step,
 * above the SDK's retry middleware). The stand-in counts every attempt; the difference is retries.
 */
export class CallCounter {
  calls = 0;

  attach(clients: AwsClients): AwsClients {
    // CloudTrail is a signed request of the project's own (shared/cloudtrail-events.ts), not an SDK client.
    const { cloudtrail } = clients;
    clients.cloudtrail = {
      ...cloudtrail,
      lookupEvents: (input) => {
        this.calls++;
        return cloudtrail.lookupEvents(input);
      },
    };
    for (const client of [clients.iam, clients.sts, clients.sns]) {
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
