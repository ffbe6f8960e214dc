import { applyTags, findRole, removeTags, roleXml, tagsXml } from './entities';
import { deleteConflict, entityAlreadyExists, malformedPolicy } from './errors';
import type { Handler } from './handler';
import { attachedPolicies } from './iam-policy-attachments';
import { uniqueId } from './ids';
import { RULES } from './params';
import { parsePolicy } from './policy';
import type { Role } from './state';

const createRole: Handler = ({ params, account, now }) => {
  const name = params.required('RoleName', RULES.roleName);
  const path = params.string('Path', RULES.path) ?? '/';
  const trustPolicy = params.required('AssumeRolePolicyDocument', RULES.policyDocument);
  const description = params.string('Description', { max: 1000 });
  const maxSessionDuration =
    params.integer('MaxSessionDuration', { min: 3600, max: 43200 }) ?? 3600;
  const tags = applyTags([], params.tags(), 'Role');
  if (!parsePolicy(trustPolicy)) throw malformedPolicy('This policy contains invalid Json');
  const clash = [...account.roles.keys()].find((n) => n.toLowerCase() === name.toLowerCase());
  if (clash !== undefined) throw entityAlreadyExists(`Role with name ${name} already exists.`);
  const role: Role = {
    name,
    path,
    id: uniqueId('AROA'),
    arn: `arn:aws:iam::${account.id}:role${path}${name}`,
    createDate: now,
    trustPolicy,
    description,
    maxSessionDuration,
    tags,
    policies: new Map(),
  };
  account.roles.set(name, role);
  return { Role: roleXml(role, 'create') };
};

const getRole: Handler = ({ params, account }) => ({
  Role: roleXml(findRole(account, params.required('RoleName', RULES.roleName)), 'get'),
});

const listRoles: Handler = ({ params, account }) => {
  const prefix = params.string('PathPrefix', RULES.path) ?? '/';
  const roles = [...account.roles.values()]
    .filter((role) => role.path.startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { Roles: roles.map((role) => roleXml(role, 'list')), IsTruncated: false };
};

const deleteRole: Handler = ({ params, account }) => {
  const role = findRole(account, params.required('RoleName', RULES.roleName));
  if (attachedPolicies(account, 'role', role.name).length > 0)
    throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (role.policies.size > 0)
    throw deleteConflict('Cannot delete entity, must delete policies first.');
  account.roles.delete(role.name);
  return undefined;
};

const listRoleTags: Handler = ({ params, account }) => {
  const role = findRole(account, params.required('RoleName', RULES.roleName));
  return { Tags: tagsXml(role.tags) ?? [], IsTruncated: false };
};

const tagRole: Handler = ({ params, account }) => {
  const role = findRole(account, params.required('RoleName', RULES.roleName));
  role.tags = applyTags(role.tags, params.tags(), 'Role');
  return undefined;
};

const untagRole: Handler = ({ params, account }) => {
  const role = findRole(account, params.required('RoleName', RULES.roleName));
  role.tags = removeTags(role.tags, params.list('TagKeys'));
  return undefined;
};

export const roleHandlers: Record<string, Handler> = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  DeleteRole: deleteRole,
  ListRoleTags: listRoleTags,
  TagRole: tagRole,
  UntagRole: untagRole,
};
