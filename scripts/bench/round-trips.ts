import type { AwsClients } from '../../shared/aws-clients';
import type { TrackedCall } from '../../test/support/round-trips';

/**
 * The project's round-trip measure (test/support/round-trips.ts): each call's depth is 1 + the
 * highest depth among calls that had finished when it started. Unlike that helper, one recorder
 * spans every client of an incident (own account and member account, all four services), so a
 * cross-account AssumeRole or a CloudTrail lookup counts too, and the middleware is added once per
 * client: warm runs reuse clients across incidents.
 */
export class RoundTripRecorder {
  readonly calls: TrackedCall[] = [];
  private finishedDepth = 0;

  start(operation: string): TrackedCall {
    const call = { operation, depth: this.finishedDepth + 1 };
    this.calls.push(call);
    return call;
  }

  finish(call: TrackedCall): void {
    this.finishedDepth = Math.max(this.finishedDepth, call.depth);
  }
}

let current: RoundTripRecorder | undefined;
const tracked = new WeakSet<object>();

/** Records the calls of the incident that runs until the next `record()` call. */
export function record(): RoundTripRecorder {
  current = new RoundTripRecorder();
  return current;
}

type Next = (args: unknown) => Promise<unknown>;

export function track(clients: AwsClients): AwsClients {
  // CloudTrail is a signed request of the project's own (shared/cloudtrail-events.ts), not an SDK client.
  if (!tracked.has(clients.cloudtrail)) {
    const { cloudtrail } = clients;
    clients.cloudtrail = {
      ...cloudtrail,
      lookupEvents: async (input) => {
        const recorder = current;
        const call = recorder?.start('LookupEventsCommand');
        try {
          return await cloudtrail.lookupEvents(input);
        } finally {
          if (recorder && call) recorder.finish(call);
        }
      },
    };
    tracked.add(clients.cloudtrail);
  }
  for (const client of [clients.iam, clients.sts, clients.sns]) {
    if (tracked.has(client)) continue;
    tracked.add(client);
    const middleware = (next: Next, context: { commandName?: string }) => async (args: unknown) => {
      const recorder = current;
      const call = recorder?.start(context.commandName ?? 'unknown');
      try {
        return await next(args);
      } finally {
        if (recorder && call) recorder.finish(call);
      }
    };
    // Each client's stack has its own input/output types; the middleware is type-agnostic.
    (client.middlewareStack as { add(m: unknown, o: unknown): void }).add(middleware, {
      step: 'initialize',
      name: 'benchRoundTripTracker',
    });
  }
  return clients;
}

/** The project's containing writes: the first one's depth − 1 is `roundTrips`. */
export const CONTAINING_WRITES = [
  'UpdateAccessKeyCommand',
  'PutUserPolicyCommand',
  'PutRolePolicyCommand',
];

export function roundTripsBeforeWrite(calls: TrackedCall[]): number | null {
  const depths = calls.filter((c) => CONTAINING_WRITES.includes(c.operation)).map((c) => c.depth);
  return depths.length > 0 ? Math.min(...depths) - 1 : null;
}
