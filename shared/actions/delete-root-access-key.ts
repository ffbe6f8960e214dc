import { DeleteAccessKeyCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws-clients';
import { awsCall } from '../errors';
import { ROOT_SESSION_ACTIONS } from '../root/assume-root';
import type { ContainmentAction } from './containment-action';

export interface RootKeyParams {
  accountId: string;
  accessKeyId: string;
}

/** The root user's own access keys: `ListAccessKeys` without a user name, in a root session. */
export async function rootAccessKeyIds(iam: AwsClients['iam']): Promise<string[]> {
  const out = await awsCall('iam:ListAccessKeys', () => iam.send(new ListAccessKeysCommand({})));
  return (out.AccessKeyMetadata ?? []).flatMap((k) => (k.AccessKeyId ? [k.AccessKeyId] : []));
}

/**
 * Deletes exactly one access key of a member account's root user, run with a root session of that
 * account (sts:AssumeRoot, task policy IAMDeleteRootUserCredentials) and never with the
 * responder's own role, which has no iam:DeleteAccessKey. Without `UserName`, IAM applies it to
 * the caller's own user: the root user. It cannot be undone, and it is never part of `release`.
 */
export const deleteRootAccessKey: ContainmentAction<RootKeyParams> = {
  name: 'delete-root-access-key',
  permissions: ROOT_SESSION_ACTIONS,
  target: ({ accountId, accessKeyId }) => `root user of account ${accountId} key ${accessKeyId}`,

  async apply({ accountId, accessKeyId }, { iam }) {
    await awsCall('iam:DeleteAccessKey', () =>
      iam.send(new DeleteAccessKeyCommand({ AccessKeyId: accessKeyId })),
    );
    return `access key ${accessKeyId} of the root user of account ${accountId} deleted (this cannot be undone)`;
  },

  async verify({ accessKeyId }, { iam }) {
    const keys = await rootAccessKeyIds(iam);
    return keys.includes(accessKeyId)
      ? { ok: false, detail: 'read back: the key is still among the root user keys' }
      : { ok: true, detail: 'read back: the key is gone' };
  },
};
