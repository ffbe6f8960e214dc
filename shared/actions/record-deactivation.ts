import { GetUserCommand, TagUserCommand, UntagUserCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws-clients';
import { awsCall } from '../errors';
import { deactivationTag } from '../tags';
import type { ContainmentAction } from './containment-action';

export interface KeyOfUser {
  userName: string;
  accessKeyId: string;
}

export interface DeactivationRecordParams extends KeyOfUser {
  /** The tag value: the incident and when it deactivated the key (see recordValue). */
  record: string;
}

/**
 * The proof `release` needs that the responder deactivated this key, for this incident: one tag
 * per key (TagUser merges, so concurrent incidents for a user's two keys both keep their record).
 * Written alongside the deactivation, never before it: a user at IAM's 50-tag limit must still
 * be contained.
 */
export const recordDeactivation: ContainmentAction<DeactivationRecordParams> = {
  name: 'record-deactivation',
  permissions: ['iam:TagUser', 'iam:GetUser'],
  target: ({ userName, accessKeyId }) => `user/${userName} key ${accessKeyId}`,

  async apply({ userName, accessKeyId, record }, { iam }) {
    const Tags = [{ Key: deactivationTag(accessKeyId), Value: record }];
    await awsCall('iam:TagUser', () => iam.send(new TagUserCommand({ UserName: userName, Tags })));
    return `tagged ${deactivationTag(accessKeyId)}=${record}`;
  },

  async verify({ userName, accessKeyId, record }, { iam }) {
    const found = (await userTags(userName, iam))[deactivationTag(accessKeyId)];
    return found === record
      ? { ok: true, detail: 'read back: tag present' }
      : { ok: false, detail: `read back: ${found === undefined ? 'no tag' : 'another incident'}` };
  },
};

/** Undo of record-deactivation, once the key is Active again. */
export const clearDeactivationRecord: ContainmentAction<KeyOfUser> = {
  name: 'clear-deactivation-record',
  permissions: ['iam:UntagUser', 'iam:GetUser'],
  target: ({ userName, accessKeyId }) => `user/${userName} key ${accessKeyId}`,

  async apply({ userName, accessKeyId }, { iam }) {
    const TagKeys = [deactivationTag(accessKeyId)];
    await awsCall('iam:UntagUser', () =>
      iam.send(new UntagUserCommand({ UserName: userName, TagKeys })),
    );
    return `removed tag ${TagKeys[0]}`;
  },

  async verify({ userName, accessKeyId }, { iam }) {
    const left = deactivationTag(accessKeyId) in (await userTags(userName, iam));
    return left
      ? { ok: false, detail: 'read back: still tagged' }
      : { ok: true, detail: 'read back: tag gone' };
  },
};

/** A user's tags as IAM has them now (GetUser returns them). */
async function userTags(name: string, iam: AwsClients['iam']): Promise<Record<string, string>> {
  const out = await awsCall('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: name })));
  return Object.fromEntries((out.User?.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}
