import { awsClients } from './aws-clients';
import { type Config, loadConfig } from './config';
import { logger } from './logger';
import { isRetryable } from './report/build-report';
import type { Report } from './report/report';
import type { Deps } from './respond';

let config: Config | undefined;

/** Clients, config and logger for a Lambda container: built on first use, then reused. */
export function defaultDeps(): Deps {
  config ??= loadConfig();
  return { clients: awsClients(), config, logger };
}

export class IncidentFailedError extends Error {
  override name = 'IncidentFailedError';
}

/**
 * Async invocations (EventBridge, SNS) throw after every report is logged when AWS failed, so
 * Lambda retries and the on-failure destination catches what still fails. Bad input is not
 * retried: retrying cannot fix it.
 */
export function throwIfRetryable(reports: Report[]): void {
  const failed = reports.filter(isRetryable);
  if (failed.length > 0) {
    const summary = failed.map((r) => `${r.incidentId}: ${r.errorCode}`).join(', ');
    throw new IncidentFailedError(
      `${failed.length} of ${reports.length} incidents failed: ${summary}`,
    );
  }
}
