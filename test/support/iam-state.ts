import {
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../shared/aws-clients';

/**
 * What IAM holds now, read through the public API (so it works against any endpoint): the tests'
 * view of the account, never the responder's.
 */
export async function keyStatuses({ iam }: AwsClients, userName: string) {
  const out = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return Object.fromEntries((out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId, k.Status]));
}

export async function userTags({ iam }: AwsClients, userName: string) {
  const out = await iam.send(new GetUserCommand({ UserName: userName }));
  return Object.fromEntries((out.User?.Tags ?? []).map((t) => [t.Key, t.Value]));
}

/** An inline policy document as IAM returns it (URL-encoded on AWS), or undefined when none. */
export async function inlinePolicy(
  { iam }: AwsClients,
  kind: 'user' | 'role',
  name: string,
  policyName = 'AWSRevokeOlderSessions',
): Promise<string | undefined> {
  try {
    const out =
      kind === 'user'
        ? await iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: policyName }))
        : await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
    return out.PolicyDocument;
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntityException') return undefined;
    throw error;
  }
}

/** The statements of a policy document as IAM returns it. */
export function statementsIn(document: string | undefined): unknown[] {
  if (document === undefined) return [];
  const plain = document.startsWith('%') ? decodeURIComponent(document) : document;
  const statement = JSON.parse(plain).Statement;
  return Array.isArray(statement) ? statement : [statement];
}

/** Puts an inline policy as a person (or an attacker with that one right) would. */
export async function putInlinePolicy(
  { iam }: AwsClients,
  kind: 'user' | 'role',
  name: string,
  document: string,
  policyName = 'AWSRevokeOlderSessions',
) {
  const policy = { PolicyName: policyName, PolicyDocument: document };
  if (kind === 'user') await iam.send(new PutUserPolicyCommand({ UserName: name, ...policy }));
  else await iam.send(new PutRolePolicyCommand({ RoleName: name, ...policy }));
}
