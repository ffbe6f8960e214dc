/**
 * The only revocation statements the responder recognises. Conditions in one statement are ANDed,
 * so a single extra condition (`StringEquals aws:PrincipalTag/never`), a `NotAction`, a
 * `Principal` or a second date key can make a statement deny nothing while it still *looks* like a
 * revocation. Exact shapes only; everything else is somebody's policy the responder does not
 * understand, never "already contained".
 *
 * - the responder's own: `Sid` `CredentialResponder` + 16 hex digits, `Effect` Deny, `Action` and
 *   `Resource` "*", `Condition` exactly `{DateLessThan: {aws:TokenIssueTime: <ISO date>}}`;
 * - a person's (the IAM console's "Revoke active sessions", or the same written by hand): the
 *   same, with `Action`/`Resource` "*" or ["*"] and any other `Sid` or none;
 * - in the responder's instance policy only (`scope: 'instance'`), the responder's statement
 *   scoped to one instance's credentials: its `Condition` is exactly that date plus
 *   `{StringEquals: {aws:userid: "<role id>:<instance id>"}}`. Everywhere else such a statement is
 *   unrecognised: it denies far less than a role-wide revocation.
 */
export type StatementScope = 'role' | 'instance';
export interface RevocationStatement {
  by: 'responder' | 'person';
  /** The statement id, if any (the responder's carries its incident's digest). */
  sid?: string;
  cutoff: Date;
  /** An instance statement: the `aws:userid` (`<role id>:<instance id>`) it denies. */
  userId?: string;
  /** The statement as it was read, to write back unchanged. */
  statement: Record<string, unknown>;
}

const RESPONDER_SID = /^CredentialResponder[0-9a-f]{16}$/;
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'Resource', 'Condition']);
const POLICY_KEYS = new Set(['Version', 'Id', 'Statement']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
/** ISO 8601 with a time and a zone, as IAM's date condition operators take it. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** `aws:userid` of an EC2 instance's role credentials: the role id, then the instance id. */
export const INSTANCE_USER_ID = /^AROA[A-Z0-9]{16,}:i-[0-9a-f]{8,17}$/;

export function readPolicy(
  document: string,
  scope: StatementScope = 'role',
): { statements: RevocationStatement[] } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return { problem: 'policy document is not JSON' };
  }
  if (!isObject(parsed)) return { problem: 'policy document is not a JSON object' };
  if (Object.keys(parsed).some((k) => !POLICY_KEYS.has(k))) {
    return { problem: 'policy has fields other than Version, Id and Statement' };
  }
  if (parsed.Version !== undefined && !VERSIONS.has(parsed.Version as string)) {
    return { problem: 'policy has an unknown Version' };
  }
  const raw = parsed.Statement;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : [];
  if (list.length === 0) return { problem: 'policy has no statements' };
  const statements: RevocationStatement[] = [];
  for (const statement of list) {
    const recognised = scope === 'role' ? recognise(statement) : recogniseInstance(statement);
    if (!recognised) {
      return {
        problem:
          scope === 'role'
            ? 'a statement is not exactly "Deny * on * when aws:TokenIssueTime is before a date" (extra or missing conditions, fields or values)'
            : "a statement is not the responder's instance revocation",
      };
    }
    statements.push(recognised);
  }
  return { statements };
}

function recognise(statement: unknown): RevocationStatement | undefined {
  if (!isObject(statement)) return undefined;
  if (Object.keys(statement).some((k) => !STATEMENT_KEYS.has(k))) return undefined;
  const { Sid, Effect, Action, Resource, Condition } = statement;
  if (Sid !== undefined && typeof Sid !== 'string') return undefined;
  if (Effect !== 'Deny' || !isStar(Action) || !isStar(Resource)) return undefined;
  const cutoff = onlyTokenIssueTimeBefore(Condition);
  if (!cutoff) return undefined;
  const responder = Sid !== undefined && RESPONDER_SID.test(Sid);
  // The responder writes plain "*"; an array form under its Sid is not its own statement.
  if (responder && (Action !== '*' || Resource !== '*')) return undefined;
  return {
    by: responder ? 'responder' : 'person',
    ...(Sid !== undefined ? { sid: Sid } : {}),
    cutoff,
    statement,
  };
}

function recogniseInstance(statement: unknown): RevocationStatement | undefined {
  if (!isObject(statement)) return undefined;
  if (Object.keys(statement).some((k) => !STATEMENT_KEYS.has(k))) return undefined;
  const { Sid, Effect, Action, Resource, Condition } = statement;
  if (typeof Sid !== 'string' || !RESPONDER_SID.test(Sid)) return undefined;
  if (Effect !== 'Deny' || Action !== '*' || Resource !== '*' || !isObject(Condition))
    return undefined;
  const { StringEquals, ...rest } = Condition;
  if (!isObject(StringEquals)) return undefined;
  const names = Object.keys(StringEquals);
  const userId = StringEquals['aws:userid'];
  if (names.length !== 1 || typeof userId !== 'string' || !INSTANCE_USER_ID.test(userId)) {
    return undefined;
  }
  const cutoff = onlyTokenIssueTimeBefore(rest);
  return cutoff ? { by: 'responder', sid: Sid, cutoff, userId, statement } : undefined;
}

/** `{DateLessThan: {aws:TokenIssueTime: "<ISO date>"}}` and nothing else. */
function onlyTokenIssueTimeBefore(condition: unknown): Date | undefined {
  if (!isObject(condition)) return undefined;
  const operators = Object.keys(condition);
  if (operators.length !== 1 || operators[0] !== 'DateLessThan') return undefined;
  const keys = condition.DateLessThan;
  if (!isObject(keys)) return undefined;
  const names = Object.keys(keys);
  if (names.length !== 1 || names[0] !== 'aws:TokenIssueTime') return undefined;
  const value = keys['aws:TokenIssueTime'];
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isStar(value: unknown): boolean {
  return value === '*' || (Array.isArray(value) && value.length === 1 && value[0] === '*');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
