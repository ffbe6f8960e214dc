import {
  coveringCutoff,
  documentWith,
  formatCutoff,
  type StatementScope,
} from '../revocation/revocation-policy';
import type { ContainmentAction } from './containment-action';
import {
  isAttached,
  managedPolicyArn,
  managedPolicyName,
  readManagedPolicy,
  setAttached,
  writeManagedPolicy,
} from './managed-policy';

export interface ManagedRevocationParams {
  name: string;
  /** The principal's ARN: the policy lives in its account and partition. */
  principalArn: string;
  incidentId: string;
  cutoff: string;
  /** The moment of the plan: the read-back accepts any cutoff at or after it. */
  mustCover: string;
  /** An instance revocation: the `aws:userid` it denies. */
  userId?: string;
}

type Kind = 'user' | 'role';
const scopeOf = (params: ManagedRevocationParams): StatementScope =>
  params.userId ? 'instance' : 'role';

/**
 * The fallback of revoke-*-sessions when the principal's inline-policy space is full (IAM answers
 * `LimitExceeded`): the same statements in a customer-managed policy of the responder's own,
 * created (or given a new default version) and attached to the principal. Its merge rules are the
 * inline policy's: other incidents' statements stay, a cutoff still in the future is kept.
 */
function revokeByManagedPolicy(kind: Kind): ContainmentAction<ManagedRevocationParams> {
  const Kind = kind === 'user' ? 'User' : 'Role';
  const where = (p: ManagedRevocationParams) => {
    const policyName = managedPolicyName(kind, p.name, scopeOf(p));
    return { policyName, arn: managedPolicyArn(p.principalArn, policyName) };
  };
  return {
    name: `revoke-${kind}-sessions-by-managed-policy`,
    permissions: [
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
      'iam:CreatePolicy',
      'iam:CreatePolicyVersion',
      'iam:ListPolicyVersions',
      'iam:DeletePolicyVersion',
      `iam:Attach${Kind}Policy`,
      `iam:ListAttached${Kind}Policies`,
    ],
    target: (p) => `${kind}/${p.name} managed policy ${where(p).policyName}`,

    async apply(p, { iam }) {
      const { policyName, arn } = where(p);
      const existing = await readManagedPolicy(iam, arn, scopeOf(p));
      const found = coveringCutoff(existing, p.userId);
      const now = new Date(p.mustCover);
      let wrote = `cutoff ${found ? formatCutoff(found) : ''} already there`;
      if (!found || found.getTime() < now.getTime()) {
        const document = documentWith(existing, p.incidentId, p.cutoff, now, kind, p.userId);
        await writeManagedPolicy(
          iam,
          arn,
          policyName,
          JSON.stringify(document),
          existing.kind !== 'none',
        );
        wrote = `denies ${p.userId ? `the credentials ${p.userId}` : `every session of ${kind} ${p.name}`} issued before ${p.cutoff}`;
      }
      await setAttached(iam, kind, p.name, arn, true);
      return `managed policy ${arn} ${wrote}, attached to ${kind} ${p.name}`;
    },

    async verify(p, { iam }) {
      const { arn } = where(p);
      const [existing, attached] = await Promise.all([
        readManagedPolicy(iam, arn, scopeOf(p)),
        isAttached(iam, kind, p.name, arn),
      ]);
      const cutoff = coveringCutoff(existing, p.userId);
      const covers = cutoff !== undefined && cutoff.getTime() >= new Date(p.mustCover).getTime();
      if (covers && attached)
        return { ok: true, detail: `read back: cutoff ${formatCutoff(cutoff)}, attached` };
      return {
        ok: false,
        detail: `read back: ${cutoff ? `cutoff ${formatCutoff(cutoff)}` : existing.kind}, ${attached ? 'attached' : 'not attached'}`,
      };
    },
  };
}

export const revokeUserSessionsByManagedPolicy = revokeByManagedPolicy('user');
export const revokeRoleSessionsByManagedPolicy = revokeByManagedPolicy('role');
