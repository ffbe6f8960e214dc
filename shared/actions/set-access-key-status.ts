import { ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { awsCall } from '../errors';
import type { ContainmentAction } from './containment-action';

export interface AccessKeyParams {
  userName: string;
  accessKeyId: string;
}

/**
 * Sets exactly one key of one user to a status. Never deletes (deactivation can be undone after a
 * false positive), and always names the user: without `UserName`, IAM would apply the change to
 * the key owner of the *caller's* credentials.
 */
function setAccessKeyStatus(status: 'Active' | 'Inactive'): ContainmentAction<AccessKeyParams> {
  return {
    name: status === 'Inactive' ? 'deactivate-access-key' : 'reactivate-access-key',
    permissions: ['iam:UpdateAccessKey', 'iam:ListAccessKeys'],
    target: ({ userName, accessKeyId }) => `user/${userName} key ${accessKeyId}`,

    async apply({ userName, accessKeyId }, { iam }) {
      await awsCall('iam:UpdateAccessKey', () =>
        iam.send(
          new UpdateAccessKeyCommand({
            UserName: userName,
            AccessKeyId: accessKeyId,
            Status: status,
          }),
        ),
      );
      return status === 'Inactive'
        ? `access key ${accessKeyId} of user ${userName} set to Inactive (not deleted; it can be reactivated)`
        : `access key ${accessKeyId} of user ${userName} set to Active again`;
    },

    async verify({ userName, accessKeyId }, { iam }) {
      const out = await awsCall('iam:ListAccessKeys', () =>
        iam.send(new ListAccessKeysCommand({ UserName: userName })),
      );
      const found = out.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId)?.Status;
      return found === status
        ? { ok: true, detail: `read back: ${status}` }
        : { ok: false, detail: `read back: ${found ?? 'key not found'}` };
    },
  };
}

export const deactivateAccessKey = setAccessKeyStatus('Inactive');
/** Undo of deactivate-access-key. */
export const reactivateAccessKey = setAccessKeyStatus('Active');
