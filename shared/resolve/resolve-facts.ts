import {
  GetAccessKeyLastUsedCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws-clients';
import { AwsCallError, awsCall } from '../errors';
import type { Target } from '../plan/target';
import type { ContainRequest } from '../request';
import { REVOCATION_POLICY_NAME, readRevocationPolicy } from '../revocation/revocation-policy';
import type { Facts, RoleFacts, UserFacts } from './facts';
import { responderIdentity } from './responder-identity';

/** IAM and STS actions the lookups need (checked against the deployed role by a test). */
export const LOOKUP_PERMISSIONS = [
  'sts:GetAccessKeyInfo',
  'iam:GetAccessKeyLastUsed',
  'iam:GetUser',
  'iam:ListAccessKeys',
  'iam:GetRole',
  'iam:GetRolePolicy',
] as const;

/**
 * Every lookup the decision needs, started at once: one round trip before the containing write.
 * When the key turns out to belong to another account, the other lookups' errors are moot.
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
  const principal =
    target.kind === 'user-key'
      ? resolveUser(request.accessKeyId, target.userName, clients)
      : resolveRole(target.roleName, clients);

  const [identityResult, keyAccountResult, principalResult] = await Promise.allSettled([
    identity,
    keyAccount,
    principal,
  ]);
  if (identityResult.status === 'rejected') throw identityResult.reason;
  if (keyAccountResult.status === 'rejected') throw keyAccountResult.reason;

  const keyFacts = {
    responderAccountId: identityResult.value.accountId,
    responderArn: identityResult.value.arn,
    keyAccountId: keyAccountResult.value.Account ?? '',
  };
  if (keyFacts.keyAccountId !== keyFacts.responderAccountId) {
    // Not ours to act on; lookups in this account say nothing about the key.
    return keyFacts;
  }
  if (principalResult.status === 'rejected') throw principalResult.reason;
  return { ...keyFacts, principal: principalResult.value };
}

async function resolveUser(
  accessKeyId: string,
  userName: string | undefined,
  { iam }: AwsClients,
): Promise<UserFacts> {
  const lastUsed = awsCall('iam:GetAccessKeyLastUsed', () =>
    iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })),
  );
  const user = userName
    ? notFoundAsUndefined(
        awsCall('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: userName }))),
      )
    : undefined;
  const keys = userName
    ? notFoundAsUndefined(
        awsCall('iam:ListAccessKeys', () =>
          iam.send(new ListAccessKeysCommand({ UserName: userName })),
        ),
      )
    : undefined;
  const [lastUsedOut, userOut, keysOut] = await Promise.all([lastUsed, user, keys]);

  const use = lastUsedOut.AccessKeyLastUsed;
  const facts: UserFacts = {
    kind: 'user-key',
    lastUse: {
      date: use?.LastUsedDate?.toISOString() ?? null,
      service: use?.ServiceName ?? null,
      region: use?.Region ?? null,
    },
  };
  if (lastUsedOut.UserName) facts.keyOwner = lastUsedOut.UserName;
  if (userName) {
    facts.user = userOut?.User
      ? { name: userOut.User.UserName ?? userName, arn: userOut.User.Arn ?? '' }
      : 'not-found';
    const status = keysOut?.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId)?.Status;
    if (status) facts.keyStatus = status;
  }
  return facts;
}

async function resolveRole(roleName: string, { iam }: AwsClients): Promise<RoleFacts> {
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
    kind: 'role-sessions',
    role: role
      ? {
          name: role.RoleName ?? roleName,
          arn: role.Arn ?? '',
          path: role.Path ?? '/',
          roleId: role.RoleId ?? '',
        }
      : 'not-found',
    existing: readRevocationPolicy(policyOut?.PolicyDocument),
  };
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
