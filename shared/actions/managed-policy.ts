import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws-clients';
import { AwsCallError, awsCall } from '../errors';
import {
  type ExistingRevocation,
  readRevocationPolicy,
  type StatementScope,
} from '../revocation/revocation-policy';

/**
 * The customer-managed policies the responder creates when a principal's inline-policy space is
 * full: one per principal, under its own path, which is all its `Attach*Policy` permission may
 * attach (`iam:PolicyARN` condition).
 */
export const MANAGED_POLICY_PATH = '/credential-responder/';

/**
 * The calls made on the policy itself, whose resource is the policy's ARN: the only ones the
 * responder's roles grant on `policy/credential-responder/*` (the templates' tests check it).
 */
export const POLICY_RESOURCE_ACTIONS = [
  'iam:CreatePolicy',
  'iam:CreatePolicyVersion',
  'iam:DeletePolicy',
  'iam:DeletePolicyVersion',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:ListPolicyVersions',
] as const;

/** IAM keeps at most 5 versions of a managed policy. */
const MAX_VERSIONS = 5;

type Kind = 'user' | 'role';
type Iam = AwsClients['iam'];

/**
 * `revoke-<kind>-<name>` for role- or user-wide revocations, `revoke-instances-<name>` for a
 * role's instance revocations (the two statement shapes never share a policy).
 */
export function managedPolicyName(kind: Kind, name: string, scope: StatementScope): string {
  return scope === 'instance' ? `revoke-instances-${name}` : `revoke-${kind}-${name}`;
}

/** `arn:<partition>:iam::<account>:policy/credential-responder/<name>`, in the principal's account. */
export function managedPolicyArn(principalArn: string, policyName: string): string {
  const [, partition = 'aws', , , account = ''] = principalArn.split(':');
  return `arn:${partition}:iam::${account}:policy${MANAGED_POLICY_PATH}${policyName}`;
}

/** The policy's default document, read as a revocation; `none` when the policy does not exist. */
export async function readManagedPolicy(
  iam: Iam,
  arn: string,
  scope: StatementScope,
): Promise<ExistingRevocation> {
  const policy = await orNotFound(
    awsCall('iam:GetPolicy', () => iam.send(new GetPolicyCommand({ PolicyArn: arn }))),
  );
  const VersionId = policy?.Policy?.DefaultVersionId;
  if (!VersionId) return { kind: 'none' };
  const version = await awsCall('iam:GetPolicyVersion', () =>
    iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId })),
  );
  return readRevocationPolicy(version.PolicyVersion?.Document, scope);
}

/** Creates the policy, or makes `document` its default version (pruning the oldest when full). */
export async function writeManagedPolicy(
  iam: Iam,
  arn: string,
  name: string,
  document: string,
  exists: boolean,
): Promise<void> {
  if (!exists) {
    await awsCall('iam:CreatePolicy', () =>
      iam.send(
        new CreatePolicyCommand({
          PolicyName: name,
          Path: MANAGED_POLICY_PATH,
          PolicyDocument: document,
          Description: 'credential-responder: session revocation (inline policy space was full)',
        }),
      ),
    );
    return;
  }
  const versions = await awsCall('iam:ListPolicyVersions', () =>
    iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })),
  );
  const old = (versions.Versions ?? []).filter((v) => !v.IsDefaultVersion);
  if ((versions.Versions ?? []).length >= MAX_VERSIONS) {
    const oldest = old.sort(
      (a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0),
    )[0];
    if (oldest?.VersionId) {
      const VersionId = oldest.VersionId;
      await awsCall('iam:DeletePolicyVersion', () =>
        iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId })),
      );
    }
  }
  await awsCall('iam:CreatePolicyVersion', () =>
    iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: document,
        SetAsDefault: true,
      }),
    ),
  );
}

/** Attaches (IAM makes a second attach of the same policy a no-op) or detaches the policy. */
export async function setAttached(
  iam: Iam,
  kind: Kind,
  name: string,
  arn: string,
  attached: boolean,
) {
  const operation = `iam:${attached ? 'Attach' : 'Detach'}${kind === 'user' ? 'User' : 'Role'}Policy`;
  await awsCall(operation, () => {
    if (kind === 'user') {
      const input = { UserName: name, PolicyArn: arn };
      return attached
        ? iam.send(new AttachUserPolicyCommand(input))
        : iam.send(new DetachUserPolicyCommand(input));
    }
    const input = { RoleName: name, PolicyArn: arn };
    return attached
      ? iam.send(new AttachRolePolicyCommand(input))
      : iam.send(new DetachRolePolicyCommand(input));
  });
}

export async function isAttached(
  iam: Iam,
  kind: Kind,
  name: string,
  arn: string,
): Promise<boolean> {
  const out = await awsCall(`iam:ListAttached${kind === 'user' ? 'User' : 'Role'}Policies`, () =>
    kind === 'user'
      ? iam.send(
          new ListAttachedUserPoliciesCommand({ UserName: name, PathPrefix: MANAGED_POLICY_PATH }),
        )
      : iam.send(
          new ListAttachedRolePoliciesCommand({ RoleName: name, PathPrefix: MANAGED_POLICY_PATH }),
        ),
  );
  return (out.AttachedPolicies ?? []).some((p) => p.PolicyArn === arn);
}

/** Deletes the policy: its other versions first, as IAM requires. */
export async function deleteManagedPolicy(iam: Iam, arn: string): Promise<void> {
  const versions = await awsCall('iam:ListPolicyVersions', () =>
    iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })),
  );
  for (const version of versions.Versions ?? []) {
    const VersionId = version.VersionId;
    if (version.IsDefaultVersion || !VersionId) continue;
    await awsCall('iam:DeletePolicyVersion', () =>
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId })),
    );
  }
  await awsCall('iam:DeletePolicy', () => iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
}

async function orNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'NoSuchEntity') return undefined;
    throw error;
  }
}
