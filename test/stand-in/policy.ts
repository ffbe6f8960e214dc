/** Just enough policy reading for what the stand-in enforces: JSON validity, trust, size. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A policy document must at least be a JSON object. */
export function parsePolicy(document: string): JsonObject | undefined {
  try {
    const parsed: Json = JSON.parse(document);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** IAM's size quotas do not count white space. */
export function policySize(document: string): number {
  return document.replace(/\s/g, '').length;
}

function actionMatches(pattern: Json, action: string): boolean {
  if (typeof pattern !== 'string') return false;
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(action);
}

function statementCovers(statement: JsonObject, action: string): boolean {
  if (statement.Action !== undefined)
    return asArray(statement.Action).some((p) => actionMatches(p, action));
  if (statement.NotAction !== undefined) {
    return !asArray(statement.NotAction).some((p) => actionMatches(p, action));
  }
  return false;
}

/** `StringEquals: { "sts:ExternalId": … }` (condition keys are case-insensitive). */
function externalIdSatisfied(condition: Json | undefined, externalId: string | undefined): boolean {
  if (!isObject(condition)) return true;
  const equals = condition.StringEquals;
  if (!isObject(equals)) return true;
  const entry = Object.entries(equals).find(([key]) => key.toLowerCase() === 'sts:externalid');
  if (!entry) return true;
  return externalId !== undefined && asArray(entry[1]).includes(externalId);
}

/**
 * Whether a role's trust policy lets a caller assume it. Principals are not checked (the
 * stand-in enforces no permissions); the action and an ExternalId condition are.
 */
export function trustAllows(document: string, externalId: string | undefined): boolean {
  const policy = parsePolicy(document);
  return asArray(policy?.Statement).some(
    (statement) =>
      isObject(statement) &&
      statement.Effect === 'Allow' &&
      statementCovers(statement, 'sts:AssumeRole') &&
      externalIdSatisfied(statement.Condition, externalId),
  );
}
