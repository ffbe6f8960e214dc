import type { TrailEvent } from './cloudtrail-records';
import { addCloudTrailEvent, type SeededEvent } from './cloudtrail-seeding';
import { type AwsError, INJECTABLE_FAULTS, type InjectableFault } from './errors';
import { type Drawn, type FaultCounts, type FaultOptions, noFaults, RandomFaults } from './faults';
import { addGuardDutyFindings, type DetectorOptions, guardDutyDetector } from './guardduty';
import { accessKeyId, secretAccessKey } from './ids';
import { type OrganizationSettings, organizationOf } from './organizations';
import { RateLimiter } from './rate-limiter';
import type {
  KeyLastUsed,
  PublishedMessage,
  RootKey,
  StandInState,
  TemporaryCredential,
} from './state';

export type { OrganizationSettings } from './organizations';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RootKeyOptions {
  status?: 'Active' | 'Inactive';
  /** When, with which service (signing name) and in which region the key was last used. */
  lastUsed?: KeyLastUsed;
}

/**
 * Stand-in-only controls that bypass the wire protocol. Tests that must also run against moto
 * or LocalStack cannot use these; everything else is seeded through the SDK.
 */
export interface StandInAdmin {
  readonly state: StandInState;
  /**
   * A new access key of `accountId`'s root user (Active unless `options.status` says otherwise),
   * to act as that root or to seed another account through the API. With `options.lastUsed`, the
   * key has been used then (what GetAccessKeyLastUsed answers until it is next used). AWS allows
   * a root user two keys; this does not limit them.
   */
  rootCredentials(accountId: string, options?: RootKeyOptions): Credentials;
  /**
   * Replaces the organization (there is at most one): its management account, members and IAM
   * delegated administrator, and whether centralized root access is enabled (all on by default).
   * Throws on settings AWS could not have (a delegated administrator that is not a member, …).
   */
  organization(settings: OrganizationSettings): void;
  /** An issued STS credential: its principal, account and issue time (`aws:TokenIssueTime`). */
  temporaryCredential(accessKeyId: string): TemporaryCredential | undefined;
  /** Answers the next `times` requests (for `action`, or any action) with `code`. */
  injectFault(code: InjectableFault, options?: { action?: string; times?: number }): void;
  /** Replaces the random faults (undefined: none), restarting their draws from the seed. */
  setFaults(faults: FaultOptions | undefined): void;
  /** Replaces the IAM write rate limit (undefined: unlimited), with full buckets. */
  setIamWriteRps(perSecond: number | undefined): void;
  /** Random faults and rate-limit refusals so far (`injectFault` ones are not counted). */
  faultCounts(): FaultCounts;
  resetFaultCounts(): void;
  /** Messages accepted by SNS Publish (to `topicArn`, or to any topic), oldest first. */
  published(topicArn?: string): PublishedMessage[];
  /** CloudTrail management events (of `accountId`, or of every account), oldest first. */
  cloudTrailEvents(accountId?: string): TrailEvent[];
  /**
   * Adds a management event no call can produce (a call at a chosen time, an AssumeRole of
   * another account's role, …), built as recorded events are; returns its eventID. LookupEvents
   * answers it in time order among the others, whenever it was added.
   */
  addCloudTrailEvent(event: SeededEvent): string;
  /**
   * The GuardDuty detector id of `accountId` in a region (default us-east-1), created on first
   * use: `options.id`, else 32 lowercase hex characters, the same for the same account and region.
   */
  guardDutyDetector(accountId: string, options?: DetectorOptions): string;
  /**
   * Stores findings (GuardDuty's camelCase JSON, each with a string `id`) under that detector
   * (created as `guardDutyDetector` does), replacing any with the same id; `GetFindings` answers
   * them exactly as given.
   */
  addGuardDutyFindings(
    accountId: string,
    findings: readonly object[],
    options?: DetectorOptions,
  ): void;
}

interface PendingFault {
  code: InjectableFault;
  action?: string;
  remaining: number;
}

/** The faults a stand-in starts with; the admin can change them while it runs. */
export interface FaultSettings {
  faults?: FaultOptions;
  iamWriteRps?: number;
}

