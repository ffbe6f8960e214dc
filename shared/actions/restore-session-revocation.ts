import { DeleteRolePolicyCommand, DeleteUserPolicyCommand } from '@aws-sdk/client-iam';
import { AwsCallError, awsCall } from '../errors';
import {
  incidentSid,
  type RevocationPolicy,
  type RevocationPolicyName,
  readRevocationPolicy,
  scopeOf,
} from '../revocation/revocation-policy';
import type { ContainmentAction } from './containment-action';
import { inlinePolicyCalls } from './revoke-sessions';

export interface RestoreRevocationParams {
  name: string;
  policyName: RevocationPolicyName;
  /** The incident whose statements are taken out. */
  incidentId: string;
  /** What was there besides them (a person's revocation, other incidents'); none: delete the policy. */
  rest?: RevocationPolicy;
}

/**
 * Undo of revoke-*-sessions for one incident: puts back the principal's revocation policy as it
 * was without that incident's statements (a person's earlier revocation and other incidents' stay),
 * or deletes the policy when nothing else was in it.
 */
function restoreSessionRevocation(
  kind: 'user' | 'role',
): ContainmentAction<RestoreRevocationParams> {
  const { Kind, get, put } = inlinePolicyCalls(kind);
  return {
    name: `restore-${kind}-session-revocation`,
    permissions: [`iam:Put${Kind}Policy`, `iam:Delete${Kind}Policy`, `iam:Get${Kind}Policy`],
    target: ({ name, policyName }) => `${kind}/${name} policy ${policyName}`,

    async apply({ name, policyName, rest }, { iam }) {
      if (rest) {
        await awsCall(`iam:Put${Kind}Policy`, () =>
          put(iam, name, policyName, JSON.stringify(rest), async () => undefined),
        );
        return `inline policy ${policyName} of ${kind} ${name} put back without this incident's statements (${rest.Statement.length} kept)`;
      }
      await awsCall(`iam:Delete${Kind}Policy`, () =>
        kind === 'user'
          ? iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: policyName }))
          : iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })),
      );
      return `inline policy ${policyName} removed from ${kind} ${name}: nothing else was in it`;
    },

    async verify({ name, policyName, incidentId, rest }, { iam }) {
      let document: string | undefined;
      try {
        document = (await awsCall(`iam:Get${Kind}Policy`, () => get(iam, name, policyName)))
          .PolicyDocument;
      } catch (error) {
        if (!(error instanceof AwsCallError && error.code === 'NoSuchEntity')) throw error;
      }
      const existing = readRevocationPolicy(document, scopeOf(policyName));
      const sid = incidentSid(incidentId);
      const left = existing.kind === 'cutoff' && existing.statements.some((s) => s.sid === sid);
      if (left) return { ok: false, detail: "read back: the incident's statement is still there" };
      if (!rest) {
        return existing.kind === 'none'
          ? { ok: true, detail: 'read back: gone' }
          : { ok: false, detail: 'read back: the policy is still there' };
      }
      return existing.kind === 'cutoff'
        ? { ok: true, detail: `read back: ${existing.statements.length} statement(s) kept` }
        : { ok: false, detail: `read back: ${existing.kind}` };
    },
  };
}

export const restoreUserSessionRevocation = restoreSessionRevocation('user');
export const restoreRoleSessionRevocation = restoreSessionRevocation('role');
