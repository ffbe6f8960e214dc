import type { IAMClient } from '@aws-sdk/client-iam';

/**
 * IAM rate-limits its writes per account (the benchmark models 10 a second). Incidents of one
 * event run together (respond-all.ts): unpaced, their writes arrive in bursts, most are refused
 * with Throttling, and every retry spends the client's retry quota (5 of its 500 tokens) until
 * none is left and throttled writes fail at their first attempt (`npm run bench`, big event).
 * Paced, a container sends at most this many IAM writes a second, every attempt counted. Only
 * while several incidents of one event run together (`whilePacing`): an event of one incident,
 * however many come one after another to a warm container, never waits (`npm run bench`,
 * containMs).
 */
export const IAM_WRITES_PER_SECOND = 8;

/** IAM's write actions: every action the responder writes with starts with one of these. */
const IAM_WRITE = /^(Put|Update|Tag|Untag|Delete|Attach|Detach|Create|Add|Remove)/;

/** Events whose incidents are running together right now (a container runs one at a time). */
let pacing = 0;

/** Runs `work` with this container's IAM writes paced. */
export async function whilePacing<T>(work: () => Promise<T>): Promise<T> {
  pacing += 1;
  try {
    return await work();
  } finally {
    pacing -= 1;
  }
}

/** A token bucket: `rate` a second, at most `rate` saved up. */
export class WritePace {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate = IAM_WRITES_PER_SECOND,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.tokens = rate;
    this.last = now();
  }

  /** Resolves when a write may go. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.rate));
    }
  }
}

/**
 * While pacing, every attempt of an IAM write waits for the pace: the middleware sits inside the
 * SDK's retry loop (finalizeRequest, low priority), so retries are paced too. Reads are never held.
 */
export function paceIamWrites(iam: IAMClient, pace: WritePace): void {
  iam.middlewareStack.add(
    (next, context) => async (args) => {
      if (pacing > 0 && IAM_WRITE.test(context.commandName ?? '')) await pace.take();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'credentialResponderIamWritePace' },
  );
}
