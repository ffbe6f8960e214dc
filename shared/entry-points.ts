import { MemberCredentialsCache } from './accounts/member-credentials';
import { awsClients, createAwsClients } from './aws-clients';
import { loadConfig } from './config';
import { logger } from './logger';
import { isRetryable } from './report/build-report';
import type { Report } from './report/report';
import type { Deps } from './respond';

let deps: Deps | undefined;

/** Clients, config, logger and member credentials for a Lambda container: built once, then reused. */
export function defaultDeps(): Deps {
  if (!deps) {
    const config = loadConfig();
    const clients = awsClients();
    const members = new MemberCredentialsCache(
      clients.sts,
      {
        ...(config.memberRoleName ? { roleName: config.memberRoleName } : {}),
        ...(config.memberRoleExternalId ? { externalId: config.memberRoleExternalId } : {}),
      },
      createAwsClients,
    );
    deps = { clients, config, logger, members };
  }
  return deps;
}

export class IncidentFailedError extends Error {
  override name = 'IncidentFailedError';

  /** Every report of the event, failed or not: each was logged before this was thrown. */
  constructor(
    message: string,
    readonly reports: Report[],
  ) {
    super(message);
  }
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
      reports,
    );
  }
}
