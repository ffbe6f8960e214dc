import { deactivateAccessKey } from '../actions/deactivate-access-key';
import { revokeRoleSessions } from '../actions/revoke-role-sessions';
import type { Config } from '../config';
import type { ContainRequest } from '../request';
import type { Facts, RoleFacts, UserFacts } from '../resolve/facts';
import { formatCutoff } from '../revocation/revocation-policy';
import type { Plan } from './plan';
import { planStep } from './plan';
import type { Target } from './target';

/**
 * Decides what to do from the request and the facts AWS gave (pure: no AWS call, no clock read).
 * Every way the facts could disagree with the request ends in an escalation, never an action.
 */
export function planContainment(
  request: ContainRequest,
  target: Exclude<Target, { kind: 'escalate' }>,
  facts: Facts,
  now: Date,
  config: Config,
): Plan {
  const escalate = (reason: string, principal: Plan['principal'] = null): Plan => ({
    decision: 'escalate',
    principal,
    reason,
    notes: [],
  });

  const findingAccount = request.finding?.accountId;
  if (findingAccount && findingAccount !== facts.keyAccountId) {
    return escalate(
      `the finding names account ${findingAccount} but the key belongs to account ${facts.keyAccountId}: not acting on inconsistent input`,
    );
  }
  if (facts.keyAccountId !== facts.responderAccountId || !facts.principal) {
    return escalate(
      `the key belongs to account ${facts.keyAccountId}, not this responder's account ${facts.responderAccountId}: ` +
        'contain it from that account (cross-account containment is not handled yet)',
    );
  }
  if (facts.principal.kind === 'user-key' && target.kind === 'user-key') {
    return planUserKey(request, target.userName, facts.principal, escalate);
  }
  if (facts.principal.kind === 'role-sessions' && target.kind === 'role-sessions') {
    return planRoleSessions(target, facts.principal, now, config, escalate);
  }
  return escalate('internal: facts do not match the target');
}

function planUserKey(
  request: ContainRequest,
  findingUserName: string | undefined,
  user: UserFacts,
  escalate: (reason: string, principal?: Plan['principal']) => Plan,
): Plan {
  const owner = user.keyOwner;
  if (!owner) {
    return escalate(
      `IAM names no user for key ${request.accessKeyId} (a root user key?): a person must identify the owner`,
    );
  }
  if (findingUserName && findingUserName !== owner) {
    return escalate(
      `the finding names user ${findingUserName} but IAM says key ${request.accessKeyId} belongs to ${owner}: not acting on inconsistent input`,
      { type: 'IAMUser', name: owner, arn: null },
    );
  }
  const arn = typeof user.user === 'object' ? user.user.arn : null;
  const alreadyInPlace = user.keyStatus === 'Inactive' ? 'the key was already Inactive' : undefined;
  return {
    decision: 'act',
    principal: { type: 'IAMUser', name: owner, arn },
    steps: [
      planStep(
        deactivateAccessKey,
        { userName: owner, accessKeyId: request.accessKeyId },
        alreadyInPlace,
      ),
    ],
    notes: [
      `Only key ${request.accessKeyId} was deactivated; other keys of ${owner} were not touched.`,
      'Session tokens already minted from this key (GetSessionToken, up to 36 h) are not revoked by deactivating it.',
    ],
  };
}

function planRoleSessions(
  target: Extract<Target, { kind: 'role-sessions' }>,
  facts: RoleFacts,
  now: Date,
  config: Config,
  escalate: (reason: string, principal?: Plan['principal']) => Plan,
): Plan {
  const role = facts.role;
  if (role === 'not-found') {
    return escalate(`role ${target.roleName} named by the finding does not exist in this account`, {
      type: 'AssumedRole',
      name: target.roleName,
      arn: null,
    });
  }
  const principal = { type: 'AssumedRole', name: role.name, arn: role.arn };
  if (role.path.startsWith('/aws-service-role/')) {
    return escalate(
      `role ${role.name} is a service-linked role: AWS does not allow revoking its sessions; contact AWS Support`,
      principal,
    );
  }
  if (
    role.path.startsWith('/aws-reserved/sso.amazonaws.com/') ||
    role.name.startsWith('AWSReservedSSO_')
  ) {
    return escalate(
      `role ${role.name} belongs to IAM Identity Center and cannot be edited: revoke the user's sessions in Identity Center`,
      principal,
    );
  }
  if (target.roleId && role.roleId && target.roleId !== role.roleId) {
    return escalate(
      `the finding's role id ${target.roleId} differs from role ${role.name}'s id ${role.roleId} (role deleted and re-created?): not acting`,
      principal,
    );
  }
  if (facts.existing.kind === 'unrecognised') {
    return escalate(
      `role ${role.name} has an inline policy named AWSRevokeOlderSessions that is not a session revocation (${facts.existing.problem}): not overwriting it`,
      principal,
    );
  }

  const notes = [
    `Every session of role ${role.name} issued before the cutoff is denied, including those of workloads that use the role ` +
      '(EC2 instances, Lambda functions, CI pipelines): they must fetch new credentials.',
    'Whoever holds the credentials that assumed the role can assume it again: contain that source principal next.',
  ];
  if (target.sessionName && /^i-[0-9a-f]{8,17}$/.test(target.sessionName)) {
    notes.push(
      `The session name ${target.sessionName} is an EC2 instance id: the instance's role credentials were used; investigate that instance.`,
    );
  }

  // A cutoff still in the future already denies every session issued up to now: keep it.
  if (facts.existing.kind === 'cutoff' && facts.existing.cutoff.getTime() >= now.getTime()) {
    const cutoff = formatCutoff(facts.existing.cutoff);
    return {
      decision: 'act',
      principal,
      steps: [
        planStep(
          revokeRoleSessions,
          { roleName: role.name, cutoff },
          `existing cutoff ${cutoff} already covers sessions issued up to now`,
        ),
      ],
      notes,
    };
  }
  const cutoff = formatCutoff(new Date(now.getTime() + config.revocationMarginSeconds * 1000));
  return {
    decision: 'act',
    principal,
    steps: [planStep(revokeRoleSessions, { roleName: role.name, cutoff })],
    notes,
  };
}
