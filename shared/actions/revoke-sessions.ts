import {
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws-clients';
import { awsCall } from '../errors';
import {
  formatCutoff,
  REVOCATION_POLICY_NAME,
  readRevocationPolicy,
  revocationPolicy,
} from '../revocation/revocation-policy';
import type { ContainmentAction } from './containment-action';
import { sendUnlessDone } from './send-unless-done';

export interface RevokeSessionsParams {
  name: string;
  /** UTC ISO-8601 ending in `Z`; the planner has already kept the later of old and new. */
  cutoff: string;
  /**
   * The moment the plan was made: sessions issued up to then must be denied. A cutoff at or after
   * it contains this incident, whoever wrote it (another finding's responder, a person).
   */
  mustCover: string;
}

type PrincipalKind = 'user' | 'role';

/**
 * Puts (or updates in place) the principal's one `AWSRevokeOlderSessions` inline policy: every
 * session issued before the cutoff is denied. On a role that kills its assumed-role sessions; on
 * a user, the session tokens minted from its keys (GetSessionToken, GetFederationToken).
 */
function revokeSessions(kind: PrincipalKind): ContainmentAction<RevokeSessionsParams> {
  /** The write, with the check before each retry (see sendUnlessDone). */
  const put = (
    iam: AwsClients['iam'],
    name: string,
    document: string,
    done: () => Promise<string | undefined>,
  ) =>
    kind === 'user'
      ? sendUnlessDone(
          new PutUserPolicyCommand({
            UserName: name,
            PolicyName: REVOCATION_POLICY_NAME,
            PolicyDocument: document,
          }),
          (command) => iam.send(command),
          done,
        )
      : sendUnlessDone(
          new PutRolePolicyCommand({
            RoleName: name,
            PolicyName: REVOCATION_POLICY_NAME,
            PolicyDocument: document,
          }),
          (command) => iam.send(command),
          done,
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
      const wrote = `inline policy ${REVOCATION_POLICY_NAME} denies every session of ${kind} ${name} issued before ${cutoff}`;
      // Before a retry: a cutoff still in the future already denies every session issued up to
      // now (the planner's own rule), so the retry would add nothing.
      const coveringCutoff = async () => {
        const existing = readRevocationPolicy((await get(iam, name)).PolicyDocument);
        if (existing.kind !== 'cutoff' || existing.cutoff.getTime() < Date.now()) return undefined;
        return formatCutoff(existing.cutoff);
      };
      const sent = await awsCall(`iam:Put${Kind}Policy`, () =>
        put(iam, name, document, coveringCutoff),
      );
      if (sent === 'sent') return wrote;
      if (sent.found === cutoff && sent.unanswered) {
        return `${wrote} (its answer was lost; read back before a retry)`;
      }
      return {
        found: `cutoff ${sent.found}, written while this write waited to be retried, already covers sessions issued up to now`,
      };
    },

    async verify({ name, mustCover }, { iam }) {
      const out = await awsCall(`iam:Get${Kind}Policy`, () => get(iam, name));
      const existing = readRevocationPolicy(out.PolicyDocument);
      // Another finding's write may have replaced ours since: two first attempts, each sent
      // before it could see the other, land in either order. Any cutoff at or after this
      // incident's moment still denies every session issued up to it.
      if (
        existing.kind === 'cutoff' &&
        existing.cutoff.getTime() >= new Date(mustCover).getTime()
      ) {
        return { ok: true, detail: `read back: cutoff ${formatCutoff(existing.cutoff)}` };
      }
      const found =
        existing.kind === 'cutoff'
          ? `cutoff ${formatCutoff(existing.cutoff)}, before ${mustCover}`
          : existing.kind;
      return { ok: false, detail: `read back: ${found}` };
    },
  };
}

export const revokeUserSessions = revokeSessions('user');
export const revokeRoleSessions = revokeSessions('role');
