import { createHash } from 'node:crypto';
import type { Caller } from './auth';
import { isObject, type Json, type JsonObject } from './cloudtrail-records';
import { badRequest, invalidInput } from './guardduty-protocol';
import type { Detector, StandInState } from './state';

/** GuardDuty `GetFindings` over findings seeded through `standInAdmin`; the wire is in
 * guardduty-protocol.ts. */

/** The region admin calls mean when they name none: the one every test and the demo sign for. */
export const DEFAULT_REGION = 'us-east-1';

/** GetFindings takes at most this many ids (GuardDuty's `FindingIds` list constraint). */
const MAX_FINDING_IDS = 50;

/** 32 lowercase hex characters like a real detector id, stable per account and region. */
const detectorIdOf = (accountId: string, region: string) =>
  createHash('sha256').update(`guardduty/${accountId}/${region}`).digest('hex').slice(0, 32);

export interface DetectorOptions {
  /** Default us-east-1. */
  region?: string;
  /** The detector's id when it is created (examples use readable ids); default: derived. */
  id?: string;
}

/**
 * The account's detector in a region, created on first use (as enabling GuardDuty would). An
 * account has one detector per region: asking for another id there is an error.
 */
export function guardDutyDetector(
  state: StandInState,
  accountId: string,
  { region = DEFAULT_REGION, id }: DetectorOptions = {},
): Detector {
  if (!/^\d{12}$/.test(accountId)) throw new Error(`not an account id: ${accountId}`);
  const existing = [...state.detectors.values()].find(
    (d) => d.accountId === accountId && d.region === region,
  );
  if (existing) {
    if (id !== undefined && id !== existing.id) {
      throw new Error(`${accountId} already has detector ${existing.id} in ${region}`);
    }
    return existing;
  }
  const detectorId = id ?? detectorIdOf(accountId, region);
  if (!/^[A-Za-z0-9]{1,300}$/.test(detectorId) || state.detectors.has(detectorId)) {
    throw new Error(`cannot create detector ${detectorId}`);
  }
  const detector = { id: detectorId, accountId, region, findings: new Map() };
  state.detectors.set(detectorId, detector);
  return detector;
}

/** Stores findings as JSON under the detector; all are checked before any is stored. */
export function addGuardDutyFindings(detector: Detector, findings: readonly object[]): void {
  const stored = findings.map((finding) => {
    const json: Json = JSON.parse(JSON.stringify(finding));
    if (!isObject(json) || typeof json.id !== 'string' || json.id === '') {
      throw new Error('a GuardDuty finding needs a string id');
    }
    return { id: json.id, json };
  });
  for (const { id, json } of stored) detector.findings.set(id, json);
}

export interface GuardDutyContext {
  detectorId: string;
  body: JsonObject;
  caller: Caller;
  state: StandInState;
}

/** `findingIds`: required, 0..50 ids of 1..300 characters. */
function findingIds(body: JsonObject): string[] {
  const ids = body.findingIds;
  if (ids === undefined || ids === null) {
    throw badRequest(
      'The request is rejected because the required parameter findingIds is missing.',
    );
  }
  if (!Array.isArray(ids) || ids.length > MAX_FINDING_IDS) throw invalidInput();
  return ids.map((id) => {
    if (typeof id !== 'string' || id.length < 1 || id.length > 300) throw invalidInput();
    return id;
  });
}

/** The value at a dotted attribute path such as `service.eventLastSeen`. */
function attribute(finding: JsonObject, path: string): Json | undefined {
  let value: Json | undefined = finding;
  for (const key of path.split('.')) value = value && isObject(value) ? value[key] : undefined;
  return value;
}

/** Numbers by value, anything else as text; findings lacking the attribute come last. */
function sorted(findings: JsonObject[], criteria: Json | undefined): JsonObject[] {
  if (criteria === undefined || criteria === null) return findings;
  if (!isObject(criteria)) throw invalidInput();
  const { attributeName: name, orderBy = 'ASC' } = criteria;
  if (orderBy !== 'ASC' && orderBy !== 'DESC') throw invalidInput();
  if (name === undefined || name === null) return findings;
  if (typeof name !== 'string') throw invalidInput();
  const sign = orderBy === 'ASC' ? 1 : -1;
  const keyed = findings.map((finding) => ({ finding, key: attribute(finding, name) }));
  return keyed
    .sort((a, b) => {
      const [x, y] = [a.key, b.key];
      if (x === undefined || x === null) return y === undefined || y === null ? 0 : 1;
      if (y === undefined || y === null) return -1;
      const order =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x) < String(y)
            ? -1
            : String(x) > String(y)
              ? 1
              : 0;
      return sign * order;
    })
    .map(({ finding }) => finding);
}

/**
 * The detector's findings among the ids asked for, each once and in the order asked (unless
 * sorted); unknown ids are left out, as GuardDuty does. Detectors are regional: one of another
 * account or region is "not owned by the current account".
 */
function getFindings({ detectorId, body, caller, state }: GuardDutyContext): JsonObject {
  if (detectorId.length > 300) throw invalidInput();
  const ids = findingIds(body);
  const detector = state.detectors.get(detectorId);
  if (
    !detector ||
    detector.accountId !== caller.principal.accountId ||
    detector.region !== caller.scope.region
  ) {
    throw badRequest(
      'The request is rejected because the input detectorId is not owned by the current account.',
    );
  }
  const found = [...new Set(ids)].flatMap((id) => {
    const finding = detector.findings.get(id);
    return finding ? [structuredClone(finding)] : [];
  });
  return { findings: sorted(found, body.sortCriteria) };
}

const OPERATIONS: Record<string, (ctx: GuardDutyContext) => JsonObject> = {
  GetFindings: getFindings,
};

/** The handler of an operation `guardDutyRoute` named. */
export function guardDutyHandler(operation: string): (ctx: GuardDutyContext) => JsonObject {
  const handler = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (!handler) throw new Error(`no GuardDuty handler for ${operation}`);
  return handler;
}
