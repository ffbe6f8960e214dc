import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AwsCallError, awsCall } from '../errors';
import { REVOCATION_POLICY_NAME } from '../revocation/revocation-policy';
import type { ContainmentAction } from './containment-action';

export interface RemoveRevocationParams {
  name: string;
}

/** Undo of revoke-*-sessions: deletes the principal's `AWSRevokeOlderSessions` policy. */
function removeSessionRevocation(kind: 'user' | 'role'): ContainmentAction<RemoveRevocationParams> {
  const Kind = kind === 'user' ? 'User' : 'Role';
  return {
    name: `remove-${kind}-session-revocation`,
    permissions: [`iam:Delete${Kind}Policy`, `iam:Get${Kind}Policy`],
    target: ({ name }) => `${kind}/${name}`,

    async apply({ name }, { iam }) {
      await awsCall(`iam:Delete${Kind}Policy`, () =>
        kind === 'user'
          ? iam.send(
              new DeleteUserPolicyCommand({ UserName: name, PolicyName: REVOCATION_POLICY_NAME }),
            )
          : iam.send(
              new DeleteRolePolicyCommand({ RoleName: name, PolicyName: REVOCATION_POLICY_NAME }),
            ),
      );
      return `inline policy ${REVOCATION_POLICY_NAME} removed from ${kind} ${name}: its sessions work again`;
    },

    async verify({ name }, { iam }) {
      try {
        await awsCall<unknown>(`iam:Get${Kind}Policy`, () =>
          kind === 'user'
            ? iam.send(
                new GetUserPolicyCommand({ UserName: name, PolicyName: REVOCATION_POLICY_NAME }),
              )
            : iam.send(
                new GetRolePolicyCommand({ RoleName: name, PolicyName: REVOCATION_POLICY_NAME }),
              ),
        );
        return { ok: false, detail: 'read back: the policy is still there' };
      } catch (error) {
        if (error instanceof AwsCallError && error.code === 'NoSuchEntity')
          return { ok: true, detail: 'read back: gone' };
        throw error;
      }
    },
  };
}

export const removeUserSessionRevocation = removeSessionRevocation('user');
export const removeRoleSessionRevocation = removeSessionRevocation('role');
