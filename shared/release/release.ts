import type { Logger } from '@aws-lambda-powertools/logger';
import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { IncidentAccess } from '../accounts/account-access';
import type { MemberCredentialsCache } from '../accounts/member-credentials';
import type { AwsClients } from '../aws-clients';
import type { Config } from '../config';
import { awsCall } from '../errors';
import { executePlan } from '../execute/execute-plan';
import { plannedActions } from '../plan/plan';
import { buildReport } from '../report/build-report';
import type { PrincipalRecord, Report } from '../report/report';
import type { ReleaseRequest } from '../request';
import type { RoleFacts, UserFacts } from '../resolve/facts';
import { resolveRole, resolveUser } from '../resolve/resolve-facts';
import { responderIdentity } from '../resolve/responder-identity';
import { planRelease } from './plan-release';

/**
 * Undo for a false positive: reactivates a key the responder deactivated, removes the
 * revocation policy it wrote, removes its tags. Refuses (outcome `failed`, nothing changed) to
 * undo what it did not do, unless `force`.
 */
export async function release(
  request: ReleaseRequest,
  deps: {
    clients: AwsClients;
    logger: Logger;
    config: Config;
    members?: MemberCredentialsCache | undefined;
  },
  clock: () => number,
): Promise<Report> {
  const startedAt = clock();
  const { clients, logger } = deps;
  const accessKeyId =
    'accessKeyId' in request.principal ? request.principal.accessKeyId : undefined;
  const base = {
    incidentId: request.incidentId,
    source: request.source,
    trigger: request.trigger,
    accessKeyId: accessKeyId ?? null,
    startedAt: new Date(startedAt),
  };
  const refused = (
    reason: string,
    accountId: string | null,
    principal: PrincipalRecord | null = null,
  ) =>
    buildReport({
      ...base,
      accountId,
      principal,
      outcome: 'failed',
      reason: `release refused: ${reason}`,
      finishedAt: new Date(clock()),
    });

  // By key: in the key's account (own, or a member's through MEMBER_ROLE_NAME). By role name: own.
  let facts: UserFacts | RoleFacts;
  let acting = clients;
  let accountId = (await responderIdentity(clients.sts)).accountId;
  if (accessKeyId) {
    const where = await new IncidentAccess(
      clients,
      deps.config,
      deps.members,
      accessKeyId,
      request.incidentId,
    ).forKey();
    if (where.kind === 'refused') return refused(where.reason, where.accountId);
    acting = where.clients;
    accountId = where.accountId;
    const lastUsed = await awsCall('iam:GetAccessKeyLastUsed', () =>
      acting.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })),
    ).catch(() => undefined);
    const owner = lastUsed?.UserName;
    if (!owner) return refused(`IAM names no user for key ${accessKeyId}`, accountId);
    facts = await resolveUser(owner, accessKeyId, acting);
  } else {
    facts = await resolveRole(
      'roleName' in request.principal ? request.principal.roleName : '',
      clients,
    );
  }

  const plan = planRelease(facts, accessKeyId, request.force);
  if (plan.decision === 'refuse') {
    logger.warn('decision: refuse release', { reason: plan.reason });
    return refused(plan.reason, accountId, plan.principal);
  }
  const actions = plan.steps.map((s) => `${s.name} ${s.target}`);
  if (deps.config.dryRun || request.dryRun) {
    logger.info('decision: dry run of release, nothing changed', { actions });
    return buildReport({
      ...base,
      accountId: accountId,
      principal: plan.principal,
      outcome: 'planned',
      reason: `dry run: would release ${plan.principal.type} ${plan.principal.name}; nothing was changed`,
      actions: plannedActions(plan.steps),
      notes: plan.notes,
      dryRun: true,
      finishedAt: new Date(clock()),
    });
  }
  logger.info('decision: release', { principal: plan.principal, actions });
  const execution = await executePlan(plan.steps, acting, clock);
  const ok = execution.errorCode === null;
  return buildReport({
    ...base,
    accountId: accountId,
    principal: plan.principal,
    outcome: ok ? 'released' : 'failed',
    reason: ok
      ? `${plan.principal.type} ${plan.principal.name} released: ${request.reason}`
      : `release of ${plan.principal.type} ${plan.principal.name} failed: ${execution.errorCode}`,
    actions: execution.actions,
    notes: plan.notes,
    errorCode: execution.errorCode,
    finishedAt: new Date(clock()),
  });
}
