import { AssumeRootCommand, type STSClient } from '@aws-sdk/client-sts';
import type { MemberCredentials } from '../accounts/member-credentials';
import { awsCall } from '../errors';

/**
 * The only task policy the responder asks for: delete a member account's root credentials. It
 * has no deactivate (DOMAIN.md section 8), so deleting the key is the containment.
 */
export const ROOT_TASK_POLICY_ARN =
  'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials';

/**
 * The privileged session's length: AWS allows 0-900 s. The incident needs three IAM calls; the
 * functions time out after 60 s, so a session of 120 s ends soon after any incident could.
 */
export const ROOT_SESSION_SECONDS = 120;

/**
 * What the responder's own role needs for root keys (ROOT_KEYS=delete): the privileged session,
 * and which account manages the organization (its root is never acted on).
 */
export const ROOT_KEY_PERMISSIONS = [
  'sts:AssumeRoot',
  'organizations:DescribeOrganization',
] as const;

/**
 * The IAM calls made with the privileged session: all within the task policy (which AWS, not
 * the responder's role, scopes), none needing a permission of the responder's own role.
 */
export const ROOT_SESSION_ACTIONS = [
  'iam:ListAccessKeys',
  'iam:GetAccessKeyLastUsed',
  'iam:DeleteAccessKey',
] as const;

/**
 * Credentials acting as the root user of `accountId`, limited to the task policy. STS answers
 * AssumeRoot only on a regional endpoint, which is what the SDK's STS client uses.
 */
export async function assumeRoot(sts: STSClient, accountId: string): Promise<MemberCredentials> {
  const out = await awsCall('sts:AssumeRoot', () =>
    sts.send(
      new AssumeRootCommand({
        TargetPrincipal: accountId,
        TaskPolicyArn: { arn: ROOT_TASK_POLICY_ARN },
        DurationSeconds: ROOT_SESSION_SECONDS,
      }),
    ),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new Error('sts:AssumeRoot answered without credentials');
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  };
}
