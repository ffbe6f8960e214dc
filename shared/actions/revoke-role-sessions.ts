import { GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { awsCall } from '../errors';
import {
  REVOCATION_POLICY_NAME,
  readRevocationPolicy,
  revocationPolicy,
} from '../revocation/revocation-policy';
import type { ContainmentAction } from './containment-action';

export interface RevokeRoleSessionsParams {
  roleName: string;
  /** UTC ISO-8601 ending in `Z`; the planner has already kept the later of old and new. */
  cutoff: string;
}

/** Puts (or updates in place) the role's one `AWSRevokeOlderSessions` inline policy. */
export const revokeRoleSessions: ContainmentAction<RevokeRoleSessionsParams> = {
  name: 'revoke-role-sessions',
  permissions: ['iam:PutRolePolicy', 'iam:GetRolePolicy'],
  target: ({ roleName }) => `role/${roleName}`,

  async apply({ roleName, cutoff }, { iam }) {
    const document = JSON.stringify(revocationPolicy(cutoff));
    await awsCall('iam:PutRolePolicy', () =>
      iam.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: REVOCATION_POLICY_NAME,
          PolicyDocument: document,
        }),
      ),
    );
    return `inline policy ${REVOCATION_POLICY_NAME} denies every session of role ${roleName} issued before ${cutoff}`;
  },

  async verify({ roleName, cutoff }, { iam }) {
    const out = await awsCall('iam:GetRolePolicy', () =>
      iam.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: REVOCATION_POLICY_NAME }),
      ),
    );
    const existing = readRevocationPolicy(out.PolicyDocument);
    if (existing.kind === 'cutoff' && existing.cutoff.getTime() >= new Date(cutoff).getTime()) {
      return { ok: true, detail: `read back: cutoff ${existing.cutoff.toISOString()}` };
    }
    // An earlier cutoff here means a concurrent writer raced us: fail, so a retry rewrites it.
    return {
      ok: false,
      detail: `read back: ${existing.kind === 'cutoff' ? `earlier cutoff ${existing.cutoff.toISOString()}` : existing.kind}`,
    };
  },
};
