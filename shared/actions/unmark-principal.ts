import { UntagUserCommand } from '@aws-sdk/client-iam';
import { awsCall } from '../errors';
import type { ContainmentAction } from './containment-action';
import { userTags } from './mark-principal';

export interface UnmarkUserParams {
  name: string;
  tagKeys: string[];
}

/** Undo of mark-principal: removes the responder's tags once what they recorded is undone. */
export const unmarkPrincipal: ContainmentAction<UnmarkUserParams> = {
  name: 'unmark-principal',
  permissions: ['iam:UntagUser'],
  target: ({ name }) => `user/${name}`,

  async apply({ name, tagKeys }, { iam }) {
    await awsCall('iam:UntagUser', () =>
      iam.send(new UntagUserCommand({ UserName: name, TagKeys: tagKeys })),
    );
    return `removed tags ${tagKeys.join(', ')}`;
  },

  async verify({ name, tagKeys }, { iam }) {
    const found = await userTags(name, iam);
    const left = tagKeys.filter((key) => key in found);
    return left.length === 0
      ? { ok: true, detail: 'read back: tags gone' }
      : { ok: false, detail: `read back: still tagged ${left.join(', ')}` };
  },
};
