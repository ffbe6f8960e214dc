import { clearDeactivationRecord } from '../actions/record-deactivation';
import {
  restoreRoleManagedRevocation,
  restoreUserManagedRevocation,
} from '../actions/restore-managed-revocation';
import {
  restoreRoleSessionRevocation,
  restoreUserSessionRevocation,
} from '../actions/restore-session-revocation';
import { reactivateAccessKey } from '../actions/set-access-key-status';
import { type PlannedStep, planStep } from '../plan/plan';
import type { PrincipalRecord } from '../report/report';
import type { ManagedRevocation, RoleFacts, UserFacts } from '../resolve/facts';
import {
  documentWithout,
  type ExistingRevocation,
  formatCutoff,
  INSTANCE_POLICY_NAME,
  incidentSid,
  OWNED_POLICY_NAME,
  REVOCATION_POLICY_NAME,
  type RevocationPolicy,
  type RevocationPolicyName,
  statementsOf,
} from '../revocation/revocation-policy';
import { deactivationRecords, deactivationTag } from '../tags';

export type ReleasePlan =
  | { decision: 'act'; principal: PrincipalRecord; steps: PlannedStep[]; notes: string[] }
  | { decision: 'refuse'; principal: PrincipalRecord | null; reason: string };

export interface ReleaseOf {
  /** The incident whose containment is undone: only what its own records show is undone. */
  incidentId: string;
  /** For a user: the key that incident deactivated. */
  accessKeyId?: string;
  force: boolean;
}

/**
 * What to undo, from the responder's own records (pure): the per-key tag naming the incident on a
 * user whose key it deactivated, and the statements carrying the incident's `Sid` in a revocation
 * policy. Nothing else is ever undone: not a key the record does not tie to this incident, never
 * a person's revocation statement (the policy is put back as it was without the incident's
 * statements). Without `force`, a release is refused while a person's revocation newer than the
 * incident's is in place (someone acted on the principal since), and a user's session revocation
 * stays while the responder still holds another of its keys deactivated.
 */
export function planRelease(facts: UserFacts | RoleFacts, of: ReleaseOf): ReleasePlan {
  const subject = facts.kind === 'user' ? facts.user : facts.role;
  if (subject === 'not-found')
    return { decision: 'refuse', principal: null, reason: `the ${facts.kind} does not exist` };
  const kind = facts.kind;
  const principal = {
    type: kind === 'user' ? 'IAMUser' : 'AssumedRole',
    name: subject.name,
    arn: subject.arn,
  };
  const refuse = (reason: string): ReleasePlan => ({ decision: 'refuse', principal, reason });
  const policies = ownStatements(facts, subject.name, of.incidentId);
  const records = facts.kind === 'user' ? deactivationRecords(subject.tags) : new Map();
  const record = of.accessKeyId ? records.get(of.accessKeyId) : undefined;
  if (of.accessKeyId && record?.incidentId !== of.incidentId) {
    const key = of.accessKeyId;
    return refuse(
      record === undefined
        ? `no record that the responder deactivated key ${key} (tag ${deactivationTag(key)}): nothing changed`
        : `key ${key} was deactivated by incident ${record.incidentId}, not ${of.incidentId}: release that incident; nothing changed`,
    );
  }
  if (!of.accessKeyId && policies.length === 0) {
    return refuse(
      `${kind} ${subject.name} carries no session revocation written by incident ${of.incidentId}: nothing to undo`,
    );
  }
  // When the incident acted: its record's time, else its own cutoff (which is a little later).
  const acted = record?.at ?? earliest(policies.map((p) => p.cutoff));
  const newer = acted ? newerPersonCutoff(facts, acted) : undefined;
  if (newer && !of.force) {
    return refuse(
      `a person revoked ${kind} ${subject.name}'s sessions after incident ${of.incidentId} (cutoff ${newer}): ` +
        'check with them first; nothing changed ("force": true undoes this incident\'s own changes anyway; the person\'s revocation stays)',
    );
  }

  const steps: PlannedStep[] = [];
  const notes: string[] = [];
  if (newer) notes.push(`The revocation a person set on ${subject.name} (cutoff ${newer}) stays.`);
  let keepRevocation = false;
  let clear: PlannedStep | undefined;
  if (of.accessKeyId) {
    const key = of.accessKeyId;
    const params = { userName: subject.name, accessKeyId: key };
    const active =
      facts.kind === 'user' && facts.keyStatus === 'Active'
        ? 'the key is already Active'
        : undefined;
    steps.push(planStep(reactivateAccessKey, params, { alreadyInPlace: active }));
    // Cleared last, once the key is Active again: a failed undo keeps its proof for a retry.
    clear = planStep(clearDeactivationRecord, params, { phase: 'after' });
    const others = [...records.keys()].filter((k) => k !== key);
    keepRevocation = others.length > 0 && !of.force;
    if (keepRevocation) {
      notes.push(
        `Keys ${others.join(', ')} of ${subject.name} stay deactivated, and the session revocation stays with them ` +
          '(it stops mattering 36 h after its cutoff; "force": true removes this incident\'s part of it anyway).',
      );
    }
  }

  if (!keepRevocation) {
    for (const { existing, undo } of policies) {
      steps.push(undo(documentWithout(existing, of.incidentId)));
    }
    if (policies.length === 0) {
      notes.push(
        `Incident ${of.incidentId} wrote no session revocation on ${subject.name} (it found one in place, or another incident replaced it): none removed.`,
      );
    }
  }
  if (kind === 'role') {
    notes.push(
      `Findings for role ${subject.name} that reported "already contained" by this revocation are no longer covered: check their reports.`,
    );
  }
  if (clear) steps.push(clear);
  return { decision: 'act', principal, steps, notes };
}

