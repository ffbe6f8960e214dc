import type { Logger } from '@aws-lambda-powertools/logger';
import { IncidentAccess } from './accounts/account-access';
import type { MemberCredentials, MemberCredentialsCache } from './accounts/member-credentials';
import { type AwsClients, createAwsClients } from './aws-clients';
import type { Config } from './config';
import { AwsCallError, isDeterministic } from './errors';
import { executePlan } from './execute/execute-plan';
import { recordIncident } from './metrics/incident-metrics';
import { publishReport } from './notify/publish-report';
import { automaticDecision } from './plan/automatic-containment';
import { plannedActions } from './plan/plan';
import { planContainment } from './plan/plan-containment';
import { targetOf } from './plan/target';
import { release } from './release/release';
import { buildReport, type ReportParts, reportForRejected } from './report/build-report';
import { executionOutcome, NOT_RETRIED, unrecorded } from './report/execution-outcome';
import type { Evidence, Report } from './report/report';
import type { ContainRequest, Intake } from './request';
import type { Facts } from './resolve/facts';
import { holderFromCloudTrail } from './resolve/holder-from-cloudtrail';
import { resolveFacts } from './resolve/resolve-facts';
import { containRootKey } from './root/contain-root-key';
import { contradiction, needsHolderLookup } from './trust/principal-proof';

export interface Deps {
  clients: AwsClients;
  config: Config;
  logger: Logger;
  clock?: () => number;
  /** Member-account credentials, cached for the life of the container (cross-account). */
  members?: MemberCredentialsCache;
  /** Clients for other credentials (a root session); default: createAwsClients. */
  clientsWith?: (credentials: MemberCredentials) => AwsClients;
}

/**
 * One incident, start to finish: intake → target → facts → plan → execute → report → notify.
 * Always returns a report; it never throws for bad input or AWS failures (the report says which).
 */
export async function respond(
  intake: Exclude<Intake, { kind: 'lookup' }>,
  deps: Deps,
): Promise<Report> {
  const clock = deps.clock ?? Date.now;
  const startedAt = clock();
  const { logger, config, clients } = deps;

  let report: Report;
  if (intake.kind === 'rejected') {
    logger.appendKeys({ incidentId: intake.rejected.incidentId });
    report = reportForRejected(intake.rejected, new Date(startedAt), new Date(clock()));
  } else {
    const context = intake.kind === 'request' ? intake.request : intake.release;
    const accessKeyId = intake.kind === 'request' ? intake.request.accessKeyId : undefined;
    logger.appendKeys({ incidentId: context.incidentId, ...(accessKeyId ? { accessKeyId } : {}) });
    try {
      report =
        intake.kind === 'request'
          ? await containRequest(intake.request, deps, startedAt, clock)
          : await release(
              intake.release,
              { clients, logger, config, members: deps.members },
              clock,
            );
    } catch (error) {
      // AWS failed (after the SDK's retries) or a bug: on the record, with the code, nothing guessed.
      logger.error('incident failed', { error: error as Error });
      const code = error instanceof AwsCallError ? error.code : 'InternalError';
      const message = error instanceof Error ? error.message : String(error);
      report = buildReport({
        incidentId: context.incidentId,
        source: context.source,
        trigger: context.trigger,
        accessKeyId: accessKeyId ?? null,
        ...(intake.kind === 'request' && intake.request.finding
          ? { finding: intake.request.finding }
          : {}),
        startedAt: new Date(startedAt),
        ...(isDeterministic(code)
          ? { outcome: 'escalated', reason: `${message}: ${NOT_RETRIED}` }
          : { outcome: 'failed', reason: message }),
        errorCode: code,
        finishedAt: new Date(clock()),
      });
    }
  }

  const level =
    report.outcome === 'failed' ? 'error' : report.outcome === 'escalated' ? 'warn' : 'info';
  logger[level]('incident report', { report });
  recordIncident(report);
  await publishReport(report, config.notificationTopicArn, clients, logger);
  return report;
}

