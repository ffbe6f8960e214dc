import {
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws-clients';
import { awsCall } from '../errors';
import {
  coveringCutoff,
  formatCutoff,
  type RevocationPolicy,
  type RevocationPolicyName,
  readRevocationPolicy,
  scopeOf,
} from '../revocation/revocation-policy';
import type { ContainmentAction } from './containment-action';
import { sendUnlessDone } from './send-unless-done';

export interface RevokeSessionsParams {
  name: string;
  /** `AWSRevokeOlderSessions`, or the responder's own policy when that name holds something else. */
  policyName: RevocationPolicyName;
  /** This incident's cutoff: UTC ISO-8601 ending in `Z`. */
  cutoff: string;
  /**
   * The moment the plan was made: sessions issued up to then must be denied. A cutoff at or after
   * it contains this incident, whoever wrote it (another finding's responder, a person).
   */
  mustCover: string;
  /** The whole document: statements already there that are kept, and this incident's. */
  document: RevocationPolicy;
  /** An instance revocation: the `aws:userid` (`<role id>:<instance id>`) it denies. */
  userId?: string;
}

type PrincipalKind = 'user' | 'role';

/** The one inline-policy write and read of each principal kind. */
export function inlinePolicyCalls(kind: PrincipalKind) {
  const Kind = kind === 'user' ? 'User' : 'Role';
  return {
    Kind,
    get: (
      iam: AwsClients['iam'],
      name: string,
      policyName: string,
    ): Promise<{ PolicyDocument?: string }> =>
      kind === 'user'
        ? iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: policyName }))
        : iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })),
    /** The write, with the check before each retry (see sendUnlessDone). */
    put: (
      iam: AwsClients['iam'],
      name: string,
      policyName: string,
      document: string,
      done: () => Promise<string | undefined>,
    ) =>
      kind === 'user'
        ? sendUnlessDone(
            new PutUserPolicyCommand({
              UserName: name,
              PolicyName: policyName,
              PolicyDocument: document,
            }),
            (command) => iam.send(command),
            done,
          )
        : sendUnlessDone(
            new PutRolePolicyCommand({
              RoleName: name,
              PolicyName: policyName,
              PolicyDocument: document,
            }),
            (command) => iam.send(command),
            done,
          ),
  };
}

/**
 * Puts (or updates in place) the principal's revocation policy: every session issued before the
 * cutoff is denied. On a role that kills its assumed-role sessions; on a user, the session tokens
 * minted from its keys (GetSessionToken, GetFederationToken).
 */
function revokeSessions(kind: PrincipalKind): ContainmentAction<RevokeSessionsParams> {
  const { Kind, get, put } = inlinePolicyCalls(kind);

  return {
    name: `revoke-${kind}-sessions`,
    permissions: [`iam:Put${Kind}Policy`, `iam:Get${Kind}Policy`],
    target: ({ name, policyName }) => `${kind}/${name} policy ${policyName}`,

    async apply({ name, policyName, cutoff, document, userId }, { iam }) {
      const whose = userId ? `the credentials ${userId}` : `every session of ${kind} ${name}`;
      const wrote = `inline policy ${policyName} denies ${whose} issued before ${cutoff}`;
      // Before a retry: a cutoff still in the future already denies every session issued up to
      // now (the planner's own rule), so the retry would add nothing.
      const stillCovered = async () => {
        const document = (await get(iam, name, policyName)).PolicyDocument;
        const found = coveringCutoff(readRevocationPolicy(document, scopeOf(policyName)), userId);
        return found && found.getTime() >= Date.now() ? formatCutoff(found) : undefined;
      };
      const sent = await awsCall(`iam:Put${Kind}Policy`, () =>
        put(iam, name, policyName, JSON.stringify(document), stillCovered),
      );
      if (sent === 'sent') return wrote;
      if (sent.found === cutoff && sent.unanswered) {
        return `${wrote} (its answer was lost; read back before a retry)`;
      }
      return {
        found: `cutoff ${sent.found}, written while this write waited to be retried, already covers sessions issued up to now`,
      };
    },

    async verify({ name, policyName, mustCover, userId }, { iam }) {
      const out = await awsCall(`iam:Get${Kind}Policy`, () => get(iam, name, policyName));
      const existing = readRevocationPolicy(out.PolicyDocument, scopeOf(policyName));
      const cutoff = coveringCutoff(existing, userId);
      // Another finding's write may have replaced ours since: two first attempts, each sent
      // before it could see the other, land in either order. Any cutoff at or after this
      // incident's moment still denies every session (of the instance) issued up to it.
      if (cutoff && cutoff.getTime() >= new Date(mustCover).getTime()) {
        return { ok: true, detail: `read back: cutoff ${formatCutoff(cutoff)}` };
      }
      const found = cutoff ? `cutoff ${formatCutoff(cutoff)}, before ${mustCover}` : existing.kind;
      return { ok: false, detail: `read back: ${found}` };
    },
  };
}

export const revokeUserSessions = revokeSessions('user');
export const revokeRoleSessions = revokeSessions('role');
