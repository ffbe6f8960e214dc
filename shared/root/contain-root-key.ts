import type { Logger } from '@aws-lambda-powertools/logger';
import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import type { IncidentAccess } from '../accounts/account-access';
import type { MemberCredentials } from '../accounts/member-credentials';
import { deleteRootAccessKey, rootAccessKeyIds } from '../actions/delete-root-access-key';
import type { AwsClients } from '../aws-clients';
import type { Config } from '../config';
import { AwsCallError, awsCall, isDeterministic } from '../errors';
import { executePlan } from '../execute/execute-plan';
import { plannedActions, planStep } from '../plan/plan';
import { ROOT_INSTRUCTIONS } from '../plan/target';
import type { ReportParts } from '../report/build-report';
import { executionOutcome } from '../report/execution-outcome';
import type { Evidence, PrincipalRecord, Report } from '../report/report';
import type { ContainRequest } from '../request';
import { lastUseOf } from '../resolve/facts';
import { assumeRoot, ROOT_TASK_POLICY_ARN } from './assume-root';

/** What the owner of an account whose root key was deleted must do next. */
const AFTER_DELETION = [
  'The key was deleted, not deactivated: this cannot be undone. Any workload that used it stops working and must move to IAM roles (root keys should not exist).',
  "Review the root user's activity in CloudTrail (userIdentity.type Root) of every region since the key was created: what it created, changed or read.",
  "Secure the root user: reset its password, require MFA, and remove any other credentials (keys, signing certificates) it has; with centralized root access, consider deleting the root user's credentials altogether.",
];

const ENABLE_HELP =
  'centralized root access must be enabled (IAM trusted access in AWS Organizations, root credentials management and root sessions), ' +
  'and the responder must run in the management account or the IAM delegated administrator account (README, "Root access keys")';

/** AWS's answer when the caller may not have the privileged session: escalated, not retried. */
const REFUSALS = new Set(['AccessDenied', 'RegionDisabled', 'InvalidIdentityToken']);

export interface RootContext {
  request: ContainRequest;
  clients: AwsClients;
  config: Config;
  logger: Logger;
  clock: () => number;
  dryRun: boolean;
  startedAt: number;
  access: IncidentAccess;
  /** The report's notes, added to in place. */
  notes: string[];
  /** Clients signing with the privileged session's credentials. */
  clientsWith: (credentials: MemberCredentials) => AwsClients;
  report(
    parts: Omit<
      ReportParts,
      'incidentId' | 'source' | 'trigger' | 'accessKeyId' | 'startedAt' | 'finishedAt'
    >,
  ): Report;
  stop(outcome: 'skipped' | 'escalated', reason: string, extra?: Partial<ReportParts>): Report;
}

/**
 * A root access key of a member account (DOMAIN.md section 8). Escalated to a person unless
 * ROOT_KEYS=delete; then, only in an allowed member account that is neither the organization's
 * management account nor the responder's own, the key is confirmed to be that root user's and
 * deleted through a privileged session limited to IAMDeleteRootUserCredentials.
 */
