import type { TrailEvent } from './cloudtrail-records';
import { type AwsError, INJECTABLE_FAULTS, type InjectableFault } from './errors';
import { accessKeyId, secretAccessKey } from './ids';
import type { PublishedMessage, StandInState, TemporaryCredential } from './state';

/**
 * Stand-in-only controls that bypass the wire protocol. Tests that must also run against moto
 * or LocalStack cannot use these; everything else is seeded through the SDK.
 */
export interface StandInAdmin {
  readonly state: StandInState;
  /** A key acting as the root of `accountId`, to seed another account through the API. */
  rootCredentials(accountId: string): { accessKeyId: string; secretAccessKey: string };
  /** An issued STS credential: its principal, account and issue time (`aws:TokenIssueTime`). */
  temporaryCredential(accessKeyId: string): TemporaryCredential | undefined;
  /** Answers the next `times` requests (for `action`, or any action) with `code`. */
  injectFault(code: InjectableFault, options?: { action?: string; times?: number }): void;
  /** Messages accepted by SNS Publish (to `topicArn`, or to any topic), oldest first. */
  published(topicArn?: string): PublishedMessage[];
  /** CloudTrail management events (of `accountId`, or of every account), oldest first. */
  cloudTrailEvents(accountId?: string): TrailEvent[];
}

interface PendingFault {
  code: InjectableFault;
  action?: string;
  remaining: number;
}

/** What a running stand-in keeps behind its public handle. */
export class StandInInternals {
  private readonly faults: PendingFault[] = [];

  constructor(readonly state: StandInState) {}

  /** The injected error due for this request, if any, counting it as spent. */
  takeFault(action: string): AwsError | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (f.action ?? action) === action);
    if (!fault) return undefined;
    fault.remaining -= 1;
    return INJECTABLE_FAULTS[fault.code]();
  }

  admin(): StandInAdmin {
    const { state, faults } = this;
    return {
      state,
      rootCredentials(accountId) {
        if (!/^\d{12}$/.test(accountId)) throw new Error(`not an account id: ${accountId}`);
        state.account(accountId);
        const key = {
          accessKeyId: accessKeyId('AKIA', accountId),
          secretAccessKey: secretAccessKey(),
          accountId,
        };
        state.rootKeys.set(key.accessKeyId, key);
        return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
      },
      temporaryCredential: (id) => state.temporary.get(id),
      injectFault(code, options = {}) {
        faults.push({ code, action: options.action, remaining: options.times ?? 1 });
      },
      published: (topicArn) =>
        state.published
          .filter((message) => topicArn === undefined || message.topicArn === topicArn)
          .map((message) => structuredClone(message)),
      cloudTrailEvents: (accountId) =>
        state.cloudTrail
          .filter((event) => accountId === undefined || event.accountId === accountId)
          .map((event) => structuredClone(event)),
    };
  }
}
