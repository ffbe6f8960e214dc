import type {
  AbsoluteLocation,
  FinalizeRequestHandlerOptions,
  FinalizeRequestMiddleware,
} from '@smithy/types';

/** What a check before a retry found: the write's effect is already there. */
export interface FoundInPlace {
  found: string;
}

/** Thrown inside the SDK's stack to stop a retry. The SDK reads it as a client error: never retried. */
class StopRetry extends Error {
  override name = 'StopRetry';
  constructor(readonly found: string) {
    super(found);
  }
}

/** Any SDK command: only its middleware stack is touched. */
interface Sendable {
  middlewareStack: {
    add(
      // biome-ignore lint/suspicious/noExplicitAny: the check never reads the command's input or output
      middleware: FinalizeRequestMiddleware<any, any>,
      options: FinalizeRequestHandlerOptions & AbsoluteLocation,
    ): void;
  };
}

interface Client {
  // biome-ignore lint/suspicious/noExplicitAny: every SDK client's send takes its own command union
  send(command: any): Promise<unknown>;
}

/**
 * Sends a containing write with the SDK's own retries, but before each *retry* (never the first
 * attempt, so the critical path gains no round trip) asks `done` whether the write is still
 * needed. In a wave of findings, a write queued behind IAM's rate limit is often overtaken by
 * another finding's write for the same principal; writing again would spend a write slot and could
 * move a newer cutoff earlier. After a dropped connection, `done` also sees our own write.
 * A failing check is ignored: the retry goes ahead, as it would without the check.
 */
export async function sendUnlessDone(
  client: Client,
  command: Sendable,
  done: () => Promise<string | undefined>,
): Promise<'sent' | FoundInPlace> {
  let attempts = 0;
  const checkBeforeRetry: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    attempts += 1;
    if (attempts > 1) {
      const found = await done().catch(() => undefined);
      if (found !== undefined) throw new StopRetry(found);
    }
    return next(args);
  };
  // `finalizeRequest` at normal priority runs inside the retry middleware (high priority): once per attempt.
  command.middlewareStack.add(checkBeforeRetry, {
    step: 'finalizeRequest',
    name: 'checkBeforeRetry',
  });
  try {
    await client.send(command);
    return 'sent';
  } catch (error) {
    if (error instanceof StopRetry) return { found: error.found };
    throw error;
  }
}
