import {
  type ManagedRevocationParams,
  revokeRoleSessionsByManagedPolicy,
  revokeUserSessionsByManagedPolicy,
} from '../actions/revoke-by-managed-policy';
import { revokeRoleSessions, revokeUserSessions } from '../actions/revoke-sessions';
import type { Config } from '../config';
import type { RoleFacts, UserFacts } from '../resolve/facts';
import {
  coveringCutoff,
  documentWith,
  type ExistingRevocation,
  formatCutoff,
  INSTANCE_POLICY_NAME,
  OWNED_POLICY_NAME,
  REVOCATION_POLICY_NAME,
  type RevocationPolicyName,
} from '../revocation/revocation-policy';
import { type PlannedStep, planStep } from './plan';

/**
 * The revocation for one principal. It goes in `AWSRevokeOlderSessions`, merged with what is
 * there (a person's statements and other incidents' stay, so each can be released alone). When
 * that policy holds anything but recognised revocations, it was planted or hand-written: the
 * responder never trusts it, never overwrites it, and revokes through its own policy instead, with
 * an alert in the report. A cutoff still in the future already denies every session issued up to
 * now: then nothing is written (a cutoff never moves earlier). `lastIssuable` is the last moment a
 * session that matters can have been issued (a deactivated key mints none after its
 * deactivation): a cutoff at or after it covers them all, future or not.
 */
export function revocationStep(
  kind: 'user' | 'role',
  { name, arn }: { name: string; arn: string },
  facts: Pick<UserFacts | RoleFacts, 'existing' | 'owned'>,
  incidentId: string,
  now: Date,
  config: Pick<Config, 'revocationMarginSeconds'>,
  lastIssuable?: Date,
): StepWithNotes {
  const tampered = facts.existing.kind === 'unrecognised' ? facts.existing : undefined;
  const policyName: RevocationPolicyName = tampered ? OWNED_POLICY_NAME : REVOCATION_POLICY_NAME;
  const existing: ExistingRevocation = tampered ? ownedOrFresh(facts.owned) : facts.existing;
  const needed = lastIssuable && lastIssuable < now ? lastIssuable : now;
  const covering =
    existing.kind === 'cutoff' && existing.cutoff.getTime() >= needed.getTime()
      ? formatCutoff(existing.cutoff)
      : undefined;
  const cutoff =
    covering ?? formatCutoff(new Date(now.getTime() + config.revocationMarginSeconds * 1000));
  const action = kind === 'user' ? revokeUserSessions : revokeRoleSessions;
  const mustCover = now.toISOString();
  const step = planStep(
    action,
    {
      name,
      policyName,
      cutoff,
      mustCover,
      document: documentWith(existing, incidentId, cutoff, now, kind),
    },
    {
      alreadyInPlace: covering
        ? needed === now
          ? `existing cutoff ${covering} already covers sessions issued up to now`
          : `existing cutoff ${covering} covers every session issued before the key was deactivated (${formatCutoff(needed)})`
        : undefined,
      fallback: managedFallback(kind, { name, principalArn: arn, incidentId, cutoff, mustCover }),
    },
  );
  if (!tampered) return { step, notes: [] };
  return { step, ...tampering(kind, name, tampered.problem, OWNED_POLICY_NAME) };
}

type StepWithNotes = { step: PlannedStep; notes: string[]; alert?: { alert: string } };

/**
 * One EC2 instance's stolen role credentials: deny only `aws:userid` `<role id>:<instance id>`
 * issued before the cutoff, in the responder's instance policy (one statement per instance). The
 * role's other instances keep working, and so does this instance once EC2 hands it new
 * credentials (at least 5 minutes before the old ones expire). A role-wide cutoff still in the
 * future, or this instance's own, already covers it: nothing is written.
 */
export function instanceRevocationStep(
  role: { name: string; arn: string; roleId: string },
  instanceId: string,
  facts: Pick<RoleFacts, 'existing' | 'owned' | 'instance'>,
  incidentId: string,
  now: Date,
  config: Pick<Config, 'revocationMarginSeconds'>,
): StepWithNotes {
  const userId = `${role.roleId}:${instanceId}`;
  const tampered = facts.existing.kind === 'unrecognised' ? facts.existing : undefined;
  const roleWide = tampered ? ownedOrFresh(facts.owned) : facts.existing;
  const instance = ownedOrFresh(facts.instance);
  const times = [coveringCutoff(roleWide), coveringCutoff(instance, userId)]
    .filter((d): d is Date => d !== undefined && d.getTime() >= now.getTime())
    .map((d) => d.getTime());
  const covering = times.length > 0 ? formatCutoff(new Date(Math.max(...times))) : undefined;
  const cutoff =
    covering ?? formatCutoff(new Date(now.getTime() + config.revocationMarginSeconds * 1000));
  const mustCover = now.toISOString();
  const step = planStep(
    revokeRoleSessions,
    {
      name: role.name,
      policyName: INSTANCE_POLICY_NAME,
      cutoff,
      mustCover,
      document: documentWith(instance, incidentId, cutoff, now, 'role', userId),
      userId,
    },
    {
      alreadyInPlace: covering
        ? `existing cutoff ${covering} already covers the credentials of ${instanceId} issued up to now`
        : undefined,
      fallback: managedFallback('role', {
        name: role.name,
        principalArn: role.arn,
        incidentId,
        cutoff,
        mustCover,
        userId,
      }),
    },
  );
  if (!tampered) return { step, notes: [] };
  return { step, ...tampering('role', role.name, tampered.problem, INSTANCE_POLICY_NAME) };
}

function tampering(
  kind: 'user' | 'role',
  name: string,
  problem: string,
  revokedThrough: string,
): Omit<StepWithNotes, 'step'> {
  const alert =
    `${kind} ${name}'s ${REVOCATION_POLICY_NAME} is not a session revocation (${problem}): ` +
    `it may have been planted to block containment; the responder revoked through ${revokedThrough} instead`;
  return {
    alert: { alert },
    notes: [
      `TAMPERING? ${alert}. A person must review the document (evidence.revocationPolicyBefore), find who wrote it (CloudTrail Put${kind === 'user' ? 'User' : 'Role'}Policy) and remove it.`,
    ],
  };
}

/** The same revocation through a managed policy, should the inline-policy space be full. */
function managedFallback(kind: 'user' | 'role', params: ManagedRevocationParams): PlannedStep {
  const action =
    kind === 'user' ? revokeUserSessionsByManagedPolicy : revokeRoleSessionsByManagedPolicy;
  return planStep(action, params);
}

/** The responder's own policy as read; one it cannot read is the responder's to overwrite. */
function ownedOrFresh(owned: ExistingRevocation | undefined): ExistingRevocation {
  return owned?.kind === 'cutoff' ? owned : { kind: 'none' };
}
