import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { type Access, IncidentAccess } from '../accounts/account-access';
import type { AwsClients } from '../aws-clients';
import { awsCall } from '../errors';
import type { PrincipalRecord } from '../report/report';
import type { RoleFacts, UserFacts } from '../resolve/facts';
import { holderFromCloudTrail } from '../resolve/holder-from-cloudtrail';
import { resolveRole, resolveUser, withManagedPolicies } from '../resolve/resolve-principal';
import type { Deps } from '../respond';
import {
  coveringCutoff,
  type ExistingRevocation,
  incidentSid,
  statementsOf,
} from '../revocation/revocation-policy';
import { deactivationRecords } from '../tags';

/**
 * What IAM holds now for one containment, read the way a release reads it: the key's owner from
 * IAM (`GetAccessKeyLastUsed`) or a temporary key's holder from CloudTrail, then that principal's
 * key status, the responder's record of the deactivation, and every revocation statement.
 */
export type IncidentState =
  | { kind: 'unknown'; reason: string }
  | {
      kind: 'user' | 'role';
      principal: PrincipalRecord;
      /** An AKIA key's status now; undefined for a temporary key (nothing to deactivate). */
      keyStatus: string | undefined;
      /** The responder's tag naming this incident for this key (AKIA keys). */
      recorded: boolean;
      /** The incident's own revocation statements, and their latest cutoff. */
      ownCutoff: Date | undefined;
      /** The latest cutoff of any revocation (a person's, another incident's) covering the key. */
      coveringCutoff: Date | undefined;
      /** `<role id>:<session name>` of a role session, from CloudTrail. */
      sessionUserId: string | undefined;
      /** When a temporary key's session was issued, from CloudTrail. */
      sessionIssuedAt: Date | undefined;
    };

/**
 * The key's account (read there: through the member role for a member account), then the
 * containment's state; `refused` when the responder may not act in that account.
 */
export async function readContainment(
  incidentId: string,
  accessKeyId: string,
  deps: Pick<Deps, 'clients' | 'config' | 'members'>,
): Promise<
  | { kind: 'refused'; accountId: string; reason: string }
  | { kind: 'read'; access: Exclude<Access, { kind: 'refused' }>; state: IncidentState }
> {
  const access = await new IncidentAccess(deps.clients, deps.config, deps.members, {
    incidentId,
    accessKeyId,
    writes: false,
  }).forKey();
  if (access.kind === 'refused') return access;
  return {
    kind: 'read',
    access,
    state: await incidentState(incidentId, accessKeyId, access.clients),
  };
}

async function incidentState(
  incidentId: string,
  accessKeyId: string,
  clients: AwsClients,
): Promise<IncidentState> {
  if (accessKeyId.startsWith('AKIA')) {
    const lastUsed = await awsCall('iam:GetAccessKeyLastUsed', () =>
      clients.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })),
    ).catch((error: unknown) => {
      // A key that no longer exists (deleted since) has no owner to read.
      if ((error as { code?: string }).code === 'NoSuchEntity') return undefined;
      throw error;
    });
    const owner = lastUsed?.UserName;
    if (!owner) return { kind: 'unknown', reason: `IAM names no user for key ${accessKeyId}` };
    const facts = await withManagedPolicies(
      await resolveUser(owner, accessKeyId, clients, 'all'),
      clients,
    );
    return stateOf(facts, incidentId, accessKeyId, undefined, undefined);
  }
  const holder = await holderFromCloudTrail(accessKeyId, clients.cloudtrail);
  if (holder.kind !== 'found') return { kind: 'unknown', reason: holder.detail };
  const { userType, userName, principalId } = holder.principal;
  if (!userName || (userType !== 'AssumedRole' && userType !== 'IAMUser')) {
    return {
      kind: 'unknown',
      reason: `${holder.detail}: not a role or user the responder contains`,
    };
  }
  const facts =
    userType === 'AssumedRole'
      ? await resolveRole(userName, clients, 'all')
      : await resolveUser(userName, accessKeyId, clients, 'all');
  return stateOf(
    await withManagedPolicies(facts, clients),
    incidentId,
    accessKeyId,
    principalId,
    holder.issuedAt,
  );
}

function stateOf(
  facts: UserFacts | RoleFacts,
  incidentId: string,
  accessKeyId: string,
  sessionUserId: string | undefined,
  sessionIssuedAt: Date | undefined,
): IncidentState {
  const subject = facts.kind === 'user' ? facts.user : facts.role;
  if (subject === 'not-found') {
    return { kind: 'unknown', reason: `the ${facts.kind} holding ${accessKeyId} no longer exists` };
  }
  const policies: ExistingRevocation[] = [
    facts.existing,
    ...(facts.owned ? [facts.owned] : []),
    ...(facts.kind === 'role' && facts.instance ? [facts.instance] : []),
    ...(facts.managed ?? []).map((m) => m.existing),
  ];
  const sid = incidentSid(incidentId);
  const own = policies.flatMap((p) => statementsOf(p).filter((s) => s.sid === sid));
  const covering = policies
    .map((p) => coveringCutoff(p, sessionUserId))
    .filter((d): d is Date => d !== undefined);
  const latest = (dates: Date[]) =>
    dates.length > 0 ? new Date(Math.max(...dates.map((d) => d.getTime()))) : undefined;
  const record =
    facts.kind === 'user'
      ? deactivationRecords(facts.user === 'not-found' ? {} : facts.user.tags)
      : undefined;
  return {
    kind: facts.kind,
    principal: {
      type: facts.kind === 'user' ? 'IAMUser' : 'AssumedRole',
      name: subject.name,
      arn: subject.arn,
    },
    keyStatus: facts.kind === 'user' ? facts.keyStatus : undefined,
    recorded: record?.get(accessKeyId)?.incidentId === incidentId,
    ownCutoff: latest(own.map((s) => s.cutoff)),
    coveringCutoff: latest(covering),
    sessionUserId,
    sessionIssuedAt,
  };
}

/**
 * True when IAM shows that this incident contained this key. A long-term key needs its own
 * record (the tag names the key and the incident): a user's revocation statement names no key,
 * and would vouch for every other key of the user. A temporary key has no record of its own: the
 * incident's revocation on its holder (from CloudTrail) is the proof, for a session issued before
 * that revocation's cutoff (a later session of the role was never contained by it).
 */
export function containedByIncident(state: IncidentState, accessKeyId: string): boolean {
  if (state.kind === 'unknown') return false;
  if (accessKeyId.startsWith('AKIA')) return state.recorded;
  const { ownCutoff, sessionIssuedAt } = state;
  return (
    ownCutoff !== undefined &&
    sessionIssuedAt !== undefined &&
    // The policy denies tokens issued before the cutoff (DateLessThan): strictly before.
    sessionIssuedAt.getTime() < ownCutoff.getTime()
  );
}