/** What a running stand-in keeps behind its public handle. */
export class StandInInternals {
  private readonly faults: PendingFault[] = [];
  private randomFaults?: RandomFaults;
  private iamWriteLimiter?: RateLimiter;
  private counts = noFaults();

  constructor(
    readonly state: StandInState,
    settings: FaultSettings = {},
  ) {
    this.setFaults(settings.faults);
    this.setIamWriteRps(settings.iamWriteRps);
  }

  private setFaults(faults: FaultOptions | undefined) {
    this.randomFaults = faults && new RandomFaults(faults);
  }

  private setIamWriteRps(perSecond: number | undefined) {
    this.iamWriteLimiter = perSecond === undefined ? undefined : new RateLimiter(perSecond);
  }

  count(fault: 'throttling' | 'serverError' | 'dropped' | 'rateLimited') {
    this.counts[fault] += 1;
  }

  /**
   * The faults of one request, before it runs: throws the error to answer instead (an injected
   * one first, then a random one, counted), else says whether to drop the answer once it has run.
   */
  admit(action: string): boolean {
    const injected = this.takeFault(action);
    if (injected) throw injected;
    const drawn: Drawn = this.randomFaults?.draw() ?? { dropped: false };
    if (drawn.error) {
      this.count(drawn.error.kind);
      throw drawn.error.error;
    }
    return drawn.dropped;
  }

  /**
   * Whether an IAM write may run now: AWS's IAM quotas are per account, so each account has its
   * own bucket. Refusals are counted.
   */
  mayWrite(accountId: string, nowMs: number): boolean {
    if (!this.iamWriteLimiter || this.iamWriteLimiter.take(accountId, nowMs)) return true;
    this.count('rateLimited');
    return false;
  }

  wrote(action: string) {
    this.counts.iamWrites[action] = (this.counts.iamWrites[action] ?? 0) + 1;
  }

  /** The injected error due for this request, if any, counting it as spent. */
  private takeFault(action: string): AwsError | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (f.action ?? action) === action);
    if (!fault) return undefined;
    fault.remaining -= 1;
    return INJECTABLE_FAULTS[fault.code]();
  }

  admin(): StandInAdmin {
    const { state, faults } = this;
    return {
      state,
      rootCredentials(accountId, options = {}) {
        if (!/^\d{12}$/.test(accountId)) throw new Error(`not an account id: ${accountId}`);
        state.account(accountId);
        const key: RootKey = {
          accessKeyId: accessKeyId('AKIA', accountId),
          secretAccessKey: secretAccessKey(),
          accountId,
          status: options.status ?? 'Active',
          createDate: new Date(),
          ...(options.lastUsed && { lastUsed: { ...options.lastUsed } }),
        };
        state.rootKeys.set(key.accessKeyId, key);
        state.keyAccounts.set(key.accessKeyId, accountId);
        return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
      },
      organization(settings) {
        state.organization = organizationOf(settings);
      },
      temporaryCredential: (id) => state.temporary.get(id),
      injectFault(code, options = {}) {
        faults.push({ code, action: options.action, remaining: options.times ?? 1 });
      },
      setFaults: (options) => this.setFaults(options),
      setIamWriteRps: (perSecond) => this.setIamWriteRps(perSecond),
      faultCounts: () => structuredClone(this.counts),
      resetFaultCounts: () => {
        this.counts = noFaults();
      },
      published: (topicArn) =>
        state.published
          .filter((message) => topicArn === undefined || message.topicArn === topicArn)
          .map((message) => structuredClone(message)),
      cloudTrailEvents: (accountId) =>
        state.cloudTrail
          .filter((event) => accountId === undefined || event.accountId === accountId)
          // Stable: events of the same second stay in the order they were recorded.
          .sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime())
          .map((event) => structuredClone(event)),
      addCloudTrailEvent: (event) => addCloudTrailEvent(state, event),
      guardDutyDetector: (accountId, options) => guardDutyDetector(state, accountId, options).id,
      addGuardDutyFindings: (accountId, findings, options) =>
        addGuardDutyFindings(guardDutyDetector(state, accountId, options), findings),
    };
  }
}
