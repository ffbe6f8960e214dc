import { GetUserCommand, TagUserCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws-clients';
import { awsCall } from '../errors';
import type { ContainmentAction } from './containment-action';

/**
 * Tags the responder reads or writes. `protected` is set by people. The others go on a user whose
 * key the responder deactivated, so `release` undoes only what the responder did (roles need none:
 * their revocation policy carries the responder's `Sid`).
 */
export const TAG = {
  protected: 'credential-responder:protected',
  incident: 'credential-responder:incident',
  containedAt: 'credential-responder:contained-at',
  deactivatedKeys: 'credential-responder:deactivated-keys',
  cutoff: 'credential-responder:revocation-cutoff',
} as const;

export interface MarkUserParams {
  name: string;
  tags: Record<string, string>;
}

/** Marks a user whose key was deactivated, so a person in the IAM console sees why and when. */
export const markPrincipal: ContainmentAction<MarkUserParams> = {
  name: 'mark-principal',
  permissions: ['iam:TagUser'],
  target: ({ name }) => `user/${name}`,

  async apply({ name, tags }, { iam }) {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    await awsCall('iam:TagUser', () => iam.send(new TagUserCommand({ UserName: name, Tags })));
    return `tagged ${Object.keys(tags).join(', ')}`;
  },

  async verify({ name, tags }, { iam }) {
    const found = await userTags(name, iam);
    const missing = Object.entries(tags).filter(([k, v]) => found[k] !== v);
    return missing.length === 0
      ? { ok: true, detail: 'read back: tags present' }
      : { ok: false, detail: `read back: missing ${missing.map(([k]) => k).join(', ')}` };
  },
};

/** A user's tags as IAM has them now (GetUser returns them). */
export async function userTags(
  name: string,
  iam: AwsClients['iam'],
): Promise<Record<string, string>> {
  const out = await awsCall('iam:GetUser', () => iam.send(new GetUserCommand({ UserName: name })));
  return Object.fromEntries((out.User?.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}
