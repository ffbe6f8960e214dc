import {
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws-clients';
import { awsCall } from '../errors';
import {
  REVOCATION_POLICY_NAME,
  readRevocationPolicy,
  revocationPolicy,
} from '../revocation/revocation-policy';
import type { ContainmentAction } from './containment-action';

export interface RevokeSessionsParams {
  name: string;
  /** UTC ISO-8601 ending in `Z`; the planner has already kept the later of old and new. */
  cutoff: string;
}

type PrincipalKind = 'user' | 'role';

/**
 * Puts (or updates in place) the principal's one `AWSRevokeOlderSessions` inline policy: every
 * session issued before the cutoff is denied. On a role that kills its assumed-role sessions; on
 * a user, the session tokens minted from its keys (GetSessionToken, GetFederationToken).
 */
function revokeSessions(kind: PrincipalKind): ContainmentAction<RevokeSessionsParams> {
  const put = (iam: AwsClients['iam'], name: string, document: string) =>
    kind === 'user'
      ? iam.send(
          new PutUserPolicyCommand({
            UserName: name,
            PolicyName: REVOCATION_POLICY_NAME,
            PolicyDocument: document,
          }),
        )
      : iam.send(
          new PutRolePolicyCommand({
            RoleName: name,
            PolicyName: REVOCATION_POLICY_NAME,
            PolicyDocument: document,
          }),
        );
  const get = (iam: AwsClients['iam'], name: string): Promise<{ PolicyDocument?: string }> =>
    kind === 'user'
      ? iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: REVOCATION_POLICY_NAME }))
      : iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: REVOCATION_POLICY_NAME }));
  const Kind = kind === 'user' ? 'User' : 'Role';

  return {
    name: `revoke-${kind}-sessions`,
    permissions: [`iam:Put${Kind}Policy`, `iam:Get${Kind}Policy`],
    target: ({ name }) => `${kind}/${name}`,

    async apply({ name, cutoff }, { iam }) {
      const document = JSON.stringify(revocationPolicy(cutoff));
      await awsCall(`iam:Put${Kind}Policy`, () => put(iam, name, document));
      return `inline policy ${REVOCATION_POLICY_NAME} denies every session of ${kind} ${name} issued before ${cutoff}`;
    },

    async verify({ name, cutoff }, { iam }) {
      const out = await awsCall(`iam:Get${Kind}Policy`, () => get(iam, name));
      const existing = readRevocationPolicy(out.PolicyDocument);
      if (existing.kind === 'cutoff' && existing.cutoff.getTime() >= new Date(cutoff).getTime()) {
        return { ok: true, detail: `read back: cutoff ${existing.cutoff.toISOString()}` };
      }
      // An earlier cutoff here means a concurrent writer raced us: fail, so a retry rewrites it.
      const found =
        existing.kind === 'cutoff'
          ? `earlier cutoff ${existing.cutoff.toISOString()}`
          : existing.kind;
      return { ok: false, detail: `read back: ${found}` };
    },
  };
}

export const revokeUserSessions = revokeSessions('user');
export const revokeRoleSessions = revokeSessions('role');