interface OwnStatements {
  existing: ExistingRevocation;
  cutoff: Date;
  /** The step that puts this policy back without the incident's statements (`rest`). */
  undo(rest: RevocationPolicy | undefined): PlannedStep;
}

/**
 * The policies holding statements of this incident, with its latest cutoff in each: the inline
 * ones (`AWSRevokeOlderSessions`, the responder's own, a role's instance policy) and the managed
 * ones the responder attached when the inline space was full.
 */
function ownStatements(
  facts: UserFacts | RoleFacts,
  name: string,
  incidentId: string,
): OwnStatements[] {
  const sid = incidentSid(incidentId);
  const user = facts.kind === 'user';
  const inline = (policyName: RevocationPolicyName, existing: ExistingRevocation | undefined) => ({
    existing,
    undo: (rest: RevocationPolicy | undefined) =>
      planStep(user ? restoreUserSessionRevocation : restoreRoleSessionRevocation, {
        name,
        policyName,
        incidentId,
        ...(rest ? { rest } : {}),
      }),
  });
  const managed = (m: ManagedRevocation) => ({
    existing: m.existing,
    undo: (rest: RevocationPolicy | undefined) =>
      planStep(user ? restoreUserManagedRevocation : restoreRoleManagedRevocation, {
        name,
        arn: m.arn,
        policyName: m.policyName,
        scope: m.scope,
        incidentId,
        ...(rest ? { rest } : {}),
      }),
  });
  const candidates = [
    inline(REVOCATION_POLICY_NAME, facts.existing),
    inline(OWNED_POLICY_NAME, facts.owned),
    inline(INSTANCE_POLICY_NAME, facts.kind === 'role' ? facts.instance : undefined),
    ...(facts.managed ?? []).map(managed),
  ];
  return candidates.flatMap(({ existing, undo }) => {
    const ours = existing ? statementsOf(existing).filter((s) => s.sid === sid) : [];
    if (!existing || ours.length === 0) return [];
    return [{ existing, undo, cutoff: new Date(Math.max(...ours.map((s) => s.cutoff.getTime()))) }];
  });
}

function earliest(dates: Date[]): Date | undefined {
  return dates.length > 0 ? new Date(Math.min(...dates.map((d) => d.getTime()))) : undefined;
}

/**
 * A person's cutoff later than the moment the incident acted, formatted; undefined if none. Such a
 * cutoff was set after the incident, or so shortly before it that the incident found it in place:
 * either way a person was revoking this principal too.
 */
function newerPersonCutoff(facts: UserFacts | RoleFacts, acted: Date): string | undefined {
  const persons = [facts.existing, facts.owned]
    .flatMap((e) => (e ? statementsOf(e) : []))
    .filter((s) => s.by === 'person' && s.cutoff.getTime() > acted.getTime());
  const latest = Math.max(...persons.map((s) => s.cutoff.getTime()));
  return persons.length > 0 ? formatCutoff(new Date(latest)) : undefined;
}
