import { UntagRoleCommand, UntagUserCommand } from '@aws-sdk/client-iam';
import { awsCall } from '../errors';
import type { ContainmentAction } from './containment-action';
import { principalTags } from './mark-principal';

export interface UnmarkPrincipalParams {
  kind: 'user' | 'role';
  name: string;
  tagKeys: string[];
}

/** Undo of mark-principal: removes the responder's tags once what they recorded is undone. */
export const unmarkPrincipal: ContainmentAction<UnmarkPrincipalParams> = {
  name: 'unmark-principal',
  permissions: ['iam:UntagUser', 'iam:UntagRole'],
  target: ({ kind, name }) => `${kind}/${name}`,

  async apply({ kind, name, tagKeys }, { iam }) {
    await (kind === 'user'
      ? awsCall('iam:UntagUser', () =>
          iam.send(new UntagUserCommand({ UserName: name, TagKeys: tagKeys })),
        )
      : awsCall('iam:UntagRole', () =>
          iam.send(new UntagRoleCommand({ RoleName: name, TagKeys: tagKeys })),
        ));
    return `removed tags ${tagKeys.join(', ')}`;
  },

  async verify({ kind, name, tagKeys }, { iam }) {
    const found = await principalTags(kind, name, iam);
    const left = tagKeys.filter((key) => key in found);
    return left.length === 0
      ? { ok: true, detail: 'read back: tags gone' }
      : { ok: false, detail: `read back: still tagged ${left.join(', ')}` };
  },
};
