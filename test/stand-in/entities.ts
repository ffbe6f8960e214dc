import { limitExceeded, noSuchEntity, validationMessage } from './errors';
import type { RequestContext } from './handler';
import { assertUniqueKeys, type Tag } from './params';
import type { Account, Role, User } from './state';
import type { XmlObject } from './xml';

export function findUser(account: Account, name: string): User {
  const user = account.users.get(name);
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

export function findRole(account: Account, name: string): Role {
  const role = account.roles.get(name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

/**
 * The user an action applies to: the `UserName` given, else (as IAM does) the calling user.
 * Undefined for root callers, whose own keys the stand-in does not model.
 */
export function targetUserName(ctx: RequestContext, given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  const { principal } = ctx.caller;
  if (principal.kind === 'user') return principal.userName;
  if (principal.kind === 'root') return undefined;
  throw validationMessage('Must specify userName when calling with non-User credentials');
}

const MAX_TAGS = 50;

/** Adds or overwrites tags; keys match case-insensitively and keep the newest spelling. */
export function applyTags(existing: Tag[], added: Tag[], kind: 'User' | 'Role' | 'Policy'): Tag[] {
  assertUniqueKeys(added.map((tag) => tag.Key));
  const merged = [...existing];
  for (const tag of added) {
    const at = merged.findIndex((old) => old.Key.toLowerCase() === tag.Key.toLowerCase());
    if (at >= 0) merged[at] = tag;
    else merged.push(tag);
  }
  if (merged.length > MAX_TAGS) {
    throw limitExceeded(`Cannot exceed quota for TagsPer${kind}: ${MAX_TAGS}`);
  }
  return merged;
}

export function removeTags(existing: Tag[], keys: string[]): Tag[] {
  const removed = new Set(keys.map((key) => key.toLowerCase()));
  return existing.filter((tag) => !removed.has(tag.Key.toLowerCase()));
}

/** Tags as AWS lists them: left out entirely when there are none. */
export function tagsXml(tags: Tag[]): XmlObject[] | undefined {
  return tags.length > 0 ? tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) : undefined;
}

export function userXml(user: User, withTags: boolean): XmlObject {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: user.createDate,
    Tags: withTags ? tagsXml(user.tags) : undefined,
  };
}

/** IAM returns trust policies URL-encoded, like inline policy documents. */
export function roleXml(role: Role, detail: 'list' | 'create' | 'get'): XmlObject {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodeURIComponent(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: detail === 'list' ? undefined : tagsXml(role.tags),
    RoleLastUsed:
      detail === 'get'
        ? { LastUsedDate: role.lastUsed?.date, Region: role.lastUsed?.region }
        : undefined,
  };
}
