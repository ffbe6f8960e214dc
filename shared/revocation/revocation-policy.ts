import { digest } from '../digest';
import { type RevocationStatement, readPolicy } from './recognise-statements';

export type { RevocationStatement } from './recognise-statements';

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

export const POLICY_NAMES = [REVOCATION_POLICY_NAME, OWNED_POLICY_NAME] as const;
export type RevocationPolicyName = (typeof POLICY_NAMES)[number];

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
  Condition: { DateLessThan: { 'aws:TokenIssueTime': string } };
}

export function responderStatement(incidentId: string, cutoff: string): ResponderStatement {
  return {
    Sid: incidentSid(incidentId),
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } },
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
export function readRevocationPolicy(raw: string | undefined): ExistingRevocation {
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
  const read = readPolicy(document);
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
 */
export function documentWith(
  existing: ExistingRevocation,
  incidentId: string,
  cutoff: string,
  now: Date,
  kind: 'user' | 'role',
): RevocationPolicy {
  const sid = incidentSid(incidentId);
  const stale = now.getTime() - MAX_SESSION_HOURS[kind] * 3_600_000;
  const kept = statementsOf(existing).filter(
    (s) => s.by === 'person' || (s.sid !== sid && s.cutoff.getTime() >= stale),
  );
  return policyOf([...kept.map((s) => s.statement), responderStatement(incidentId, cutoff)]);
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
