import { applyTags, findUser, removeTags, tagsXml, targetUserName, userXml } from './entities';
import { deleteConflict, entityAlreadyExists } from './errors';
import type { Handler } from './handler';
import { attachedPolicies } from './iam-policy-attachments';
import { uniqueId } from './ids';
import { RULES } from './params';

const createUser: Handler = ({ params, account, now }) => {
  const name = params.required('UserName', RULES.userName);
  const path = params.string('Path', RULES.path) ?? '/';
  const tags = applyTags([], params.tags(), 'User');
  // IAM names are unique case-insensitively.
  const clash = [...account.users.keys()].find((n) => n.toLowerCase() === name.toLowerCase());
  if (clash !== undefined) throw entityAlreadyExists(`User with name ${name} already exists.`);
  const user = {
    name,
    path,
    id: uniqueId('AIDA'),
    arn: `arn:aws:iam::${account.id}:user${path}${name}`,
    createDate: now,
    tags,
    policies: new Map<string, string>(),
  };
  account.users.set(name, user);
  return { User: userXml(user, true) };
};

/** Without UserName, IAM describes the caller: for the root user, the account's root. */
const getUser: Handler = (ctx) => {
  const name = targetUserName(ctx, ctx.params.string('UserName', RULES.userName));
  if (name === undefined) {
    const { principal } = ctx.caller;
    return {
      User: { UserId: principal.userId, Arn: principal.arn, CreateDate: ctx.account.createDate },
    };
  }
  return { User: userXml(findUser(ctx.account, name), true) };
};

const listUsers: Handler = ({ params, account }) => {
  const prefix = params.string('PathPrefix', RULES.path) ?? '/';
  const users = [...account.users.values()]
    .filter((user) => user.path.startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { Users: users.map((user) => userXml(user, false)), IsTruncated: false };
};

const deleteUser: Handler = ({ params, account }) => {
  const user = findUser(account, params.required('UserName', RULES.userName));
  if (user.loginProfile)
    throw deleteConflict('Cannot delete entity, must delete login profile first.');
  const hasKeys = [...account.accessKeys.values()].some((key) => key.userName === user.name);
  if (hasKeys) throw deleteConflict('Cannot delete entity, must delete access keys first.');
  if (attachedPolicies(account, 'user', user.name).length > 0)
    throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (user.policies.size > 0)
    throw deleteConflict('Cannot delete entity, must delete policies first.');
  account.users.delete(user.name);
  return undefined;
};

const listUserTags: Handler = ({ params, account }) => {
  const user = findUser(account, params.required('UserName', RULES.userName));
  return { Tags: tagsXml(user.tags) ?? [], IsTruncated: false };
};

const tagUser: Handler = ({ params, account }) => {
  const user = findUser(account, params.required('UserName', RULES.userName));
  user.tags = applyTags(user.tags, params.tags(), 'User');
  return undefined;
};

const untagUser: Handler = ({ params, account }) => {
  const user = findUser(account, params.required('UserName', RULES.userName));
  user.tags = removeTags(user.tags, params.list('TagKeys'));
  return undefined;
};

export const userHandlers: Record<string, Handler> = {
  CreateUser: createUser,
  GetUser: getUser,
  ListUsers: listUsers,
  DeleteUser: deleteUser,
  ListUserTags: listUserTags,
  TagUser: tagUser,
  UntagUser: untagUser,
};
