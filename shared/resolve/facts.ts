import type { ExistingRevocation } from '../revocation/revocation-policy';

/** What AWS says about the key and its principal, gathered before any decision. */
export interface KeyFacts {
  responderAccountId: string;
  responderArn: string;
  /** The account that owns the key (`sts:GetAccessKeyInfo`). */
  keyAccountId: string;
}

export interface LastUse {
  date: string | null;
  service: string | null;
  region: string | null;
}

export interface UserFacts {
  kind: 'user-key';
  /** The key's owner according to IAM (`GetAccessKeyLastUsed`); undefined when IAM names none. */
  keyOwner?: string;
  lastUse?: LastUse;
  /** Present when the user name was known before the lookups (from a finding). */
  user?: { name: string; arn: string } | 'not-found';
  /** The key's status before any change, when the user was known beforehand. */
  keyStatus?: string;
}

export interface RoleFacts {
  kind: 'role-sessions';
  role: { name: string; arn: string; path: string; roleId: string } | 'not-found';
  existing: ExistingRevocation;
}

/** `principal` is absent when the key is not in the responder's account: nothing was looked up there. */
export type Facts = KeyFacts & { principal?: UserFacts | RoleFacts };
