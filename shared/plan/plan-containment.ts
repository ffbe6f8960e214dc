import { recordDeactivation } from '../actions/record-deactivation';
import { deactivateAccessKey } from '../actions/set-access-key-status';
import type { Config } from '../config';
import type { ContainRequest } from '../request';
import type { Facts, RoleFacts, UserFacts } from '../resolve/facts';
import { INSTANCE_POLICY_NAME } from '../revocation/revocation-policy';
import { deactivationTag, parseRecord, recordValue } from '../tags';
import { proofProblem } from '../trust/principal-proof';
import { type Plan, type PlannedStep, planStep } from './plan';
import { protectionReason } from './protection';
import { instanceRevocationStep, revocationStep } from './revocation-step';
import { INSTANCE_ID, type Target } from './target';

type Escalate = (reason: string, principal?: Plan['principal']) => Plan;

/**
 * Decides what to do from the request and the facts AWS gave (pure: no AWS call, no clock read).
 * Every way the facts could disagree with the request ends in an escalation, never an action;
 * protected principals are never touched.
 */
export function planContainment(
  request: ContainRequest,
  target: Exclude<Target, { kind: 'escalate' | 'root-key' }>,
  facts: Facts,
  now: Date,
  config: Config,
): Plan {
  const escalate: Escalate = (reason, principal = null) => ({
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
  if (facts.accessRefused) return escalate(facts.accessRefused);
  if (!facts.principal)
    return escalate(`nothing was looked up in account ${facts.keyAccountId}: not acting`);
  const context = { request, facts, now, config, escalate };
  if (facts.principal.kind === 'user' && target.kind !== 'role-sessions') {
    return planUser(context, target, facts.principal);
  }
  if (facts.principal.kind === 'role' && target.kind === 'role-sessions') {
    return planRole(context, target, facts.principal);
  }
  return escalate('internal: facts do not match the target');
}

interface PlanContext {
  request: ContainRequest;
  facts: Facts;
  now: Date;
  config: Config;
  escalate: Escalate;
}

function planUser(
  { request, facts, now, config, escalate }: PlanContext,
  target: Extract<Target, { kind: 'user-key' | 'user-sessions' }>,
  user: UserFacts,
): Plan {
  const key = request.accessKeyId;
  let name = target.userName;
  if (target.kind === 'user-key') {
    if (!user.keyOwner) {
      return escalate(
        `IAM names no user for key ${key} (a root user key?): a person must identify the owner`,
      );
    }
    if (name && name !== user.keyOwner) {
      return escalate(
        `the finding names user ${name} but IAM says key ${key} belongs to ${user.keyOwner}: not acting on inconsistent input`,
        { type: 'IAMUser', name: user.keyOwner, arn: null },
      );
    }
    name = user.keyOwner;
  }
  if (!name || user.user === 'not-found') {
    return escalate(`user ${name ?? '(unknown)'} does not exist in this account`, {
      type: 'IAMUser',
      name: name ?? null,
      arn: null,
    });
  }
  const principal = { type: 'IAMUser', name, arn: user.user.arn };
  const protection = protectionReason({ kind: 'user', ...user.user }, facts.responderArn, config);
  if (protection) return escalate(`${protection}: not acting; a person must decide`, principal);

  if (target.kind === 'user-sessions') {
    const unproven = proofProblem(target.proof, 'user', name, user.user.userId);
    if (unproven) return escalate(unproven, principal);
  }

  const steps: PlannedStep[] = [];
  const notes: string[] = [];
  if (target.kind === 'user-key') {
    const inactive = user.keyStatus === 'Inactive' ? 'the key was already Inactive' : undefined;
    steps.push(
      planStep(
        deactivateAccessKey,
        { userName: name, accessKeyId: key },
        { alreadyInPlace: inactive },
      ),
    );
    notes.push(`Only key ${key} is deactivated; other keys of ${name} are not touched.`);
    // The proof release needs, written alongside the deactivation; only when this incident deactivates.
    const earlier = user.user.tags[deactivationTag(key)];
    if (!inactive) {
      const record = recordValue(request.incidentId, now);
      const params = { userName: name, accessKeyId: key, record };
      steps.push(planStep(recordDeactivation, params, { phase: 'record' }));
    } else if (earlier) {
      notes.push(
        `Key ${key} was deactivated by incident ${parseRecord(earlier).incidentId}: release that incident to undo it.`,
      );
    }
  } else {
    notes.push(
      `${key} is a session token of user ${name}: it was minted from one of the user's long-term keys, which was probably stolen too. Find and contain that key.`,
    );
  }
  // A key deactivated earlier (its record says when) minted no session since.
  const record = user.user.tags[deactivationTag(key)];
  const deactivatedAt =
    target.kind === 'user-key' && user.keyStatus === 'Inactive' && record
      ? parseRecord(record).at
      : undefined;
  const revoke = revocationStep(
    'user',
    { name, arn: user.user.arn },
    user,
    request.incidentId,
    now,
    config,
    deactivatedAt,
  );
  steps.push(revoke.step);
  notes.push(
    ...revoke.notes,
    `Sessions of ${name} issued before the cutoff (session tokens minted from its keys, valid up to 36 h) are denied; its long-term keys are not affected by that policy.`,
  );
  return { decision: 'act', principal, steps, notes, ...revoke.alert };
}

function planRole(
  { request, facts, now, config, escalate }: PlanContext,
  target: Extract<Target, { kind: 'role-sessions' }>,
  facts_: RoleFacts,
): Plan {
  const role = facts_.role;
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
  const unproven = proofProblem(target.proof, 'role', role.name, role.roleId);
  if (unproven) return escalate(unproven, principal);
  const protection = protectionReason({ kind: 'role', ...role }, facts.responderArn, config);
  if (protection) return escalate(`${protection}: not acting; a person must decide`, principal);

  const instanceId =
    target.sessionName && INSTANCE_ID.test(target.sessionName) ? target.sessionName : undefined;
  if (instanceId && config.instanceRevocation === 'instance') {
    const revoke = instanceRevocationStep(
      role,
      instanceId,
      facts_,
      request.incidentId,
      now,
      config,
    );
    const notes = [...instanceNotes(role.name, instanceId), ...revoke.notes];
    return { decision: 'act', principal, steps: [revoke.step], notes, ...revoke.alert };
  }
  const notes = [
    `Every session of role ${role.name} issued before the cutoff is denied, including those of workloads that use the role ` +
      '(EC2 instances, Lambda functions, CI pipelines): they must fetch new credentials.',
    instanceId
      ? `The session name ${instanceId} is an EC2 instance id: the instance's role credentials were used; investigate that instance. ` +
        'INSTANCE_REVOCATION=role: the whole role was revoked rather than that instance only.'
      : `The session${target.sessionName ? ` ${target.sessionName}` : ''} is not an EC2 instance's: whoever holds the credentials that assumed the role ` +
        'can assume it again under another session name, so every session of the role is revoked. Contain that source principal next.',
  ];
  const revoke = revocationStep('role', role, facts_, request.incidentId, now, config);
  notes.push(...revoke.notes);
  return { decision: 'act', principal, steps: [revoke.step], notes, ...revoke.alert };
}

/** What the report says of an instance-scoped revocation, and what a person does next. */
function instanceNotes(roleName: string, instanceId: string): string[] {
  return [
    `Only the credentials of EC2 instance ${instanceId} issued before the cutoff are denied (role ${roleName}, ` +
      `policy ${INSTANCE_POLICY_NAME}). The role's other instances and sessions were left alone: the finding names ` +
      "this instance's credentials, and revoking the whole role would take every instance behind it down with them " +
      '(INSTANCE_REVOCATION=role does that instead).',
    `The instance receives new credentials and they keep working: if the instance itself is compromised, isolate it (a security group with no rules, or stop it), ` +
      'rotate the secrets and data it could reach, require IMDSv2 on it (http-tokens required, hop limit 1), and find how the credentials left it.',
  ];
}
