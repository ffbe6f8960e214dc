import { onFinding } from '../../functions/on-finding';
import { CallCounter } from './call-counter';
import { type AsyncOutcome, invokeAsync } from './lambda-async';
import { inContainers } from './pool';
import { type Bench, containerDeps } from './setup';

export interface Wave {
  outcomes: AsyncOutcome[];
  wallMs: number;
  /** Requests the stand-in received during the wave, retries included. */
  requests: number;
  /** Requests beyond the calls the responder's code made: the SDK's retries. */
  sdkRetries: number;
}

/**
 * Hands every event at once to `concurrency` containers, each through `onFinding` under Lambda's
 * async rules, and measures the wave from the first event handed out to the last one ended.
 */
export async function runWave(
  b: Bench,
  events: readonly unknown[],
  concurrency: number,
  name: string,
): Promise<Wave> {
  b.standIn.resetCalls();
  const counter = new CallCounter();
  const outcomes: AsyncOutcome[] = [];
  const started = performance.now();
  await inContainers(
    events,
    concurrency,
    () => containerDeps(b, (clients) => counter.attach(clients)),
    async (event, i, deps) => {
      outcomes[i] = await invokeAsync(onFinding, event, deps, `${name}-${i}`);
    },
  );
  const wallMs = performance.now() - started;
  let requests = 0;
  for (const n of b.standIn.calls.values()) requests += n;
  return { outcomes, wallMs, requests, sdkRetries: requests - counter.calls };
}
