import { accessDenied, validationError, validationMessage } from './errors';
import type { Handler, RequestContext } from './handler';
import { organizationOfAccount } from './organizations';
import { TASK_POLICIES } from './root-tasks';
import { rootPrincipal } from './state';
import { issue } from './sts-credentials';

/**
 * `sts:AssumeRoot` (centralized root access, DOMAIN.md section 8): a session acting as a member
 * account's root user, limited to a root-task policy (root-tasks.ts). Only the management account
 * or the IAM delegated administrator may call it, never with root credentials, and only once the
 * organization has enabled centralized root access.
 */
const TARGET_PRINCIPAL = /^(?:(\d{12})|arn:aws:iam::(\d{12}):root)$/;
const MAX_SECONDS = 900;
/** STS's global endpoint does not serve AssumeRoot; regional ones (and a stand-in) do. */
const GLOBAL_ENDPOINT = 'sts.amazonaws.com';

function targetAccount(ctx: RequestContext): string {
  const target = ctx.params.required('TargetPrincipal', { min: 12, max: 2048 });
  const match = TARGET_PRINCIPAL.exec(target);
  const accountId = match?.[1] ?? match?.[2];
  if (accountId === undefined) {
    throw validationMessage(
      `Invalid TargetPrincipal ${target}: give a member account's id or the ARN of its root user (arn:aws:iam::<account>:root)`,
    );
  }
  return accountId;
}

function taskPolicy(ctx: RequestContext): string {
  const arn = ctx.params.string('TaskPolicyArn.arn', { min: 20, max: 2048 });
  if (arn === undefined)
    throw validationError('taskPolicyArn', undefined, 'Member must not be null');
  if (!TASK_POLICIES.has(arn)) {
    throw validationMessage(
      `Invalid TaskPolicyArn ${arn}: use one of ${[...TASK_POLICIES.keys()].join(', ')}`,
    );
  }
  return arn;
}

/** Why the caller may not have a root session of `target`, if it may not. */
function refusal(ctx: RequestContext, target: string): string | undefined {
  const { principal } = ctx.caller;
  if (principal.kind === 'root') return 'you cannot use root user credentials to call AssumeRoot';
  const own = principal.accountId;
  const organization = organizationOfAccount(ctx.state, own);
  if (!organization) return `account ${own} is not in an organization`;
  const { id, managementAccountId, delegatedAdministratorId } = organization;
  if (own !== managementAccountId && own !== delegatedAdministratorId) {
    return `account ${own} is neither the management account nor the delegated administrator for IAM of organization ${id}`;
  }
  const missing = [
    organization.trustedAccess ? [] : ['IAM trusted access in AWS Organizations'],
    organization.rootCredentialsManagement ? [] : ['RootCredentialsManagement'],
    organization.rootSessions ? [] : ['RootSessions'],
  ].flat();
  if (missing.length > 0) {
    return `centralized root access is not enabled in organization ${id} (missing: ${missing.join(', ')})`;
  }
  if (target === managementAccountId) {
    return `account ${target} is the management account of organization ${id}: AssumeRoot targets member accounts only`;
  }
  if (!organization.accountIds.has(target)) {
    return `account ${target} is not a member account of organization ${id}`;
  }
  return undefined;
}

export const assumeRoot: Handler = (ctx) => {
  const target = targetAccount(ctx);
  const taskPolicyArn = taskPolicy(ctx);
  const seconds =
    ctx.params.integer('DurationSeconds', { min: 0, max: MAX_SECONDS }) ?? MAX_SECONDS;
  const resource = `arn:aws:iam::${target}:root`;
  if (ctx.host === GLOBAL_ENDPOINT && ctx.caller.scope.region === 'us-east-1') {
    throw accessDenied(
      'AssumeRoot is not supported on the STS global endpoint: send the request to a regional STS endpoint',
    );
  }
  const reason = refusal(ctx, target);
  if (reason !== undefined) {
    throw accessDenied(
      `User: ${ctx.caller.principal.arn} is not authorized to perform: sts:AssumeRoot on resource: ${resource} because ${reason}`,
    );
  }
  return { Credentials: issue(ctx, rootPrincipal(target), seconds, taskPolicyArn) };
};
