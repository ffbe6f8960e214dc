import { ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { awsCall } from '../errors';
import type { ContainmentAction } from './containment-action';
import type { DeactivateAccessKeyParams } from './deactivate-access-key';

/** Undo of deactivate-access-key: sets exactly that key of that user back to Active. */
export const reactivateAccessKey: ContainmentAction<DeactivateAccessKeyParams> = {
  name: 'reactivate-access-key',
  permissions: ['iam:UpdateAccessKey', 'iam:ListAccessKeys'],
  target: ({ userName, accessKeyId }) => `user/${userName} key ${accessKeyId}`,

  async apply({ userName, accessKeyId }, { iam }) {
    await awsCall('iam:UpdateAccessKey', () =>
      iam.send(
        new UpdateAccessKeyCommand({
          UserName: userName,
          AccessKeyId: accessKeyId,
          Status: 'Active',
        }),
      ),
    );
    return `access key ${accessKeyId} of user ${userName} set to Active again`;
  },

  async verify({ userName, accessKeyId }, { iam }) {
    const out = await awsCall('iam:ListAccessKeys', () =>
      iam.send(new ListAccessKeysCommand({ UserName: userName })),
    );
    const status = out.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId)?.Status;
    return status === 'Active'
      ? { ok: true, detail: 'read back: Active' }
      : { ok: false, detail: `read back: ${status ?? 'key not found'}` };
  },
};
