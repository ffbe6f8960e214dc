import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { type Access, type IncidentAccess, writerOf } from '../accounts/account-access';
import type { AwsClients } from '../aws-clients';
import { awsCall } from '../errors';
import { INSTANCE_ID, type Target } from '../plan/target';
import type { ContainRequest } from '../request';
import { type Facts, lastUseOf, type RoleFacts, type UserFacts } from './facts';
import { resolveRole, resolveUser } from './resolve-principal';

/** IAM and STS actions the lookups need (checked against the deployed role by a test). */
export const LOOKUP_PERMISSIONS = [
  'sts:GetAccessKeyInfo',
  'iam:GetAccessKeyLastUsed',
  'iam:GetUser',
  'iam:ListAccessKeys',
  'iam:GetUserPolicy',
  'iam:GetRole',
  'iam:GetRolePolicy',
] as const;

export interface Resolved {
  facts: Facts;
  /** Clients looking up in the key's account (own, or through the member role); absent when refused. */
  clients?: AwsClients;
  /** Clients for this incident's writes there (in a member account: a session named for it). */
  writer?: Promise<AwsClients>;
}

/**
 * Every lookup the decision needs. The principal is looked up in the account the request names
 * (the responder's own when it names none) in the same round trip as the key's account; only when
 * the key turns out to live elsewhere is it looked up again there. A bare AKIA key needs a second
 * round, once IAM has named its owner. Nothing is acted on in an account that is not allowed.
 */
export async function resolveFacts(
  request: ContainRequest,
  target: Exclude<Target, { kind: 'escalate' | 'root-key' }>,
  access: IncidentAccess,
): Promise<Resolved> {
  const guessed = request.finding?.accountId;
  const speculative = Promise.resolve(access.speculate(guessed));
  const speculativePrincipal = speculative.then((a) =>
    a.kind === 'refused' ? undefined : lookupPrincipal(request, target, a.clients),
  );

  const [identity, keyAccount, accessResult, principalResult] = await Promise.allSettled([
    access.identity,
    access.keyAccount(),
    speculative,
    speculativePrincipal,
  ]);
  if (identity.status === 'rejected') throw identity.reason;
  if (keyAccount.status === 'rejected') throw keyAccount.reason;
  const keyFacts = {
    responderAccountId: identity.value.accountId,
    responderArn: identity.value.arn,
    keyAccountId: keyAccount.value,
  };
  // The finding names another account than the key's: the plan escalates; nothing is looked up.
  if (guessed && guessed !== keyAccount.value) return { facts: keyFacts };

  let chosen: Access;
  let principal: UserFacts | RoleFacts | undefined;
  // The speculation holds when it ran in the key's account ('own' is checked against who we are).
  const ranIn = (a: Access) => (a.kind === 'own' ? identity.value.accountId : a.accountId);
  if (accessResult.status === 'fulfilled' && ranIn(accessResult.value) === keyAccount.value) {
    chosen = accessResult.value;
    if (principalResult.status === 'rejected') throw principalResult.reason;
    principal = principalResult.value;
  } else if (accessResult.status === 'rejected' && guessed === keyAccount.value) {
    throw accessResult.reason; // AssumeRole into the finding's (and key's) account failed
  } else {
    chosen = await access.forAccount(keyAccount.value);
    if (chosen.kind !== 'refused')
      principal = await lookupPrincipal(request, target, chosen.clients);
  }
  if (chosen.kind === 'refused') return { facts: { ...keyFacts, accessRefused: chosen.reason } };
  return {
    facts: {
      ...keyFacts,
      ...(chosen.kind === 'member'
        ? { actingThrough: `${chosen.roleArn} (writes as session ${chosen.sessionName})` }
        : {}),
      principal,
    },
    clients: chosen.clients,
    writer: writerOf(chosen),
  };
}

/** The principal's facts in one account: a role, or a user (found by IAM for a bare AKIA key). */
async function lookupPrincipal(
  request: ContainRequest,
  target: Exclude<Target, { kind: 'escalate' | 'root-key' }>,
  clients: AwsClients,
): Promise<UserFacts | RoleFacts> {
  if (target.kind === 'role-sessions') {
    // Instance credentials: the instance policy is read alongside, in the same round trip.
    const instance = target.sessionName && INSTANCE_ID.test(target.sessionName);
    return resolveRole(target.roleName, clients, instance ? 'instance' : 'standard');
  }
  const lastUsedCall =
    target.kind === 'user-key'
      ? awsCall('iam:GetAccessKeyLastUsed', () =>
          clients.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: request.accessKeyId })),
        )
      : undefined;
  const known = target.userName
    ? resolveUser(target.userName, request.accessKeyId, clients)
    : undefined;
  const [lastUsed, user] = await Promise.all([lastUsedCall, known]);
  const owner = lastUsed?.UserName;
  const keyEvidence = lastUsed
    ? { ...(owner ? { keyOwner: owner } : {}), lastUse: lastUseOf(lastUsed) }
    : {};
  // A bare key: the second round, now that IAM has named the owner.
  const found =
    user ?? (owner ? await resolveUser(owner, request.accessKeyId, clients) : undefined);
  return {
    ...(found ?? { kind: 'user', user: 'not-found', existing: { kind: 'none' } }),
    ...keyEvidence,
  };
}