async function containRequest(
  request: ContainRequest,
  deps: Deps,
  startedAt: number,
  clock: () => number,
): Promise<Report> {
  const { clients, config, logger } = deps;
  const claimedBy = request.finding?.principal;
  const notes: string[] = [];
  const automatic = automaticDecision(request, config);
  const report = (parts: Omit<ReportParts, keyof ReturnType<typeof baseOf> | 'finishedAt'>) =>
    buildReport({
      ...baseOf(request, startedAt),
      notes,
      policy: automatic.policy,
      ...parts,
      finishedAt: new Date(clock()),
    });
  /** Ends the incident without acting: logged with its reason, nothing changed. */
  const stop = (
    outcome: 'skipped' | 'escalated',
    reason: string,
    extra: Partial<ReportParts> = {},
  ) => {
    logger[outcome === 'skipped' ? 'info' : 'warn'](
      `decision: ${outcome === 'skipped' ? 'skip' : 'escalate'} without acting`,
      { reason },
    );
    const principal = claimedBy
      ? { type: claimedBy.userType, name: claimedBy.userName ?? null, arn: null }
      : null;
    return report({ principal, outcome, reason, ...extra });
  };

  if (!automatic.act) return stop('skipped', automatic.reason);

  const dryRun = config.dryRun || request.dryRun === true;
  const access = new IncidentAccess(clients, config, deps.members, {
    incidentId: request.incidentId,
    accessKeyId: request.accessKeyId,
    writes: !dryRun,
  });
  // A temporary key nobody names: CloudTrail of the key's own account may know its holder.
  const keyAccess = needsHolderLookup(request) ? await access.forKey() : undefined;
  if (keyAccess?.kind === 'refused')
    return stop('escalated', keyAccess.reason, { accountId: keyAccess.accountId });
  const lookup = keyAccess
    ? await holderFromCloudTrail(request.accessKeyId, keyAccess.clients.cloudtrail)
    : undefined;
  if (lookup && lookup.kind !== 'found') {
    return stop(
      'escalated',
      `${lookup.detail}: the holder of this temporary key is unknown, so nothing was changed; ` +
        'find it in CloudTrail of the regions where the key was used and contain that role or user',
    );
  }
  if (lookup) {
    const contradicted = contradiction(claimedBy, lookup.principal);
    if (contradicted) return stop('escalated', contradicted, { notes: [lookup.detail] });
    notes.push(lookup.detail);
  }
  const target = targetOf(request, lookup?.principal);
  if (target.kind === 'escalate') return stop('escalated', target.reason);
  if (target.kind === 'root-key') {
    return containRootKey({
      request,
      clients,
      config,
      logger,
      clock,
      dryRun,
      startedAt,
      access,
      notes,
      clientsWith: deps.clientsWith ?? createAwsClients,
      report,
      stop,
    });
  }

  const { facts, writer } = await resolveFacts(request, target, access);
  const accountId = facts.keyAccountId;
  if (facts.actingThrough)
    notes.push(`Acted in account ${accountId} through ${facts.actingThrough}.`);
  const plan = planContainment(request, target, facts, new Date(clock()), config);
  if (plan.decision !== 'act') {
    notes.push(...plan.notes);
    return stop(plan.decision === 'skip' ? 'skipped' : 'escalated', plan.reason, {
      accountId,
      principal: plan.principal,
    });
  }
  notes.push(...plan.notes);
  const evidence = evidenceOf(facts);
  const steps = plan.steps.map((s) => `${s.name} ${s.target}`);
  const alert = plan.alert ? `; ALERT: ${plan.alert}` : '';

  if (dryRun) {
    logger.info('decision: dry run, nothing changed', { actions: steps });
    const reason = `dry run: would contain ${plan.principal.type} ${plan.principal.name}; nothing was changed${alert}`;
    return report({
      accountId,
      principal: plan.principal,
      outcome: 'planned',
      reason,
      actions: plannedActions(plan.steps),
      evidence,
      dryRun: true,
    });
  }

  logger.info('decision: contain', { principal: plan.principal, actions: steps });
  // Writes and read-backs run in the key's account: the responder's, or a member's (as a session
  // named for this incident).
  const acting = writer ? await writer : clients;
  const execution = await executePlan(plan.steps, acting, clock);
  const containMs = (execution.containedAt ?? clock()) - startedAt;
  const principal = plan.principal;
  notes.push(...unrecorded(execution));
  return report({
    accountId,
    principal,
    ...executionOutcome(principal, execution, request.reason, alert),
    actions: execution.actions,
    containMs,
    evidence,
    errorCode: execution.errorCode,
  });
}

/** What was there before the change, for the record. */
function evidenceOf(facts: Facts): Evidence | null {
  const principal = facts.principal;
  if (!principal) return null;
  const existing = principal.existing;
  return {
    keyLastUse: principal.kind === 'user' ? (principal.lastUse ?? null) : null,
    revocationPolicyBefore: existing.kind === 'none' ? null : existing.document,
  };
}

function baseOf(request: ContainRequest, startedAt: number) {
  return {
    incidentId: request.incidentId,
    source: request.source,
    trigger: request.trigger,
    accessKeyId: request.accessKeyId,
    ...(request.finding ? { finding: request.finding } : {}),
    startedAt: new Date(startedAt),
  };
}
