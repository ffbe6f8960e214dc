import { accessKeyKind } from '../access-key-id';
import type { ContainRequest, FindingPrincipal } from '../request';

/**
 * What shows that the principal to contain really holds the key. For a long-term (AKIA) key, IAM
 * names the owner (`GetAccessKeyLastUsed`). For a temporary (ASIA) key nothing in IAM does: a
 * finding's principal is only a claim, believed when its id matches the principal IAM describes
 * (`AROA…` role id, `AIDA…` user id), or when CloudTrail shows the key was used by it.
 */
export type Proof =
  | { by: 'iam-owner' }
  /** The finding's principal id, to compare with `GetRole`'s RoleId / `GetUser`'s UserId. */
  | { by: 'principal-id'; id: string }
  /** CloudTrail's `userIdentity` named the holder; `id` when it also gave the principal's id. */
  | { by: 'cloudtrail'; id?: string };

const ROLE_PRINCIPAL_ID = /^(AROA[A-Z0-9]{16,}):(.+)$/;
const USER_ID = /^AIDA[A-Z0-9]{16,}$/;

/** The IAM id a principal claim carries (role id of `AROA…:<session>`, or `AIDA…`), if well formed. */
export function claimedId(principal: FindingPrincipal | undefined): string | undefined {
  const id = principal?.principalId;
  if (!id) return undefined;
  if (principal.userType === 'AssumedRole') return ROLE_PRINCIPAL_ID.exec(id)?.[1];
  if (principal.userType === 'IAMUser') return USER_ID.test(id) ? id : undefined;
  return undefined;
}

/** The session name of an `AROA…:<session>` principal id. */
export function sessionNameOf(principal: FindingPrincipal | undefined): string | undefined {
  return ROLE_PRINCIPAL_ID.exec(principal?.principalId ?? '')?.[2];
}

/**
 * A temporary key whose holder must come from CloudTrail: nobody is named, a federated user is
 * named (its IAM user is what gets contained), or a role or user is claimed without an id IAM can
 * confirm.
 */
export function needsHolderLookup(request: ContainRequest): boolean {
  if (accessKeyKind(request.accessKeyId) !== 'temporary') return false;
  // A person said "root key": a temporary key is escalated as no root key (plan/target.ts).
  if (request.rootKey) return false;
  const claim = request.finding?.principal;
  if (!claim || claim.userType === 'FederatedUser') return true;
  const provable = claim.userType === 'AssumedRole' || claim.userType === 'IAMUser';
  return provable && claimedId(claim) === undefined;
}

/**
 * When a finding claimed a role or user and CloudTrail names the holder, both must agree;
 * otherwise the reason not to act.
 */
export function contradiction(
  claim: FindingPrincipal | undefined,
  holder: FindingPrincipal,
): string | undefined {
  if (!claim || claim.userType === 'FederatedUser') return undefined;
  if (claim.userType === holder.userType && claim.userName === holder.userName) return undefined;
  return (
    `the finding says ${claim.userType} ${claim.userName ?? '(unnamed)'} holds this temporary key, but CloudTrail shows ` +
    `${holder.userType} ${holder.userName ?? '(unnamed)'} used it: not acting on a claim AWS contradicts`
  );
}

/** Why the principal IAM describes is not proven to hold the key, or undefined when it is. */
export function proofProblem(
  proof: Proof,
  kind: 'role' | 'user',
  name: string,
  actualId: string,
): string | undefined {
  if (proof.by === 'iam-owner') return undefined;
  const expected = proof.id;
  if (expected === undefined) return undefined; // CloudTrail named it without an id: that is the proof
  if (expected === actualId) return undefined;
  const what = kind === 'role' ? 'role id' : 'user id';
  return (
    `the ${proof.by === 'cloudtrail' ? 'CloudTrail' : "finding's"} ${what} ${expected} is not ${kind} ${name}'s ` +
    `(${actualId || 'none'}): a ${kind} of that name was deleted and re-created, or the claim is false; not acting`
  );
}
