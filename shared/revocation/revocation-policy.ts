import { digest } from '../digest';
import { type RevocationStatement, readPolicy, type StatementScope } from './recognise-statements';

export type { RevocationStatement, StatementScope } from './recognise-statements';

/**
 * The session-revocation policy AWS itself uses ("Revoke active sessions" in the IAM console):
 * Deny everything to credentials whose token was issued before a cutoff. `aws:TokenIssueTime`
 * exists only for temporary credentials, so long-term keys and sessions issued after the cutoff
 * keep working.
 */
export const REVOCATION_POLICY_NAME = 'AWSRevokeOlderSessions';

/**
 * Where the responder revokes when `AWSRevokeOlderSessions` holds something that is not a
 * revocation (planted to block containment, or hand-written with extra conditions): the planted
 * document stays as evidence for a person, and the revocation still takes effect.
 */
export const OWNED_POLICY_NAME = 'CredentialResponderRevokeOlderSessions';

/**
 * The responder's own policy of instance-scoped revocations on a role: one statement per
 * instance whose credentials were stolen (see recognise-statements.ts). Not `AWSRevokeOlderSessions`,
 * which the console's "Revoke active sessions" rewrites whole.
 */
export const INSTANCE_POLICY_NAME = 'CredentialResponderRevokeInstanceSessions';

export const POLICY_NAMES = [
  REVOCATION_POLICY_NAME,
  OWNED_POLICY_NAME,
  INSTANCE_POLICY_NAME,
] as const;
export type RevocationPolicyName = (typeof POLICY_NAMES)[number];

/** Which statements a policy of the responder's may hold. */
export function scopeOf(policyName: RevocationPolicyName): StatementScope {
  return policyName === INSTANCE_POLICY_NAME ? 'instance' : 'role';
}

/**
 * Every statement the responder writes carries `Sid` = this prefix + a digest of its incident id:
 * the policy itself records which incident wrote which cutoff (proof for `release`, at no extra
 * IAM write). The console's "Revoke active sessions" writes no Sid.
 */
export const RESPONDER_SID_PREFIX = 'CredentialResponder';

/**
 * How long a revocation can still matter: sessions issued before its cutoff have all expired
 * this long after it. Role sessions last at most 12 h; a user's session tokens and federation
 * tokens 36 h.
 */
export const MAX_SESSION_HOURS = { role: 12, user: 36 } as const;

export function incidentSid(incidentId: string): string {
  return `${RESPONDER_SID_PREFIX}${digest(incidentId, 16)}`;
}

/** UTC ISO-8601 to the second, ending in `Z`, rounded *up* so the cutoff never lands early. */
export function formatCutoff(time: Date): string {
  const ceiled = new Date(Math.ceil(time.getTime() / 1000) * 1000);
  return ceiled.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface ResponderStatement {
  Sid: string;
  Effect: 'Deny';
  Action: '*';
  Resource: '*';
  Condition: {
    StringEquals?: { 'aws:userid': string };
    DateLessThan: { 'aws:TokenIssueTime': string };
  };
}

/** `userId`: deny only the credentials of that `aws:userid` (one EC2 instance of a role). */
export function responderStatement(
  incidentId: string,
  cutoff: string,
  userId?: string,
): ResponderStatement {
  return {
    Sid: incidentSid(incidentId),
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: {
      ...(userId ? { StringEquals: { 'aws:userid': userId } } : {}),
      DateLessThan: { 'aws:TokenIssueTime': cutoff },
    },
  };
}

export interface RevocationPolicy {
  Version: '2012-10-17';
  Statement: unknown[];
}

export function policyOf(statements: unknown[]): RevocationPolicy {
  return { Version: '2012-10-17', Statement: statements };
}

/** A policy with one statement of the responder's: what a first containment writes. */
export function revocationPolicy(cutoff: string, incidentId = 'example'): RevocationPolicy {
  return policyOf([responderStatement(incidentId, cutoff)]);
}

export type ExistingRevocation =
  | { kind: 'none' }
  /** Every statement is a revocation the responder recognises; `cutoff` is the latest. */
  | { kind: 'cutoff'; cutoff: Date; statements: RevocationStatement[]; document: string }
  /** Anything else under the name: never read as a revocation, never claimed, never rewritten. */
  | { kind: 'unrecognised'; document: string; problem: string };

/**
 * Reads an existing revocation policy. IAM returns inline policy documents URL-encoded
 * (RFC 3986); some endpoints return them plain, so both are accepted. Only two statement shapes
 * are recognised (see recognise-statements.ts): anything else makes the whole policy
 * `unrecognised`, because one extra condition can make a deny deny nothing.
 */
export function readRevocationPolicy(
  raw: string | undefined,
  scope: StatementScope = 'role',
): ExistingRevocation {
  if (raw === undefined) return { kind: 'none' };
  let document = raw;
  try {
    if (raw.trimStart().startsWith('%')) document = decodeURIComponent(raw);
  } catch {
    return {
      kind: 'unrecognised',
      document: raw,
      problem: 'policy document is not valid URL encoding',
    };
  }
  const read = readPolicy(document, scope);
  if ('problem' in read) return { kind: 'unrecognised', document, problem: read.problem };
  const latest = Math.max(...read.statements.map((s) => s.cutoff.getTime()));
  return { kind: 'cutoff', cutoff: new Date(latest), statements: read.statements, document };
}

/** The statements of an existing revocation, or none. */
export function statementsOf(existing: ExistingRevocation): RevocationStatement[] {
  return existing.kind === 'cutoff' ? existing.statements : [];
}

/**
 * The document a containment writes: every statement a person wrote, kept as it was; the
 * responder's earlier statements that can still matter (see MAX_SESSION_HOURS), so releasing one
 * incident never undoes another; and this incident's statement (replacing its own earlier one).
 * An instance statement (`userId`) replaces every earlier one for the same instance: one
 * statement per instance, with its latest cutoff (the planner only writes a later one).
 */
export function documentWith(
  existing: ExistingRevocation,
  incidentId: string,
  cutoff: string,
  now: Date,
  kind: 'user' | 'role',
  userId?: string,
): RevocationPolicy {
  const sid = incidentSid(incidentId);
  const stale = now.getTime() - MAX_SESSION_HOURS[kind] * 3_600_000;
  const kept = statementsOf(existing).filter(
    (s) =>
      s.by === 'person' ||
      (s.sid !== sid &&
        s.cutoff.getTime() >= stale &&
        (userId === undefined || s.userId !== userId)),
  );
  const ours = responderStatement(incidentId, cutoff, userId);
  return policyOf([...kept.map((s) => s.statement), ours]);
}

/** The latest cutoff among these statements that covers `userId` (role-wide ones cover all). */
export function coveringCutoff(existing: ExistingRevocation, userId?: string): Date | undefined {
  const times = statementsOf(existing)
    .filter((s) => s.userId === undefined || s.userId === userId)
    .map((s) => s.cutoff.getTime());
  return times.length > 0 ? new Date(Math.max(...times)) : undefined;
}

/** The document left when one incident's statements are taken out; undefined when nothing is left. */
export function documentWithout(
  existing: ExistingRevocation,
  incidentId: string,
): RevocationPolicy | undefined {
  const sid = incidentSid(incidentId);
  const rest = statementsOf(existing).filter((s) => s.sid !== sid || s.by === 'person');
  return rest.length > 0 ? policyOf(rest.map((s) => s.statement)) : undefined;
}
