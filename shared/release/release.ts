import type { Logger } from '@aws-lambda-powertools/logger';
import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { type Access, IncidentAccess, writerOf } from '../accounts/account-access';
import type { MemberCredentialsCache } from '../accounts/member-credentials';
import type { AwsClients } from '../aws-clients';
import type { Config } from '../config';
import { awsCall } from '../errors';
import { executePlan } from '../execute/execute-plan';
import { cancelHoldCheck } from '../follow-up/hold-check-schedule';
import { plannedActions } from '../plan/plan';
import { buildReport } from '../report/build-report';
import type { PrincipalRecord, Report } from '../report/report';
import type { ReleaseRequest } from '../request';
import type { RoleFacts, UserFacts } from '../resolve/facts';
import { resolveRole, resolveUser, withManagedPolicies } from '../resolve/resolve-principal';
import { planRelease } from './plan-release';

/**
 * Undo for a false positive: reactivates the key the incident deactivated, puts the principal's
 * revocation back as it was without the incident's statements, removes the incident's record.
 * In the account where the containment happened: the key's, or `accountId` for a role. Refuses
 * (outcome `failed`, nothing changed) to undo anything the incident's records do not show.
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
      reason: `release of incident ${request.targetIncidentId} refused: ${reason}`,
      finishedAt: new Date(clock()),
    });

  const dryRun = deps.config.dryRun || request.dryRun;
  const access = new IncidentAccess(clients, deps.config, deps.members, {
    incidentId: request.incidentId,
    ...(accessKeyId ? { accessKeyId } : {}),
    writes: !dryRun,
  });
  let where: Access;
  if (accessKeyId) {
    where = await access.forKey();
    if (request.accountId && request.accountId !== where.accountId) {
      return refused(
        `key ${accessKeyId} belongs to account ${where.accountId}, not ${request.accountId}`,
        where.accountId,
      );
    }
  } else {
    where = await access.forAccount(request.accountId ?? (await access.identity).accountId);
  }
  if (where.kind === 'refused') return refused(where.reason, where.accountId);
  const accountId = where.accountId;

  let facts: UserFacts | RoleFacts;
  if (accessKeyId) {
    const lastUsed = await awsCall('iam:GetAccessKeyLastUsed', () =>
      where.clients.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })),
    ).catch(() => undefined);
    const owner = lastUsed?.UserName;
    if (!owner) return refused(`IAM names no user for key ${accessKeyId}`, accountId);
    facts = await resolveUser(owner, accessKeyId, where.clients, 'all');
  } else {
    const roleName = 'roleName' in request.principal ? request.principal.roleName : '';
    facts = await resolveRole(roleName, where.clients, 'all');
  }
  facts = await withManagedPolicies(facts, where.clients);

  const plan = planRelease(facts, {
    incidentId: request.targetIncidentId,
    ...(accessKeyId ? { accessKeyId } : {}),
    force: request.force,
  });
  if (plan.decision === 'refuse') {
    logger.warn('decision: refuse release', { reason: plan.reason });
    return refused(plan.reason, accountId, plan.principal);
  }
  const actions = plan.steps.map((s) => `${s.name} ${s.target}`);
  if (dryRun) {
    logger.info('decision: dry run of release, nothing changed', { actions });
    return buildReport({
      ...base,
      accountId,
      principal: plan.principal,
      outcome: 'planned',
      reason: `dry run: would release ${plan.principal.type} ${plan.principal.name} from incident ${request.targetIncidentId}; nothing was changed`,
      actions: plannedActions(plan.steps),
      notes: plan.notes,
      dryRun: true,
      finishedAt: new Date(clock()),
    });
  }
  logger.info('decision: release', { principal: plan.principal, actions });
  // First, or a hold check due later would take the release for tampering and put it back.
  if (await cancelHoldCheck(clients.scheduler, deps.config.followUp, request.targetIncidentId)) {
    plan.notes.push(`The hold check of incident ${request.targetIncidentId} was cancelled.`);
  }
  const execution = await executePlan(plan.steps, await writerOf(where), clock);
  const ok = execution.errorCode === null;
  const who = `${plan.principal.type} ${plan.principal.name}`;
  return buildReport({
    ...base,
    accountId,
    principal: plan.principal,
    outcome: ok ? 'released' : 'failed',
    reason: ok
      ? `${who} released from incident ${request.targetIncidentId}: ${request.reason}`
      : `release of ${who} from incident ${request.targetIncidentId} failed: ${execution.errorCode}`,
    actions: execution.actions,
    notes: plan.notes,
    errorCode: execution.errorCode,
    finishedAt: new Date(clock()),
  });
}
