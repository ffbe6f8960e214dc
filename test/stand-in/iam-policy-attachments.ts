import { findRole, findUser } from './entities';
import { limitExceeded, noSuchEntity } from './errors';
import type { Handler, RequestContext } from './handler';
import { findPolicy } from './iam-managed-policies';
import { RULES } from './params';
import type { Account, ManagedPolicy } from './state';

/** IAM's default quota of managed policies attached to one role or one user (raisable to 20). */
const MAX_ATTACHED = 10;

/** Roles and users take managed policies alike; only names differ. */
interface Holder {
  kind: 'role' | 'user';
  /** Query parameter naming the holder. */
  param: 'RoleName' | 'UserName';
  /** The quota IAM names when refusing one attachment too many. */
  quota: 'PoliciesPerRole' | 'PoliciesPerUser';
  find(account: Account, name: string): { name: string };
  /** Names of the holders of this kind that `policy` is attached to. */
  holders(policy: ManagedPolicy): Set<string>;
}

const ROLE: Holder = {
  kind: 'role',
  param: 'RoleName',
  quota: 'PoliciesPerRole',
  find: findRole,
  holders: (policy) => policy.attachedRoles,
};
const USER: Holder = {
  kind: 'user',
  param: 'UserName',
  quota: 'PoliciesPerUser',
  find: findUser,
  holders: (policy) => policy.attachedUsers,
};

/** The managed policies attached to a role or user, by name (IAM documents no order). */
export function attachedPolicies(
  account: Account,
  kind: 'role' | 'user',
  name: string,
): ManagedPolicy[] {
  const holder = kind === 'role' ? ROLE : USER;
  return [...account.managedPolicies.values()]
    .filter((policy) => holder.holders(policy).has(name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function holderOf(ctx: RequestContext, holder: Holder): { name: string } {
  const rule = holder.kind === 'role' ? RULES.roleName : RULES.userName;
  return holder.find(ctx.account, ctx.params.required(holder.param, rule));
}

/** Attaching a policy already attached changes nothing, so it cannot exceed the quota. */
function attach(holder: Holder): Handler {
  return (ctx) => {
    const entity = holderOf(ctx, holder);
    const policy = findPolicy(ctx, (arn) => `Policy ${arn} does not exist or is not attachable.`);
    const holders = holder.holders(policy);
    if (holders.has(entity.name)) return undefined;
    if (attachedPolicies(ctx.account, holder.kind, entity.name).length >= MAX_ATTACHED) {
      throw limitExceeded(`Cannot exceed quota for ${holder.quota}: ${MAX_ATTACHED}`);
    }
    holders.add(entity.name);
    return undefined;
  };
}

function detach(holder: Holder): Handler {
  return (ctx) => {
    const entity = holderOf(ctx, holder);
    const policy = findPolicy(ctx);
    if (!holder.holders(policy).delete(entity.name)) {
      throw noSuchEntity(`Policy ${policy.arn} was not found.`);
    }
    return undefined;
  };
}

function listAttached(holder: Holder): Handler {
  return (ctx) => {
    const entity = holderOf(ctx, holder);
    const prefix = ctx.params.string('PathPrefix', RULES.path) ?? '/';
    const policies = attachedPolicies(ctx.account, holder.kind, entity.name).filter((policy) =>
      policy.path.startsWith(prefix),
    );
    return {
      AttachedPolicies: policies.map((policy) => ({
        PolicyName: policy.name,
        PolicyArn: policy.arn,
      })),
      IsTruncated: false,
    };
  };
}

export const attachmentHandlers: Record<string, Handler> = {
  AttachRolePolicy: attach(ROLE),
  DetachRolePolicy: detach(ROLE),
  ListAttachedRolePolicies: listAttached(ROLE),
  AttachUserPolicy: attach(USER),
  DetachUserPolicy: detach(USER),
  ListAttachedUserPolicies: listAttached(USER),
};
