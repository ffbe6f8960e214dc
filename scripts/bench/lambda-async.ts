import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { IncidentFailedError } from '../../shared/entry-points';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';

/** serverless.yml's async settings, read from it so the bench follows the deployment. */
function deployed(name: 'maximumRetryAttempts' | 'timeout', fallback: number): number {
  const yml = readFileSync('serverless.yml', 'utf8');
  const found = new RegExp(`^\\s*${name}:\\s*(\\d+)\\s*$`, 'm').exec(yml);
  return found ? Number(found[1]) : fallback;
}

export const MAX_RETRIES = deployed('maximumRetryAttempts', 2);
export const TIMEOUT_MS = deployed('timeout', 60) * 1000;

export interface AsyncOutcome {
  /** The reports of the last attempt; empty when it ended without any (a crash or a timeout). */
  reports: Report[];
  attempts: number;
  /** The last attempt failed: Lambda hands the event to the on-failure destination (SQS). */
  onFailure: boolean;
}

type Handler = (event: unknown, context: { awsRequestId: string }, deps: Deps) => Promise<unknown>;

/**
 * Lambda's asynchronous invocation as deployed: an attempt that throws or times out is retried
 * up to `maximumRetryAttempts` times, then the event goes to the on-failure destination. Lambda
 * waits a minute or more between retries; the bench does not (it measures outcomes, not that wait).
 */
export async function invokeAsync(
  handler: Handler,
  event: unknown,
  deps: Deps,
  id: string,
): Promise<AsyncOutcome> {
  let reports: Report[] = [];
  for (let attempt = 1; attempt <= MAX_RETRIES + 1; attempt++) {
    const timeout = new AbortController();
    try {
      const result = await Promise.race([
        handler(event, { awsRequestId: `${id}-${attempt}` }, deps),
        sleep(TIMEOUT_MS, 'timeout', { signal: timeout.signal }).then(() => {
          throw new Error(`timed out after ${TIMEOUT_MS} ms`);
        }),
      ]);
      return { reports: toReports(result), attempts: attempt, onFailure: false };
    } catch (error) {
      reports = error instanceof IncidentFailedError ? error.reports : [];
    } finally {
      timeout.abort();
    }
  }
  return { reports, attempts: MAX_RETRIES + 1, onFailure: true };
}

function toReports(result: unknown): Report[] {
  return (Array.isArray(result) ? result : [result]) as Report[];
}
