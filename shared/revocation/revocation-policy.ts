/**
 * The session-revocation policy AWS itself uses ("Revoke active sessions" in the IAM console):
 * Deny everything to credentials whose token was issued before a cutoff. `aws:TokenIssueTime`
 * exists only for temporary credentials, so long-term keys and sessions issued after the cutoff
 * keep working.
 */
export const REVOCATION_POLICY_NAME = 'AWSRevokeOlderSessions';

/**
 * The statement id the responder writes. It proves, in the policy itself, that the responder wrote
 * this revocation: the console's "Revoke active sessions" rewrites the policy without it, so a
 * revocation a person set later is never mistaken for the responder's. Costs no extra IAM write.
 */
export const RESPONDER_SID = 'CredentialResponder';

export interface PolicyStatement {
  Sid: typeof RESPONDER_SID;
  Effect: 'Deny';
  Action: '*';
  Resource: '*';
  Condition: { DateLessThan: { 'aws:TokenIssueTime': string } };
}

export interface RevocationPolicy {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** UTC ISO-8601 to the second, ending in `Z`, rounded *up* so the cutoff never lands early. */
export function formatCutoff(time: Date): string {
  const ceiled = new Date(Math.ceil(time.getTime() / 1000) * 1000);
  return ceiled.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function revocationPolicy(cutoff: string): RevocationPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: RESPONDER_SID,
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } },
      },
    ],
  };
}

export type ExistingRevocation =
  | { kind: 'none' }
  /** `byResponder`: every statement carries the responder's `Sid` (it wrote this policy). */
  | { kind: 'cutoff'; cutoff: Date; document: string; byResponder: boolean }
  /** A policy with our name that we cannot read as a revocation: never overwritten blindly. */
  | { kind: 'unrecognised'; document: string; problem: string };

/**
 * Reads the cutoff of an existing revocation policy. IAM returns inline policy documents
 * URL-encoded (RFC 3986); some endpoints return them plain, so both are accepted. The console
 * writes `Action` and `Resource` as one-element arrays; that form is accepted too. With several
 * statements, the latest cutoff counts.
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return { kind: 'unrecognised', document, problem: 'policy document is not JSON' };
  }
  const statements = statementsOf(parsed);
  if (!statements || statements.length === 0) {
    return { kind: 'unrecognised', document, problem: 'policy has no statements' };
  }
  let latest: Date | undefined;
  let byResponder = true;
  for (const statement of statements) {
    const cutoff = cutoffOf(statement);
    if (!cutoff) {
      return {
        kind: 'unrecognised',
        document,
        problem: 'a statement is not a Deny * before aws:TokenIssueTime',
      };
    }
    if (!latest || cutoff > latest) latest = cutoff;
    byResponder &&= (statement as { Sid?: unknown }).Sid === RESPONDER_SID;
  }
  return latest ? { kind: 'cutoff', cutoff: latest, document, byResponder } : { kind: 'none' };
}

function statementsOf(policy: unknown): unknown[] | undefined {
  if (typeof policy !== 'object' || policy === null) return undefined;
  const statement = (policy as { Statement?: unknown }).Statement;
  if (Array.isArray(statement)) return statement;
  return statement && typeof statement === 'object' ? [statement] : undefined;
}

function isStar(value: unknown): boolean {
  return value === '*' || (Array.isArray(value) && value.length === 1 && value[0] === '*');
}

function cutoffOf(statement: unknown): Date | undefined {
  if (typeof statement !== 'object' || statement === null) return undefined;
  const s = statement as Record<string, unknown>;
  if (s.Effect !== 'Deny' || !isStar(s.Action) || !isStar(s.Resource)) return undefined;
  const condition = s.Condition as { DateLessThan?: Record<string, unknown> } | undefined;
  const value = condition?.DateLessThan?.['aws:TokenIssueTime'];
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
