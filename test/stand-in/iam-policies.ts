import { findRole, findUser } from './entities';
import { limitExceeded, malformedPolicy, noSuchEntity } from './errors';
import type { Handler, RequestContext } from './handler';
import { RULES } from './params';
import { parsePolicy, policySize } from './policy';
import type { Role, User } from './state';

/** Users and roles hold inline policies the same way; only names and quotas differ. */
interface Holder {
  kind: 'user' | 'role';
  /** Query parameter naming the holder, e.g. `UserName`. */
  param: 'UserName' | 'RoleName';
  /** Aggregate quota over all inline policies of one holder, white space not counted. */
  quota: number;
  find(ctx: RequestContext, name: string): User | Role;
}

const USER: Holder = {
  kind: 'user',
  param: 'UserName',
  quota: 2048,
  find: (ctx, name) => findUser(ctx.account, name),
};
const ROLE: Holder = {
  kind: 'role',
  param: 'RoleName',
  quota: 10240,
  find: (ctx, name) => findRole(ctx.account, name),
};

function holderOf(ctx: RequestContext, holder: Holder): User | Role {
  const rule = holder.kind === 'user' ? RULES.userName : RULES.roleName;
  return holder.find(ctx, ctx.params.required(holder.param, rule));
}

function put(holder: Holder): Handler {
  return (ctx) => {
    const entity = holderOf(ctx, holder);
    const policyName = ctx.params.required('PolicyName', RULES.policyName);
    const document = ctx.params.required('PolicyDocument', RULES.policyDocument);
    if (!parsePolicy(document)) throw malformedPolicy('Syntax errors in policy.');
    let total = policySize(document);
    for (const [name, other] of entity.policies)
      if (name !== policyName) total += policySize(other);
    if (total > holder.quota) {
      throw limitExceeded(
        `Maximum policy size of ${holder.quota} bytes exceeded for ${holder.kind} ${entity.name}`,
      );
    }
    entity.policies.set(policyName, document);
    return undefined;
  };
}

function policyOf(ctx: RequestContext, holder: Holder, entity: User | Role) {
  const policyName = ctx.params.required('PolicyName', RULES.policyName);
  const document = entity.policies.get(policyName);
  if (document === undefined) {
    throw noSuchEntity(`The ${holder.kind} policy with name ${policyName} cannot be found.`);
  }
  return { policyName, document };
}

/** IAM returns documents URL-encoded (RFC 3986), byte for byte as they were put. */
function get(holder: Holder): Handler {
  return (ctx) => {
    const entity = holderOf(ctx, holder);
    const { policyName, document } = policyOf(ctx, holder, entity);
    return {
      [holder.param]: entity.name,
      PolicyName: policyName,
      PolicyDocument: encodeURIComponent(document),
    };
  };
}

function remove(holder: Holder): Handler {
  return (ctx) => {
    const entity = holderOf(ctx, holder);
    entity.policies.delete(policyOf(ctx, holder, entity).policyName);
    return undefined;
  };
}

function list(holder: Holder): Handler {
  return (ctx) => {
    const names = [...holderOf(ctx, holder).policies.keys()].sort();
    return { PolicyNames: names, IsTruncated: false };
  };
}

export const policyHandlers: Record<string, Handler> = {
  PutUserPolicy: put(USER),
  GetUserPolicy: get(USER),
  DeleteUserPolicy: remove(USER),
  ListUserPolicies: list(USER),
  PutRolePolicy: put(ROLE),
  GetRolePolicy: get(ROLE),
  DeleteRolePolicy: remove(ROLE),
  ListRolePolicies: list(ROLE),
};
