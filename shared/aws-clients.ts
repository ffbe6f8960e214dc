import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';
import type { MemberCredentials } from './accounts/member-credentials';
import { type Organizations, organizations } from './accounts/organization';
import { type CloudTrailEvents, cloudTrailEvents } from './cloudtrail-events';
import { paceIamWrites, WritePace } from './iam-write-pace';
import { type GuardDutyFindings, guardDutyFindings } from './intake/guardduty-findings';
import { type Notifications, notifications } from './notify/sns-publish';
import { type Schedules, schedules } from './schedules';

export interface AwsClients {
  iam: IAMClient;
  sts: STSClient;
  /** Publishes to the notification topic (after the containing write). */
  sns: Notifications;
  /** Reads a key's event history (who held it; what it did). */
  cloudtrail: CloudTrailEvents;
  /** Reads the findings an attack sequence names (in the responder's own account). */
  guardduty: GuardDutyFindings;
  /** Schedules (and a release cancels) the hold check of a containment (follow-up/). */
  scheduler: Schedules;
  /** Which account manages the organization (root keys: never that account's). */
  organizations: Organizations;
}

/**
 * Retries of IAM and STS calls (and as many attempts for SNS's Publish): the SDK's standard strategy with its backoff tuned for a
 * wave of findings meeting IAM's write rate limit (`npm run bench`, burst). Untuned, standard mode
 * waits a random time up to 1 s, 2 s, 4 s… after a Throttling error: writers sleep while the rate
 * limit sits idle, and more findings for a principal arrive before its first write lands (burst
 * wall time 2.3 × ideal with 5 attempts). Here: up to 8 attempts, each wait a random time up to
 * min(1 s, 100 ms × 2^attempt) ("full jitter"), at most about 5.4 s of waiting for one call.
 */
export const RETRY = { maxAttempts: 8, baseMs: 100, capMs: 1_000 } as const;

/**
 * A connection that hangs (no answer, no reset) would otherwise wait until Lambda's timeout and
 * end the incident with no report. IAM and STS answer in well under a second, so an attempt gets
 * 2 s to connect and 3 s in all, then fails as a `TimeoutError`, which the SDK retries: 8 hung
 * attempts and their waits take about 30 s, inside the functions' 60 s timeout. The SDK's
 * `requestTimeout` only logs a warning unless `throwOnRequestTimeout` is set.
 */
export const HTTP = {
  connectionTimeout: 2_000,
  requestTimeout: 3_000,
  throwOnRequestTimeout: true,
} as const;

/**
 * The SDK counts `LimitExceededException` among throttling errors and retries it. For IAM it is a
 * quota (a principal's inline-policy space, its tags, its keys): the same request gets the same
 * answer, so every retry only spends write slots and seconds before the incident is escalated.
 */
class QuotaAwareRetryStrategy extends ConfiguredRetryStrategy {
  override async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    if ((errorInfo.error as { name?: string } | undefined)?.name === 'LimitExceededException') {
      throw errorInfo.error;
    }
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}

export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(RETRY.capMs, RETRY.baseMs * 2 ** attempt));
}

/**
 * Clients are created once per container (member-account clients once per account, with that
 * account's role credentials). Endpoints come from the SDK's own configuration
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_IAM`, …), so the same code talks to AWS or to a local
 * stand-in.
 */
export function createAwsClients(credentials?: MemberCredentials): AwsClients {
  const auth = credentials ? { credentials } : {};
  // One strategy per client: its retry quota then belongs to that client, as with the default.
  const tuned = () => ({
    ...auth,
    requestHandler: { ...HTTP },
    retryStrategy: new QuotaAwareRetryStrategy(RETRY.maxAttempts, (attempt) => backoffMs(attempt)),
  });
  const iam = new IAMClient(tuned());
  // One pace per account's clients: IAM's write limit is the account's.
  paceIamWrites(iam, new WritePace());
  return {
    iam,
    sts: new STSClient(tuned()),
    // Signed with the same credentials as the others, in the function's region.
    sns: notifications({ credentials: iam.config.credentials, region: iam.config.region }),
    // Signed with the same credentials as the others, in the function's region.
    cloudtrail: cloudTrailEvents({
      credentials: iam.config.credentials,
      region: iam.config.region,
    }),
    // Signed with the same credentials as the others, in the function's region.
    guardduty: guardDutyFindings({
      credentials: iam.config.credentials,
      region: iam.config.region,
    }),
    scheduler: schedules({
      credentials: iam.config.credentials,
      region: iam.config.region,
    }),
    organizations: organizations({
      credentials: iam.config.credentials,
      region: iam.config.region,
    }),
  };
}

let defaultClients: AwsClients | undefined;

export function awsClients(): AwsClients {
  defaultClients ??= createAwsClients();
  return defaultClients;
}
