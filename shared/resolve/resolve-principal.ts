import {
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { managedPolicyArn, managedPolicyName, readManagedPolicy } from '../actions/managed-policy';
import type { AwsClients } from '../aws-clients';
import { AwsCallError, awsCall } from '../errors';
import {
  type ExistingRevocation,
  INSTANCE_POLICY_NAME,
  OWNED_POLICY_NAME,
  REVOCATION_POLICY_NAME,
  type RevocationPolicyName,
  readRevocationPolicy,
  type StatementScope,
  scopeOf,
} from '../revocation/revocation-policy';
import type { RoleFacts, Tags, UserFacts } from './facts';
/**
 * Which revocation policies to read: `AWSRevokeOlderSessions` always; the responder's own policy
 * only when that one is not a revocation (a second, rare round), or at once for a release
 * (`all`); a role's instance policy alongside for instance credentials (`instance`) and releases.
 */
export type PolicyReads = 'standard' | 'instance' | 'all';

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
    reads === 'all' ? read(OWNED_POLICY_NAME) : undefined,
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
  const read = (policyName: RevocationPolicyName) =>
    notFoundAsUndefined(
      awsCall('iam:GetRolePolicy', () =>
        iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
      ),
    ).then((out) => readRevocationPolicy(out?.PolicyDocument, scopeOf(policyName)));
  const [roleOut, existing, ownedRead, instance] = await Promise.all([
    notFoundAsUndefined(
      awsCall('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: roleName }))),
    ),
    read(REVOCATION_POLICY_NAME),
    reads === 'all' ? read(OWNED_POLICY_NAME) : undefined,
    reads === 'standard' ? undefined : read(INSTANCE_POLICY_NAME),
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
    ...(instance ? { instance } : {}),
  };
}

/** The responder's own policy: already read, or read now because the standard one is not a revocation. */
async function ownedPolicy(
  existing: ExistingRevocation,
  alreadyRead: ExistingRevocation | undefined,
  read: (policyName: RevocationPolicyName) => Promise<ExistingRevocation>,
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

/** The responder's managed policies on a principal that exists: for a release. */
export async function withManagedPolicies<F extends UserFacts | RoleFacts>(
  facts: F,
  { iam }: AwsClients,
): Promise<F> {
  const subject = facts.kind === 'user' ? facts.user : facts.role;
  if (subject === 'not-found') return facts;
  const scopes: StatementScope[] = facts.kind === 'user' ? ['role'] : ['role', 'instance'];
  const managed = await Promise.all(
    scopes.map(async (scope) => {
      const policyName = managedPolicyName(facts.kind, subject.name, scope);
      const arn = managedPolicyArn(subject.arn, policyName);
      return { policyName, arn, scope, existing: await readManagedPolicy(iam, arn, scope) };
    }),
  );
  return { ...facts, managed };
}
