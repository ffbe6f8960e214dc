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

/** `call`, recorded in the current incident's recorder as `operation`. */
function timed<A, R>(operation: string, call: (input: A) => Promise<R>): (input: A) => Promise<R> {
  return async (input) => {
    const recorder = current;
    const started = recorder?.start(operation);
    try {
      return await call(input);
    } finally {
      if (recorder && started) recorder.finish(started);
    }
  };
}

export function track(clients: AwsClients): AwsClients {
  // CloudTrail and SNS are signed requests of the project's own (shared/cloudtrail-events.ts,
  // shared/notify/sns-publish.ts), not SDK clients: timed as the responder calls them.
  if (!tracked.has(clients.cloudtrail)) {
    const { cloudtrail } = clients;
    clients.cloudtrail = {
      ...cloudtrail,
      lookupEvents: timed('LookupEventsCommand', cloudtrail.lookupEvents),
    };
    tracked.add(clients.cloudtrail);
  }
  if (!tracked.has(clients.sns)) {
    clients.sns = { publish: timed('PublishCommand', clients.sns.publish) };
    tracked.add(clients.sns);
  }
  for (const client of [clients.iam, clients.sts]) {
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