export async function containRootKey(ctx: RootContext): Promise<Report> {
  const { request, config, clients, logger, stop } = ctx;
  const key = request.accessKeyId;
  if (config.rootKeys !== 'delete') {
    return stop(
      'escalated',
      `the key belongs to the root user: ${ROOT_INSTRUCTIONS} (ROOT_KEYS=delete lets the responder delete a member account's root key through centralized root access)`,
    );
  }

  const [accountId, identity, management] = await Promise.all([
    ctx.access.keyAccount(),
    ctx.access.identity,
    clients.organizations.managementAccount().catch((error: unknown) => error),
  ]);
  const principal: PrincipalRecord = {
    type: 'Root',
    name: 'root',
    arn: `arn:aws:iam::${accountId}:root`,
  };
  const refuse = (reason: string) =>
    stop('escalated', `${reason}: nothing was changed; ${ROOT_INSTRUCTIONS}`, {
      accountId,
      principal,
    });

  const findingAccount = request.finding?.accountId;
  if (findingAccount && findingAccount !== accountId) {
    return refuse(
      `the finding names account ${findingAccount} but the key belongs to account ${accountId}: not acting on inconsistent input`,
    );
  }
  if (accountId === identity.accountId) {
    return refuse(
      `account ${accountId} is the responder's own account: its root user is not acted on from within`,
    );
  }
  if (!config.allowedAccountIds.includes(accountId)) {
    return refuse(`account ${accountId} is not in ALLOWED_ACCOUNT_IDS of this responder`);
  }
  if (management instanceof Error) {
    if (management instanceof AwsCallError && !REFUSALS.has(management.code)) throw management;
    return refuse(
      `which account manages the organization could not be confirmed (${management.message}), and its root is never acted on`,
    );
  }
  if (management === undefined) {
    return refuse(
      `the responder's account ${identity.accountId} is in no AWS Organization, so centralized root access is not available`,
    );
  }
  if (accountId === management) {
    return refuse(
      `account ${accountId} is the organization's management account: the responder never acts on its root user`,
    );
  }

  const params = { accountId, accessKeyId: key };
  if (ctx.dryRun) {
    logger.info('decision: dry run, nothing changed', { actions: ['delete-root-access-key'] });
    return ctx.report({
      accountId,
      principal,
      outcome: 'planned',
      reason: `dry run: would delete access key ${key} of the root user of account ${accountId} through sts:AssumeRoot (${ROOT_TASK_POLICY_ARN}), which cannot be undone; nothing was changed`,
      actions: plannedActions([planStep(deleteRootAccessKey, params)]),
      evidence: null,
      dryRun: true,
    });
  }

  let session: AwsClients;
  try {
    session = ctx.clientsWith(await assumeRoot(clients.sts, accountId));
  } catch (error) {
    if (
      error instanceof AwsCallError &&
      (REFUSALS.has(error.code) || isDeterministic(error.code))
    ) {
      return refuse(`sts:AssumeRoot was refused (${error.code}: ${error.message}); ${ENABLE_HELP}`);
    }
    throw error;
  }

  // Whose key it is, from IAM itself: the root user's own list. Its last use is the evidence.
  const [rootKeys, lastUsed] = await Promise.all([
    rootAccessKeyIds(session.iam),
    awsCall('iam:GetAccessKeyLastUsed', () =>
      session.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key })),
    ).catch(() => undefined),
  ]);
  const owner = lastUsed?.UserName;
  const evidence: Evidence | null = lastUsed
    ? { keyLastUse: lastUseOf(lastUsed), revocationPolicyBefore: null }
    : null;
  const isRootKey = rootKeys.includes(key);
  // A person's request is not redelivered: a key IAM does not list is news for them, not done.
  if (!isRootKey && !request.finding) {
    return refuse(
      `key ${key} is not among the root user's access keys of account ${accountId}: it was deleted already, or it is not a root key`,
    );
  }
  if (!isRootKey && owner && owner !== 'root' && owner !== '<root_account>') {
    return refuse(
      `IAM says key ${key} belongs to user ${owner}, not to the root user: not acting on inconsistent input`,
    );
  }

  const step = planStep(deleteRootAccessKey, params, {
    alreadyInPlace: isRootKey
      ? undefined
      : `key ${key} is not among the root user's access keys of account ${accountId}: already deleted ` +
        "(IAM named no other owner; if an IAM user held it, it would not be a root key: contain it as that user's)",
  });
  logger.info('decision: contain', { principal, actions: [`${step.name} ${step.target}`] });
  const execution = await executePlan([step], session, ctx.clock);
  const containMs = (execution.containedAt ?? ctx.clock()) - ctx.startedAt;
  if (execution.errorCode === null)
    ctx.notes.push(...(isRootKey ? AFTER_DELETION : AFTER_DELETION.slice(1)));
  return ctx.report({
    accountId,
    principal,
    ...executionOutcome(principal, execution, request.reason, ''),
    actions: execution.actions,
    containMs,
    evidence,
    errorCode: execution.errorCode,
  });
}
