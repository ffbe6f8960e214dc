import {
  GetAccessKeyLastUsedCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws-clients';
import { AwsCallError, awsCall } from '../errors';
import type { Target } from '../plan/target';
import type { ContainRequest } from '../request';
import { REVOCATION_POLICY_NAME, readRevocationPolicy } from '../revocation/revocation-policy';
import type { Facts, LastUse, RoleFacts, Tags, UserFacts } from './facts';
import { responderIdentity } from './responder-identity';

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

/**
 * Every lookup the decision needs, started at once. A principal named by a finding is looked up
 * in the same round trip as the key; only a bare AKIA key needs a second round, once IAM has
 * named its owner. Nothing is looked up in an account the key does not belong to.
 */
export async function resolveFacts(
  request: ContainRequest,
  target: Exclude<Target, { kind: 'escalate' }>,
  clients: AwsClients,
): Promise<Facts> {
  const identity = responderIdentity(clients.sts);
  const keyAccount = awsCall('sts:GetAccessKeyInfo', () =>
    clients.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: request.accessKeyId })),
  );
  const lastUsed =
    target.kind === 'user-key'
      ? awsCall('iam:GetAccessKeyLastUsed', () =>
          clients.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: request.accessKeyId })),
        )
      : undefined;
  const knownName = target.kind === 'role-sessions' ? target.roleName : target.userName;
  const principal =
    target.kind === 'role-sessions'
      ? resolveRole(target.roleName, clients)
      : knownName
        ? resolveUser(knownName, request.accessKeyId, clients)
        : undefined;

  const [identityResult, keyAccountResult, lastUsedResult, principalResult] =
    await Promise.allSettled([identity, keyAccount, lastUsed, principal]);
  if (identityResult.status === 'rejected') throw identityResult.reason;
  if (keyAccountResult.status === 'rejected') throw keyAccountResult.reason;
  const keyFacts = {
    responderAccountId: identityResult.value.accountId,
    responderArn: identityResult.value.arn,
    keyAccountId: keyAccountResult.value.Account ?? '',
  };
  // Not ours to act on; lookups in this account say nothing about the key.
  if (keyFacts.keyAccountId !== keyFacts.responderAccountId) return keyFacts;
  if (lastUsedResult.status === 'rejected') throw lastUsedResult.reason;
  if (principalResult.status === 'rejected') throw principalResult.reason;

  if (target.kind === 'role-sessions')
    return { ...keyFacts, principal: principalResult.value as RoleFacts };
  const owner = lastUsedResult.value?.UserName;
  const use = lastUsedResult.value?.AccessKeyLastUsed;
  const keyEvidence = lastUsedResult.value
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
  const user =
    (principalResult.value as UserFacts | undefined) ??
    (owner ? await resolveUser(owner, request.accessKeyId, clients) : undefined);
  if (!user)
    return {
      ...keyFacts,
      principal: { kind: 'user', ...keyEvidence, user: 'not-found', existing: { kind: 'none' } },
    };
  return { ...keyFacts, principal: { ...user, ...keyEvidence } };
}

export async function resolveUser(
  userName: string,
  accessKeyId: string,
  { iam }: AwsClients,
): Promise<UserFacts> {
  const isLongTerm = accessKeyId.startsWith('AKIA');
  const [userOut, keysOut, policyOut] = await Promise.all([
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
    notFoundAsUndefined(
      awsCall('iam:GetUserPolicy', () =>
        iam.send(
          new GetUserPolicyCommand({ UserName: userName, PolicyName: REVOCATION_POLICY_NAME }),
        ),
      ),
    ),
  ]);
  const user = userOut?.User;
  const status = keysOut?.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId)?.Status;
  return {
    kind: 'user',
    user: user
      ? { name: user.UserName ?? userName, arn: user.Arn ?? '', tags: tagsOf(user.Tags) }
      : 'not-found',
    ...(status ? { keyStatus: status } : {}),
    existing: readRevocationPolicy(policyOut?.PolicyDocument),
  };
}

export async function resolveRole(roleName: string, { iam }: AwsClients): Promise<RoleFacts> {
  const [roleOut, policyOut] = await Promise.all([
    notFoundAsUndefined(
      awsCall('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: roleName }))),
    ),
    notFoundAsUndefined(
      awsCall('iam:GetRolePolicy', () =>
        iam.send(
          new GetRolePolicyCommand({ RoleName: roleName, PolicyName: REVOCATION_POLICY_NAME }),
        ),
      ),
    ),
  ]);
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
    existing: readRevocationPolicy(policyOut?.PolicyDocument),
  };
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
