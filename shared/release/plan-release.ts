import { markPrincipal, TAG } from '../actions/mark-principal';
import {
  removeRoleSessionRevocation,
  removeUserSessionRevocation,
} from '../actions/remove-session-revocation';
import { reactivateAccessKey } from '../actions/set-access-key-status';
import { unmarkPrincipal } from '../actions/unmark-principal';
import { type PlannedStep, planStep } from '../plan/plan';
import type { PrincipalRecord } from '../report/report';
import type { RoleFacts, Tags, UserFacts } from '../resolve/facts';
import type { ExistingRevocation } from '../revocation/revocation-policy';

export type ReleasePlan =
  | { decision: 'act'; principal: PrincipalRecord; steps: PlannedStep[]; notes: string[] }
  | { decision: 'refuse'; principal: PrincipalRecord | null; reason: string };

const RESPONDER_TAGS = [TAG.incident, TAG.containedAt, TAG.deactivatedKeys, TAG.cutoff];

/**
 * What to undo, from the responder's own records (pure): the tags on a user whose key it
 * deactivated, and the `Sid` of a revocation policy it wrote. Only what they say the responder did
 * is undone, and only while it is still as the responder left it; `force` overrides both checks.
 */
export function planRelease(
  facts: UserFacts | RoleFacts,
  accessKeyId: string | undefined,
  force: boolean,
): ReleasePlan {
  const subject = facts.kind === 'user' ? facts.user : facts.role;
  if (subject === 'not-found')
    return { decision: 'refuse', principal: null, reason: `the ${facts.kind} does not exist` };
  const kind = facts.kind;
  const principal = {
    type: kind === 'user' ? 'IAMUser' : 'AssumedRole',
    name: subject.name,
    arn: subject.arn,
  };
  const refuse = (reason: string): ReleasePlan => ({
    decision: 'refuse',
    principal,
    reason: `${reason}: nothing changed ("force": true overrides)`,
  });
  const tags = subject.tags;
  const revokedByResponder = facts.existing.kind === 'cutoff' && facts.existing.byResponder;
  if (!force && !revokedByResponder && !RESPONDER_TAGS.some((t) => t in tags)) {
    return refuse(
      `${kind} ${subject.name} carries no ${TAG.incident} tag and no session revocation the responder wrote: the responder did not contain it`,
    );
  }

  const steps: PlannedStep[] = [];
  const notes: string[] = [];
  const listed = (tags[TAG.deactivatedKeys] ?? '').split(' ').filter(Boolean);
  const remaining = listed.filter((k) => k !== accessKeyId);
  if (facts.kind === 'user' && accessKeyId) {
    if (!listed.includes(accessKeyId) && !force) {
      return refuse(
        `the responder did not deactivate key ${accessKeyId} (${TAG.deactivatedKeys} does not list it)`,
      );
    }
    const active = facts.keyStatus === 'Active' ? 'the key is already Active' : undefined;
    steps.push(
      planStep(
        reactivateAccessKey,
        { userName: subject.name, accessKeyId },
        { alreadyInPlace: active },
      ),
    );
  }

  if (remaining.length > 0) {
    // Other keys of this user stay deactivated, and so does the sessions revocation.
    notes.push(
      `Keys ${remaining.join(', ')} stay deactivated; the session revocation of ${subject.name} stays too.`,
    );
    steps.push(
      planStep(
        markPrincipal,
        { name: subject.name, tags: { [TAG.deactivatedKeys]: remaining.join(' ') } },
        { phase: 'mark' },
      ),
    );
    return { decision: 'act', principal, steps, notes };
  }

  const revocation = revocationStep(kind, subject.name, facts.existing, tags, force);
  if (revocation.refuse) return refuse(revocation.refuse);
  if (revocation.step) steps.push(revocation.step);
  if (revocation.note) notes.push(revocation.note);
  const present = RESPONDER_TAGS.filter((t) => t in tags);
  if (present.length > 0)
    steps.push(
      planStep(unmarkPrincipal, { name: subject.name, tagKeys: present }, { phase: 'mark' }),
    );
  return { decision: 'act', principal, steps, notes };
}

function revocationStep(
  kind: 'user' | 'role',
  name: string,
  existing: ExistingRevocation,
  tags: Tags,
  force: boolean,
): { step?: PlannedStep; refuse?: string; note?: string } {
  const action = kind === 'user' ? removeUserSessionRevocation : removeRoleSessionRevocation;
  const written = tags[TAG.cutoff];
  if (existing.kind === 'none') {
    return written
      ? { step: planStep(action, { name }, { alreadyInPlace: 'the policy is already gone' }) }
      : {};
  }
  if (existing.kind === 'cutoff' && existing.byResponder)
    return { step: planStep(action, { name }) };
  if (force) return { step: planStep(action, { name }) };
  if (written) {
    return {
      refuse: `${kind} ${name}'s AWSRevokeOlderSessions changed since the responder wrote it (cutoff ${written}): someone else revoked its sessions`,
    };
  }
  return {
    note: `The AWSRevokeOlderSessions policy on ${name} was not written by the responder and stays.`,
  };
}
