import { whilePacing } from './iam-write-pace';
import { sequenceIntakes } from './intake/sequence-findings';
import type { Report } from './report/report';
import type { Intake } from './request';
import { type Deps, respond } from './respond';

/** What the invocation allows: its remaining time, and how many incidents may run at once. */
export interface RunLimits {
  /** Lambda's `context.getRemainingTimeInMillis`; unset: no deadline (tests, scripts). */
  remainingMs?: () => number;
  concurrency?: number;
}

/**
 * Incidents run at once per event. IAM's writes are rate limited per account (about 10 a second
 * sustained): more at once only queue behind Throttling retries, while fewer leave an event naming
 * hundreds of keys short of the deadline (`npm run bench`, big event).
 */
export const INCIDENT_CONCURRENCY = 8;

/**
 * An incident is started only while this much time is left: one that meets AWS throttling may
 * need seconds of retries, and must still end with its report. Those not started end on the record
 * (`failed`, `DeadlineExceeded`): the handler throws, Lambda retries the event, and the incidents
 * that did finish find their containment in place (no write) on the retry.
 */
export const DEADLINE_RESERVE_MS = 15_000;

type Resolved = Exclude<Intake, { kind: 'lookup' }>;

/** The limits of a Lambda invocation, from its context (none outside Lambda). */
export function limitsOf(context: { getRemainingTimeInMillis?: () => number }): RunLimits {
  const remaining = context.getRemainingTimeInMillis;
  return remaining ? { remainingMs: () => remaining.call(context) } : {};
}

/**
 * Incidents of one event: attack sequences whose keys are only in their underlying findings are
 * expanded first, then up to `concurrency` incidents run at once, each with a logger of its own.
 * Reports come back in the order of the intakes.
 */
export async function respondAll(
  intakes: Intake[],
  deps: Deps,
  limits: RunLimits = {},
): Promise<Report[]> {
  const expanded = await Promise.all(
    intakes.map((intake) =>
      intake.kind === 'lookup' ? sequenceIntakes(intake.lookup, deps) : [intake],
    ),
  );
  const incidents = expanded.flat();
  const reports: Report[] = new Array(incidents.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < incidents.length; i = next++) {
      const intake = incidents[i] as Resolved;
      const left = limits.remainingMs?.();
      const late = left !== undefined && left < DEADLINE_RESERVE_MS;
      const own = { ...deps, logger: deps.logger.createChild() };
      reports[i] = await respond(late ? notStarted(intake, left) : intake, own);
    }
  };
  const workers = Math.max(
    1,
    Math.min(limits.concurrency ?? INCIDENT_CONCURRENCY, incidents.length),
  );
  const run = () => Promise.all(Array.from({ length: workers }, worker));
  // Several incidents at once share the account's IAM write rate; one alone never waits.
  await (workers > 1 ? whilePacing(run) : run());
  return reports;
}

/** An incident the invocation has no time left for: on the record, retried with the event. */
function notStarted(intake: Resolved, leftMs: number): Resolved {
  if (intake.kind === 'rejected') return intake;
  const context = intake.kind === 'request' ? intake.request : intake.release;
  const accessKeyId =
    intake.kind === 'request'
      ? intake.request.accessKeyId
      : 'accessKeyId' in intake.release.principal
        ? intake.release.principal.accessKeyId
        : undefined;
  const finding = intake.kind === 'request' ? intake.request.finding : undefined;
  return {
    kind: 'rejected',
    rejected: {
      incidentId: context.incidentId,
      source: context.source,
      trigger: context.trigger,
      outcome: 'failed',
      reason:
        `not started: ${Math.max(0, Math.round(leftMs / 1000))} s of the invocation were left, ` +
        `less than the ${DEADLINE_RESERVE_MS / 1000} s an incident is given; nothing was changed, and the event is retried`,
      errorCode: 'DeadlineExceeded',
      ...(accessKeyId ? { accessKeyId } : {}),
      ...(finding ? { finding } : {}),
    },
  };
}
