import type { JsonObject, TrailEvent } from './cloudtrail-records';
import type { Tag } from './params';

/** Callers with a key the stand-in did not issue act as this account's root, as with moto. */
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** Who signed a request, with the ARN and UserId that GetCallerIdentity reports for them. */
export type Principal =
  | { kind: 'root'; accountId: string; arn: string; userId: string }
  | { kind: 'user'; accountId: string; arn: string; userId: string; userName: string }
  | {
      kind: 'assumed-role';
      accountId: string;
      arn: string;
      userId: string;
      roleName: string;
      sessionName: string;
    }
  | {
      /** GetFederationToken's session: `<account>:<name>`, issued by a user or the root. */
      kind: 'federated-user';
      accountId: string;
      arn: string;
      userId: string;
      name: string;
      issuer: Extract<Principal, { kind: 'root' | 'user' }>;
    };

export interface KeyLastUsed {
  date: Date;
  service: string;
  region: string;
}

export interface AccessKey {
  id: string;
  secret: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
  lastUsed?: KeyLastUsed;
}

/** Inline policies by name, documents exactly as put. */
export type InlinePolicies = Map<string, string>;

/** A user's console password. The password itself is checked, never kept: nothing signs in. */
export interface LoginProfile {
  createDate: Date;
  passwordResetRequired: boolean;
}

export interface User {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: Date;
  tags: Tag[];
  policies: InlinePolicies;
  loginProfile?: LoginProfile;
}

export interface Role {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: Date;
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
  policies: InlinePolicies;
  lastUsed?: { date: Date; region: string };
}

/** One version of a managed policy; its document exactly as given. */
export interface PolicyVersion {
  id: string;
  document: string;
  createDate: Date;
}

/**
 * A customer managed policy. Attachments live here rather than on users and roles, so
 * `AttachmentCount` and the DeleteConflict checks read one place.
 */
export interface ManagedPolicy {
  name: string;
  path: string;
  id: string;
  arn: string;
  description?: string;
  tags: Tag[];
  createDate: Date;
  /** When the newest version was created (the creation date while there is only v1). */
  updateDate: Date;
  /** By version id, oldest first. */
  versions: Map<string, PolicyVersion>;
  defaultVersionId: string;
  /** Version ids are never reused within a policy, even after a version is deleted. */
  nextVersion: number;
  /** Names of the roles and users it is attached to, in attachment order. */
  attachedRoles: Set<string>;
  attachedUsers: Set<string>;
}

export interface Account {
  id: string;
  createDate: Date;
  users: Map<string, User>;
  roles: Map<string, Role>;
  /** Long-term keys of this account's users, by key id. */
  accessKeys: Map<string, AccessKey>;
  /** Customer managed policies, by ARN. */
  managedPolicies: Map<string, ManagedPolicy>;
}

/** An STS credential; `issuedAt` is what `aws:TokenIssueTime` would be for its requests. */
export interface TemporaryCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  principal: Principal;
  issuedAt: Date;
  expiration: Date;
  /** AssumeRoot sessions: the root-task policy that limits what they may call (root-tasks.ts). */
  taskPolicyArn?: string;
}

/**
 * An access key of an account's root user; only `standInAdmin` hands these out. The root user
 * (or an AssumeRoot session of it) lists, reads, deactivates and deletes them through IAM.
 */
export interface RootKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
  lastUsed?: KeyLastUsed;
}

/** An AWS Organization, with what centralized root access needs (DOMAIN.md section 8). */
export interface Organization {
  /** `o-` and 10 characters, the same for the same management account. */
  id: string;
  managementAccountId: string;
  /** Every account in it, the management account included. */
  accountIds: Set<string>;
  /** The IAM delegated administrator (a member account), if any. */
  delegatedAdministratorId?: string;
  /** IAM trusted access in Organizations. */
  trustedAccess: boolean;
  /** The two features of centralized root access (IAM's `EnabledFeatures`). */
  rootCredentialsManagement: boolean;
  rootSessions: boolean;
}

/** An SNS topic: `arn:aws:sns:<region>:<account>:<name>`, visible in its own account and region. */
export interface Topic {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  createDate: Date;
}

/** A message accepted by Publish, as a subscriber would receive it. */
export interface PublishedMessage {
  topicArn: string;
  messageId: string;
  subject?: string;
  message: string;
  /** With `MessageStructure: json`: the message each protocol receives (`default` for the rest). */
  perProtocol?: Record<string, string>;
  /** By name; Binary values stay base64, as sent. */
  messageAttributes: Record<string, { dataType: string; value: string }>;
  at: Date;
}

/** An account's GuardDuty detector in one region (GuardDuty allows one per account and region). */
export interface Detector {
  id: string;
  accountId: string;
  region: string;
  /** GuardDuty's JSON of each finding, exactly as seeded, by finding id. */
  findings: Map<string, JsonObject>;
}

export class StandInState {
  readonly accounts = new Map<string, Account>();
  /**
   * Every user or root key ever issued -> its account. Deleted keys stay, so they keep being
   * refused rather than acting as the default account's root.
   */
  readonly keyAccounts = new Map<string, string>();
  /** Root users' access keys, by key id; a deleted one leaves this map (not `keyAccounts`). */
  readonly rootKeys = new Map<string, RootKey>();
  /** The one organization, if any; only `standInAdmin` sets it. */
  organization?: Organization;
  readonly temporary = new Map<string, TemporaryCredential>();
  /** SNS topics by ARN. */
  readonly topics = new Map<string, Topic>();
  /** Every message published, oldest first; kept when its topic is deleted. */
  readonly published: PublishedMessage[] = [];
  /** CloudTrail management events of every account and region, in the order recorded or seeded
   * (not necessarily in time order: LookupEvents sorts). */
  readonly cloudTrail: TrailEvent[] = [];
  /** GuardDuty detectors by id; only `standInAdmin` creates them. */
  readonly detectors = new Map<string, Detector>();

  /** Accounts spring into being on first use, as any 12-digit account "exists" to a caller. */
  account(id: string): Account {
    let account = this.accounts.get(id);
    if (!account) {
      account = {
        id,
        createDate: new Date(),
        users: new Map(),
        roles: new Map(),
        accessKeys: new Map(),
        managedPolicies: new Map(),
      };
      this.accounts.set(id, account);
    }
    return account;
  }
}

/** The access keys of `accountId`'s root user, oldest first. */
export function rootKeysOf(state: StandInState, accountId: string): RootKey[] {
  return [...state.rootKeys.values()].filter((key) => key.accountId === accountId);
}

export function rootPrincipal(accountId: string): Principal {
  return { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
}

export function userPrincipal(accountId: string, user: User): Principal {
  return { kind: 'user', accountId, arn: user.arn, userId: user.id, userName: user.name };
}

/** What a subscriber of `protocol` (lambda, sqs, email, https, …) receives of a published message. */
export function deliveredAs(published: PublishedMessage, protocol: string): string {
  const { perProtocol } = published;
  return perProtocol ? (perProtocol[protocol] ?? perProtocol.default ?? '') : published.message;
}
