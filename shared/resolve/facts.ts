import type { ExistingRevocation, StatementScope } from '../revocation/revocation-policy';

/** What AWS says about the key and its principal, gathered before any decision. */
export interface KeyFacts {
  responderAccountId: string;
  /** Who the responder runs as (`sts:GetCallerIdentity`): never contained by itself. */
  responderArn: string;
  /** The account that owns the key (`sts:GetAccessKeyInfo`). */
  keyAccountId: string;
}

export interface LastUse {
  date: string | null;
  service: string | null;
  region: string | null;
}

/** A key's last use as `iam:GetAccessKeyLastUsed` answers it, for the record. */
export function lastUseOf(out: {
  AccessKeyLastUsed?: { LastUsedDate?: Date; ServiceName?: string; Region?: string };
}): LastUse {
  const use = out.AccessKeyLastUsed;
  return {
    date: use?.LastUsedDate?.toISOString() ?? null,
    service: use?.ServiceName ?? null,
    region: use?.Region ?? null,
  };
}

export type Tags = Record<string, string>;

/** A managed policy of the responder's on the principal (its inline space was full once). */
export interface ManagedRevocation {
  policyName: string;
  arn: string;
  scope: StatementScope;
  existing: ExistingRevocation;
}

export interface UserFacts {
  kind: 'user';
  /** For an AKIA key, its owner according to IAM (`GetAccessKeyLastUsed`); undefined: IAM names none. */
  keyOwner?: string;
  lastUse?: LastUse;
  user: { name: string; arn: string; userId: string; tags: Tags } | 'not-found';
  /** For an AKIA key, its status before any change. */
  keyStatus?: string;
  /** The user's `AWSRevokeOlderSessions` policy before any change. */
  existing: ExistingRevocation;
  /** The responder's own revocation policy: read when `existing` is not a revocation (and for release). */
  owned?: ExistingRevocation;
  /** Read for a release only. */
  managed?: ManagedRevocation[];
}

export interface RoleFacts {
  kind: 'role';
  role: { name: string; arn: string; path: string; roleId: string; tags: Tags } | 'not-found';
  existing: ExistingRevocation;
  owned?: ExistingRevocation;
  /** The responder's instance-scoped revocations (read for instance credentials and releases). */
  instance?: ExistingRevocation;
  /** Read for a release only. */
  managed?: ManagedRevocation[];
}

/**
 * `principal` is absent when nothing was looked up: the finding names another account than the
 * key's, or the responder may not act in the key's account (`accessRefused` says why).
 */
export type Facts = KeyFacts & {
  principal?: UserFacts | RoleFacts;
  /** The member role the lookups ran through, when the key lives in a member account. */
  actingThrough?: string;
  accessRefused?: string;
};
