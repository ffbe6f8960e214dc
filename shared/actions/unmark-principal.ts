import {
  GetRoleCommand,
  GetUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
} from '@aws-sdk/client-iam';
import { awsCall } from '../errors';
import type { ContainmentAction } from './containment-action';

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
    const out =
      kind === 'user'
        ? (await awsCall('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: name }))))
            .User
        : (await awsCall('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: name }))))
            .Role;
    const left = (out?.Tags ?? []).filter((t) => t.Key && tagKeys.includes(t.Key));
    return left.length === 0
      ? { ok: true, detail: 'read back: tags gone' }
      : { ok: false, detail: `read back: still tagged ${left.map((t) => t.Key).join(', ')}` };
  },
};
