import type {
  AbsoluteLocation,
  FinalizeRequestHandlerOptions,
  FinalizeRequestMiddleware,
} from '@smithy/types';

/** Thrown inside the SDK's stack to stop a retry. The SDK reads it as a client error: never retried. */
class StopRetry extends Error {
  override name = 'StopRetry';
  constructor(readonly stopped: Stopped) {
    super(stopped.found);
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

/** The check stopped the retry: what it found, and whether an earlier attempt may have landed. */
export interface Stopped {
  found: string;
  /**
   * An earlier attempt ended without IAM's answer (a dropped connection, a timeout, an HTTP 5xx),
   * so what was found may be this write's own. A refusal (HTTP 4xx, e.g. `Throttling`) wrote nothing.
   */
  unanswered: boolean;
}

/**
 * Sends a containing write with the SDK's own retries, but before each *retry* (never the first
 * attempt, so the critical path gains no round trip) asks `done` whether the write is still
 * needed. In a wave of findings, a write queued behind IAM's rate limit is often overtaken by
 * another finding's write for the same principal; writing again would spend a write slot and could
 * move a newer cutoff earlier. A failing check is ignored: the retry goes ahead, as without it.
 */
export async function sendUnlessDone<C extends Sendable>(
  command: C,
  send: (command: C) => Promise<unknown>,
  done: () => Promise<string | undefined>,
): Promise<'sent' | Stopped> {
  let attempts = 0;
  let unanswered = false;
  const checkBeforeRetry: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    attempts += 1;
    if (attempts > 1) {
      const found = await done().catch(() => undefined);
      if (found !== undefined) throw new StopRetry({ found, unanswered });
    }
    try {
      return await next(args);
    } catch (error) {
      unanswered ||= !refused(error);
      throw error;
    }
  };
  // `finalizeRequest` at normal priority runs inside the retry middleware (high priority): once per attempt.
  command.middlewareStack.add(checkBeforeRetry, {
    step: 'finalizeRequest',
    name: 'checkBeforeRetry',
  });
  try {
    await send(command);
    return 'sent';
  } catch (error) {
    if (error instanceof StopRetry) return error.stopped;
    throw error;
  }
}

function refused(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}
