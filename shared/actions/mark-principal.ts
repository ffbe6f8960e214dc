import {
  GetRoleCommand,
  GetUserCommand,
  TagRoleCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws-clients';
import { awsCall } from '../errors';
import type { ContainmentAction } from './containment-action';

/** Tags the responder writes; `release` reads them to undo only what the responder did. */
export const TAG = {
  protected: 'credential-responder:protected',
  incident: 'credential-responder:incident',
  containedAt: 'credential-responder:contained-at',
  deactivatedKeys: 'credential-responder:deactivated-keys',
  cutoff: 'credential-responder:revocation-cutoff',
} as const;

export interface MarkPrincipalParams {
  kind: 'user' | 'role';
  name: string;
  tags: Record<string, string>;
}

/** Marks a contained user or role, so a person in the IAM console sees why and when. */
export const markPrincipal: ContainmentAction<MarkPrincipalParams> = {
  name: 'mark-principal',
  permissions: ['iam:TagUser', 'iam:TagRole'],
  target: ({ kind, name }) => `${kind}/${name}`,

  async apply({ kind, name, tags }, { iam }) {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    await (kind === 'user'
      ? awsCall('iam:TagUser', () => iam.send(new TagUserCommand({ UserName: name, Tags })))
      : awsCall('iam:TagRole', () => iam.send(new TagRoleCommand({ RoleName: name, Tags }))));
    return `tagged ${Object.keys(tags).join(', ')}`;
  },

  async verify({ kind, name, tags }, { iam }) {
    const found = await principalTags(kind, name, iam);
    const missing = Object.entries(tags).filter(([k, v]) => found[k] !== v);
    return missing.length === 0
      ? { ok: true, detail: 'read back: tags present' }
      : { ok: false, detail: `read back: missing ${missing.map(([k]) => k).join(', ')}` };
  },
};

/** A user's or role's tags as IAM has them now (GetUser and GetRole return them). */
export async function principalTags(
  kind: 'user' | 'role',
  name: string,
  iam: AwsClients['iam'],
): Promise<Record<string, string>> {
  const out =
    kind === 'user'
      ? (await awsCall('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: name })))).User
      : (await awsCall('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: name })))).Role;
  return Object.fromEntries((out?.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}
