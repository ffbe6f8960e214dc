import { ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { awsCall } from '../errors';
import type { ContainmentAction } from './containment-action';

export interface DeactivateAccessKeyParams {
  userName: string;
  accessKeyId: string;
}

/**
 * Deactivates exactly one key of one user. Never deletes (deactivation can be undone after a
 * false positive), and always names the user: without `UserName`, IAM would apply the change to
 * the key owner of the *caller's* credentials.
 */
export const deactivateAccessKey: ContainmentAction<DeactivateAccessKeyParams> = {
  name: 'deactivate-access-key',
  permissions: ['iam:UpdateAccessKey', 'iam:ListAccessKeys'],
  target: ({ userName, accessKeyId }) => `user/${userName} key ${accessKeyId}`,

  async apply({ userName, accessKeyId }, { iam }) {
    await awsCall('iam:UpdateAccessKey', () =>
      iam.send(
        new UpdateAccessKeyCommand({
          UserName: userName,
          AccessKeyId: accessKeyId,
          Status: 'Inactive',
        }),
      ),
    );
    return `access key ${accessKeyId} of user ${userName} set to Inactive (not deleted; it can be reactivated)`;
  },

  async verify({ userName, accessKeyId }, { iam }) {
    const out = await awsCall('iam:ListAccessKeys', () =>
      iam.send(new ListAccessKeysCommand({ UserName: userName })),
    );
    const status = out.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId)?.Status;
    return status === 'Inactive'
      ? { ok: true, detail: 'read back: Inactive' }
      : { ok: false, detail: `read back: ${status ?? 'key not found'}` };
  },
};
