import {
  GetAccessKeyLastUsedCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { type Access, type IncidentAccess, writerOf } from '../accounts/account-access';
import type { AwsClients } from '../aws-clients';
import { AwsCallError, awsCall } from '../errors';
import type { Target } from '../plan/target';
import type { ContainRequest } from '../request';
import {
  type ExistingRevocation,
  OWNED_POLICY_NAME,
  REVOCATION_POLICY_NAME,
  readRevocationPolicy,
} from '../revocation/revocation-policy';
import type { Facts, LastUse, RoleFacts, Tags, UserFacts } from './facts';

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
  target: Exclude<Target, { kind: 'escalate' }>,
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
  target: Exclude<Target, { kind: 'escalate' }>,
  clients: AwsClients,
): Promise<UserFacts | RoleFacts> {
  if (target.kind === 'role-sessions') return resolveRole(target.roleName, clients);
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
  const use = lastUsed?.AccessKeyLastUsed;
  const keyEvidence = lastUsed
    ? {
        ...(owner ? { keyOwner: owner } : {}),
        lastUse: {
          date: use?.LastUsedDate?.toISOString() ?? null,
          service: use?.ServiceName ?? null,
          region: use?.Region ?? null,
        } satisfies LastUse,
      }
    : {};
  // A bare key: the second round, now that IAM has named the owner.
  const found =
    user ?? (owner ? await resolveUser(owner, request.accessKeyId, clients) : undefined);
  return {
    ...(found ?? { kind: 'user', user: 'not-found', existing: { kind: 'none' } }),
    ...keyEvidence,
  };
}

/**
 * Which revocation policies to read: `AWSRevokeOlderSessions` always; the responder's own policy
 * only when that one is not a revocation (a second, rare round), or `both` at once (release).
 */
export type PolicyReads = 'standard' | 'both';

export async function resolveUser(
  userName: string,
  accessKeyId: string,
  { iam }: AwsClients,
  reads: PolicyReads = 'standard',
): Promise<UserFacts> {
  const isLongTerm = accessKeyId.startsWith('AKIA');
  const read = (policyName: string) =>
    notFoundAsUndefined(
      awsCall('iam:GetUserPolicy', () =>
        iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName })),
      ),
    ).then((out) => readRevocationPolicy(out?.PolicyDocument));
  const [userOut, keysOut, existing, ownedRead] = await Promise.all([
    notFoundAsUndefined(
      awsCall('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: userName }))),
    ),
    isLongTerm
      ? notFoundAsUndefined(
          awsCall('iam:ListAccessKeys', () =>
            iam.send(new ListAccessKeysCommand({ UserName: userName })),
          ),
        )
      : undefined,
    read(REVOCATION_POLICY_NAME),
    reads === 'both' ? read(OWNED_POLICY_NAME) : undefined,
  ]);
  const owned = await ownedPolicy(existing, ownedRead, read);
  const user = userOut?.User;
  const status = keysOut?.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId)?.Status;
  return {
    kind: 'user',
    user: user
      ? {
          name: user.UserName ?? userName,
          arn: user.Arn ?? '',
          userId: user.UserId ?? '',
          tags: tagsOf(user.Tags),
        }
      : 'not-found',
    ...(status ? { keyStatus: status } : {}),
    existing,
    ...(owned ? { owned } : {}),
  };
}

export async function resolveRole(
  roleName: string,
  { iam }: AwsClients,
  reads: PolicyReads = 'standard',
): Promise<RoleFacts> {
  const read = (policyName: string) =>
    notFoundAsUndefined(
      awsCall('iam:GetRolePolicy', () =>
        iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
      ),
    ).then((out) => readRevocationPolicy(out?.PolicyDocument));
  const [roleOut, existing, ownedRead] = await Promise.all([
    notFoundAsUndefined(
      awsCall('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: roleName }))),
    ),
    read(REVOCATION_POLICY_NAME),
    reads === 'both' ? read(OWNED_POLICY_NAME) : undefined,
  ]);
  const owned = await ownedPolicy(existing, ownedRead, read);
  const role = roleOut?.Role;
  return {
    kind: 'role',
    role: role
      ? {
          name: role.RoleName ?? roleName,
          arn: role.Arn ?? '',
          path: role.Path ?? '/',
          roleId: role.RoleId ?? '',
          tags: tagsOf(role.Tags),
        }
      : 'not-found',
    existing,
    ...(owned ? { owned } : {}),
  };
}

/** The responder's own policy: already read, or read now because the standard one is not a revocation. */
async function ownedPolicy(
  existing: ExistingRevocation,
  alreadyRead: ExistingRevocation | undefined,
  read: (policyName: string) => Promise<ExistingRevocation>,
): Promise<ExistingRevocation | undefined> {
  if (alreadyRead) return alreadyRead;
  return existing.kind === 'unrecognised' ? read(OWNED_POLICY_NAME) : undefined;
}

function tagsOf(tags: { Key?: string; Value?: string }[] | undefined): Tags {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** `NoSuchEntity` is an answer ("there is none"), not a failure. */
async function notFoundAsUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'NoSuchEntity') return undefined;
    throw error;
  }
}
