import type { Logger } from '@aws-lambda-powertools/logger';
import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws-clients';
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
  deps: { clients: AwsClients; logger: Logger; dryRun: boolean },
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

  const identity = await responderIdentity(clients.sts);
  let facts: UserFacts | RoleFacts;
  if (accessKeyId) {
    const [info, lastUsed] = await Promise.all([
      awsCall('sts:GetAccessKeyInfo', () =>
        clients.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: accessKeyId })),
      ),
      awsCall('iam:GetAccessKeyLastUsed', () =>
        clients.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })),
      ).catch(() => undefined),
    ]);
    if (info.Account !== identity.accountId) {
      return refused(
        `key ${accessKeyId} belongs to account ${info.Account}, not ${identity.accountId}`,
        info.Account ?? null,
      );
    }
    const owner = lastUsed?.UserName;
    if (!owner) return refused(`IAM names no user for key ${accessKeyId}`, identity.accountId);
    facts = await resolveUser(owner, accessKeyId, clients);
  } else {
    facts = await resolveRole(
      'roleName' in request.principal ? request.principal.roleName : '',
      clients,
    );
  }

  const plan = planRelease(facts, accessKeyId, request.force);
  if (plan.decision === 'refuse') {
    logger.warn('decision: refuse release', { reason: plan.reason });
    return refused(plan.reason, identity.accountId, plan.principal);
  }
  const actions = plan.steps.map((s) => `${s.name} ${s.target}`);
  if (deps.dryRun || request.dryRun) {
    logger.info('decision: dry run of release, nothing changed', { actions });
    return buildReport({
      ...base,
      accountId: identity.accountId,
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
  const execution = await executePlan(plan.steps, clients, clock);
  const ok = execution.errorCode === null;
  return buildReport({
    ...base,
    accountId: identity.accountId,
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
