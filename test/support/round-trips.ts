import type { AwsClients } from '../../shared/aws-clients';

export interface TrackedCall {
  operation: string;
  /** 1 + the highest depth among calls that had finished when this one started. */
  depth: number;
}

/**
 * Records how many sequential AWS round trips lead to each call: calls started together share a
 * depth; a call that waited on another is one deeper. Works over real HTTP (SDK middleware).
 */
export function trackRoundTrips(clients: AwsClients): TrackedCall[] {
  const calls: TrackedCall[] = [];
  let finishedDepth = 0;
  const tracker =
    (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: any) => {
      const call = { operation: context.commandName ?? 'unknown', depth: finishedDepth + 1 };
      calls.push(call);
      try {
        return await next(args);
      } finally {
        finishedDepth = Math.max(finishedDepth, call.depth);
      }
    };
  const options = { step: 'initialize', name: 'roundTripTracker' } as const;
  clients.iam.middlewareStack.add(tracker, options);
  clients.sts.middlewareStack.add(tracker, options);
  return calls;
}
