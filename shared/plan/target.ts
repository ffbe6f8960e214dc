import { accessKeyKind } from '../access-key-id';
import type { ContainRequest, FindingPrincipal } from '../request';
import { claimedId, type Proof, sessionNameOf } from '../trust/principal-proof';

/**
 * What a request points at, decided from the request alone (pure, no AWS call). Anything this
 * version does not handle is escalated to a person, never guessed at.
 */
export type Target =
  /** A long-term key of an IAM user. The name is known when a finding gave it. */
  | { kind: 'user-key'; userName?: string }
  /** A session token (GetSessionToken) of an IAM user: revoke the user's older sessions. */
  | { kind: 'user-sessions'; userName: string; proof: Proof }
  /** Temporary credentials of an assumed role: revoke the role's older sessions. */
  | { kind: 'role-sessions'; roleName: string; sessionName?: string; proof: Proof }
  /** A long-term key of an account's root user (root/contain-root-key.ts decides). */
  | { kind: 'root-key' }
  | { kind: 'escalate'; reason: string; principalType: string; principalName?: string };

/** What a person does about a root key the responder does not delete. */
export const ROOT_INSTRUCTIONS =
  'root credentials cannot be deactivated by any IAM principal: sign in as the root user, ' +
  'deactivate or delete the key under Security credentials, and review recent root activity';

/** An EC2 instance id: the session name of an instance's role credentials. */
export const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/**
 * `holder` is who CloudTrail says used a temporary key, when the request itself named nobody
 * usable or could not prove its claim (see needsHolderLookup); it takes the place of the
 * finding's principal, and is the proof.
 */
export function targetOf(request: ContainRequest, holder?: FindingPrincipal): Target {
  const principal = holder ?? request.finding?.principal;
  const kind = accessKeyKind(request.accessKeyId);
  const userType = principal?.userType;
  const escalate = (reason: string): Target => ({
    kind: 'escalate',
    reason,
    principalType: userType ?? 'unknown',
    ...(principal?.userName ? { principalName: principal.userName } : {}),
  });

  if (request.rootKey && !holder) {
    if (kind === 'long-term') return { kind: 'root-key' };
    return escalate(
      `${request.accessKeyId} is not a root access key (those start with AKIA): a root user's session is not deleted; ${ROOT_INSTRUCTIONS}`,
    );
  }
  if (userType === 'Root') {
    if (kind === 'long-term') return { kind: 'root-key' };
    return escalate(
      `the key is a session of the root user, minted from a root access key or password that was probably stolen too: ${ROOT_INSTRUCTIONS}; ` +
        'deleting the root key does not end its sessions (up to 1 h)',
    );
  }

  if (kind === 'long-term') {
    if (!principal) return { kind: 'user-key' };
    if (userType === 'IAMUser' && principal.userName)
      return { kind: 'user-key', userName: principal.userName };
    return escalate(
      `the finding names a ${userType} as the holder of long-term key ${request.accessKeyId}, which only IAM users ` +
        'and the root user have: not acting on inconsistent input',
    );
  }

  const id = claimedId(principal);
  const proof: Proof | undefined = holder
    ? { by: 'cloudtrail', ...(id ? { id } : {}) }
    : id
      ? { by: 'principal-id', id }
      : undefined;
  if ((userType === 'AssumedRole' || userType === 'IAMUser') && principal?.userName && !proof) {
    return escalate(
      `the finding names ${userType} ${principal.userName} but no principal id IAM can confirm, and CloudTrail was not asked: ` +
        'a claim about who holds a temporary key is not acted on without proof',
    );
  }
  if (userType === 'AssumedRole' && principal?.userName && proof) {
    const sessionName = sessionNameOf(principal);
    return {
      kind: 'role-sessions',
      roleName: principal.userName,
      ...(sessionName ? { sessionName } : {}),
      proof,
    };
  }
  if (userType === 'IAMUser' && principal?.userName && proof)
    return { kind: 'user-sessions', userName: principal.userName, proof };
  if (!principal) {
    return escalate(
      'the holder of a temporary (ASIA) key is not known without a finding: find it in CloudTrail ' +
        '(LookupEvents with AccessKeyId, userIdentity.sessionContext.sessionIssuer.arn) and contain that role or user',
    );
  }
  if (userType === 'FederatedUser') {
    return escalate(
      `federated user ${principal.userName ?? ''} was issued by an IAM user's GetFederationToken call: find that call in ` +
        "CloudTrail (eventName GetFederationToken) and contain the calling user's key, which also revokes these sessions",
    );
  }
  if (userType === 'AWSService') {
    return escalate(
      'the credentials belong to an AWS service, not to a principal of this account: contact AWS Support',
    );
  }
  return escalate(
    `unknown principal type ${userType}: not acting; a person must identify the holder of the key`,
  );
}
