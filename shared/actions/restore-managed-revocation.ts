import type { RevocationPolicy } from '../revocation/revocation-policy';
import { incidentSid, type StatementScope } from '../revocation/revocation-policy';
import type { ContainmentAction } from './containment-action';
import {
  deleteManagedPolicy,
  isAttached,
  readManagedPolicy,
  setAttached,
  writeManagedPolicy,
} from './managed-policy';

export interface RestoreManagedParams {
  name: string;
  /** The responder's managed policy (see managed-policy.ts). */
  arn: string;
  policyName: string;
  scope: StatementScope;
  incidentId: string;
  /** Other incidents' statements, kept; none: detach and delete the policy. */
  rest?: RevocationPolicy;
}

/**
 * Undo of revoke-*-sessions-by-managed-policy for one incident: a new default version without
 * that incident's statements, or, when nothing else is in it, the policy detached and deleted.
 */
function restoreManagedRevocation(kind: 'user' | 'role'): ContainmentAction<RestoreManagedParams> {
  const Kind = kind === 'user' ? 'User' : 'Role';
  return {
    name: `restore-${kind}-managed-revocation`,
    permissions: [
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
      'iam:CreatePolicyVersion',
      'iam:ListPolicyVersions',
      'iam:DeletePolicyVersion',
      'iam:DeletePolicy',
      `iam:Detach${Kind}Policy`,
      `iam:ListAttached${Kind}Policies`,
    ],
    target: ({ name, policyName }) => `${kind}/${name} managed policy ${policyName}`,

    async apply({ name, arn, policyName, rest }, { iam }) {
      if (rest) {
        await writeManagedPolicy(iam, arn, policyName, JSON.stringify(rest), true);
        return `managed policy ${arn} put back without this incident's statements (${rest.Statement.length} kept)`;
      }
      if (await isAttached(iam, kind, name, arn)) await setAttached(iam, kind, name, arn, false);
      await deleteManagedPolicy(iam, arn);
      return `managed policy ${arn} detached from ${kind} ${name} and deleted: nothing else was in it`;
    },

    async verify({ name, arn, scope, incidentId, rest }, { iam }) {
      const [existing, attached] = await Promise.all([
        readManagedPolicy(iam, arn, scope),
        isAttached(iam, kind, name, arn),
      ]);
      const sid = incidentSid(incidentId);
      if (existing.kind === 'cutoff' && existing.statements.some((s) => s.sid === sid)) {
        return { ok: false, detail: "read back: the incident's statement is still there" };
      }
      if (rest) {
        return existing.kind === 'cutoff' && attached
          ? {
              ok: true,
              detail: `read back: ${existing.statements.length} statement(s) kept, attached`,
            }
          : {
              ok: false,
              detail: `read back: ${existing.kind}, ${attached ? 'attached' : 'not attached'}`,
            };
      }
      return existing.kind === 'none' && !attached
        ? { ok: true, detail: 'read back: gone' }
        : { ok: false, detail: 'read back: the policy is still there' };
    },
  };
}

export const restoreUserManagedRevocation = restoreManagedRevocation('user');
export const restoreRoleManagedRevocation = restoreManagedRevocation('role');
