import { accessKeyKind } from '../access-key-id';
import type { ContainRequest, FindingPrincipal } from '../request';

/**
 * What a request points at, decided from the request alone (pure, no AWS call). Anything this
 * version does not handle is escalated to a person, never guessed at.
 */
export type Target =
  /** A long-term key of an IAM user. The name is known when a finding gave it. */
  | { kind: 'user-key'; userName?: string }
  /** A session token (GetSessionToken) of an IAM user: revoke the user's older sessions. */
  | { kind: 'user-sessions'; userName: string }
  /** Temporary credentials of an assumed role: revoke the role's older sessions. */
  | { kind: 'role-sessions'; roleName: string; roleId?: string; sessionName?: string }
  | { kind: 'escalate'; reason: string; principalType: string; principalName?: string };

const ROOT_INSTRUCTIONS =
  'root credentials cannot be deactivated by any IAM principal: sign in as the root user, ' +
  'deactivate or delete the key under Security credentials, and review recent root activity';

/**
 * `holder` is who CloudTrail says used a temporary key, when the request itself named nobody
 * usable (see needsHolderLookup); it takes the place of the finding's principal.
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

  if (userType === 'Root')
    return escalate(`the key belongs to the root user: ${ROOT_INSTRUCTIONS}`);

  if (kind === 'long-term') {
    if (!principal) return { kind: 'user-key' };
    if (userType === 'IAMUser' && principal.userName)
      return { kind: 'user-key', userName: principal.userName };
    return escalate(
      `the finding names a ${userType} as the holder of long-term key ${request.accessKeyId}, which only IAM users ` +
        'and the root user have: not acting on inconsistent input',
    );
  }

  if (userType === 'AssumedRole' && principal?.userName) {
    const [roleId, sessionName] = splitPrincipalId(principal.principalId);
    return {
      kind: 'role-sessions',
      roleName: principal.userName,
      ...(roleId ? { roleId } : {}),
      ...(sessionName ? { sessionName } : {}),
    };
  }
  if (userType === 'IAMUser' && principal?.userName)
    return { kind: 'user-sessions', userName: principal.userName };
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

/** `AROA…:<session name>` → role id and session name; anything else → nothing. */
function splitPrincipalId(principalId: string | undefined): [string?, string?] {
  const match = principalId?.match(/^(AROA[A-Z0-9]{16,}):(.+)$/);
  return match ? [match[1], match[2]] : [];
}

/** A temporary key whose holder the request does not name usably: CloudTrail may know it. */
export function needsHolderLookup(request: ContainRequest): boolean {
  const userType = request.finding?.principal?.userType;
  return (
    accessKeyKind(request.accessKeyId) === 'temporary' &&
    (userType === undefined || userType === 'FederatedUser')
  );
}
