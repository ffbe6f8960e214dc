import { revokeRoleSessions, revokeUserSessions } from '../actions/revoke-sessions';
import type { Config } from '../config';
import type { RoleFacts, UserFacts } from '../resolve/facts';
import {
  documentWith,
  type ExistingRevocation,
  formatCutoff,
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
 * now: then nothing is written (a cutoff never moves earlier).
 */
export function revocationStep(
  kind: 'user' | 'role',
  name: string,
  facts: Pick<UserFacts | RoleFacts, 'existing' | 'owned'>,
  incidentId: string,
  now: Date,
  config: Pick<Config, 'revocationMarginSeconds'>,
): { step: PlannedStep; notes: string[]; alert?: { alert: string } } {
  const tampered = facts.existing.kind === 'unrecognised' ? facts.existing : undefined;
  const policyName: RevocationPolicyName = tampered ? OWNED_POLICY_NAME : REVOCATION_POLICY_NAME;
  const existing: ExistingRevocation = tampered ? ownedOrFresh(facts.owned) : facts.existing;
  const covering =
    existing.kind === 'cutoff' && existing.cutoff.getTime() >= now.getTime()
      ? formatCutoff(existing.cutoff)
      : undefined;
  const cutoff =
    covering ?? formatCutoff(new Date(now.getTime() + config.revocationMarginSeconds * 1000));
  const action = kind === 'user' ? revokeUserSessions : revokeRoleSessions;
  const step = planStep(
    action,
    {
      name,
      policyName,
      cutoff,
      mustCover: now.toISOString(),
      document: documentWith(existing, incidentId, cutoff, now, kind),
    },
    {
      alreadyInPlace: covering
        ? `existing cutoff ${covering} already covers sessions issued up to now`
        : undefined,
    },
  );
  if (!tampered) return { step, notes: [] };
  const alert =
    `${kind} ${name}'s ${REVOCATION_POLICY_NAME} is not a session revocation (${tampered.problem}): ` +
    `it may have been planted to block containment; the responder revoked through ${OWNED_POLICY_NAME} instead`;
  return {
    step,
    alert: { alert },
    notes: [
      `TAMPERING? ${alert}. A person must review the document (evidence.revocationPolicyBefore), find who wrote it (CloudTrail Put${kind === 'user' ? 'User' : 'Role'}Policy) and remove it.`,
    ],
  };
}

/** The responder's own policy as read; one that is itself not a revocation is the responder's to overwrite. */
function ownedOrFresh(owned: ExistingRevocation | undefined): ExistingRevocation {
  return owned?.kind === 'cutoff' ? owned : { kind: 'none' };
}
