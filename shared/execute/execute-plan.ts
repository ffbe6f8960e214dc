import type { FoundInPlace } from '../actions/containment-action';
import type { AwsClients } from '../aws-clients';
import { AwsCallError } from '../errors';
import type { PlannedStep } from '../plan/plan';
import type { ActionRecord } from '../report/report';

export interface Execution {
  actions: ActionRecord[];
  /** When the last containing write finished (ms since epoch); null when nothing was written. */
  containedAt: number | null;
  /** The error code of the first failed write or read-back, if any. */
  errorCode: string | null;
}

/**
 * Runs the containing writes and the records that go with them first, all at once, and only then
 * reads each back, so verification stays off the critical path. A containing write that does not
 * read back is `failed`: the async handlers then throw, and the retry (every action is safe to
 * repeat) writes it again. A record that fails is reported but does not fail the containment.
 * `after` steps run only when every containing write held.
 */
export async function executePlan(
  steps: PlannedStep[],
  clients: AwsClients,
  clock: () => number,
): Promise<Execution> {
  const first = steps.filter((s) => s.phase !== 'after');
  const contain = await runPhase(first, clients, clock);
  const errorCode = contain.errorCode;
  const after = errorCode
    ? { records: new Map<PlannedStep, ActionRecord>() }
    : await runPhase(
        steps.filter((s) => s.phase === 'after'),
        clients,
        clock,
      );
  const records = new Map([...contain.records, ...after.records]);
  const actions = steps.flatMap((step): ActionRecord[] => {
    const record = records.get(step);
    if (record) return [record];
    if (step.alreadyInPlace) {
      return [
        {
          name: step.name,
          target: step.target,
          status: 'already-in-place',
          detail: step.alreadyInPlace,
        },
      ];
    }
    return []; // `after` steps skipped because containment failed
  });
  return { actions, containedAt: contain.writtenAt, errorCode };
}

async function runPhase(
  steps: PlannedStep[],
  clients: AwsClients,
  clock: () => number,
): Promise<{
  records: Map<PlannedStep, ActionRecord>;
  writtenAt: number | null;
  errorCode: string | null;
}> {
  const toWrite = steps.filter((step) => !step.alreadyInPlace);
  const writes = await Promise.allSettled(toWrite.map((step) => write(step, clients)));
  // Writes a check before a retry found no longer needed wrote nothing.
  const wrote = writes.some(
    (w, i) =>
      toWrite[i]?.phase !== 'record' &&
      (w.status === 'rejected' || typeof w.value.result === 'string'),
  );
  const writtenAt = wrote ? clock() : null;
  const outcomes = await Promise.all(
    toWrite.map((step, i) => writeThenVerify(step, writes[i], clients)),
  );
  const records = new Map<PlannedStep, ActionRecord>();
  toWrite.forEach((step, i) => {
    const record = outcomes[i]?.record;
    if (record) records.set(step, record);
  });
  const failedToContain = outcomes.find((o, i) => o.errorCode && toWrite[i]?.phase !== 'record');
  return { records, writtenAt, errorCode: failedToContain?.errorCode ?? null };
}

interface Written {
  /** The step whose write ran: the planned one, or its fallback. */
  ran: PlannedStep;
  result: string | FoundInPlace;
  /** Why the fallback ran. */
  because?: string;
}

/**
 * A step's write. When IAM answers `LimitExceeded` (the principal's inline-policy space is full:
 * a retry cannot help) and the step declares a fallback, the fallback's write goes instead, at
 * once. The fast path is unchanged: nothing is read before the first write.
 */
async function write(step: PlannedStep, clients: AwsClients): Promise<Written> {
  try {
    return { ran: step, result: await step.apply(clients) };
  } catch (error) {
    const full = error instanceof AwsCallError && error.code === 'LimitExceeded';
    if (!step.fallback || !full) throw error;
    const because = `${error.operation} answered LimitExceeded (the inline-policy space is full)`;
    try {
      return { ran: step.fallback, result: await step.fallback.apply(clients), because };
    } catch (fallbackError) {
      throw new FallbackFailed(step.fallback, because, fallbackError);
    }
  }
}

/** The fallback's own write failed too: reported as the fallback's, with why it ran. */
class FallbackFailed extends Error {
  constructor(
    readonly ran: PlannedStep,
    readonly because: string,
    override readonly cause: unknown,
  ) {
    super(messageOf(cause));
  }
}

async function writeThenVerify(
  planned: PlannedStep,
  write: PromiseSettledResult<Written> | undefined,
  clients: AwsClients,
): Promise<{ record: ActionRecord; errorCode: string | null }> {
  // The step that ran: the planned one, or its fallback (which may have failed too).
  const ran: Written | FallbackFailed | undefined =
    write?.status === 'fulfilled'
      ? write.value
      : write?.reason instanceof FallbackFailed
        ? write.reason
        : undefined;
  const step = ran?.ran ?? planned;
  const prefix = ran?.because ? `${ran.because}: ` : '';
  const record = (status: ActionRecord['status'], detail: string) => ({
    name: step.name,
    target: step.target,
    status,
    detail: prefix + detail,
  });
  if (!write || write.status === 'rejected') {
    const error = write?.reason instanceof FallbackFailed ? write.reason.cause : write?.reason;
    return { record: record('failed', messageOf(error)), errorCode: codeOf(error) };
  }
  const { result } = write.value;
  // Found in place by the check before a retry: that read is the read-back.
  if (typeof result !== 'string') {
    return { record: record('already-in-place', result.found), errorCode: null };
  }
  try {
    const check = await step.verify(clients);
    return check.ok
      ? { record: record('verified', `${result}; ${check.detail}`), errorCode: null }
      : {
          record: record('failed', `${result}, but ${check.detail}`),
          errorCode: 'VerificationFailed',
        };
  } catch (error) {
    return {
      record: record('failed', `${result}, but the read-back failed: ${messageOf(error)}`),
      errorCode: codeOf(error),
    };
  }
}

function codeOf(error: unknown): string {
  return error instanceof AwsCallError ? error.code : 'InternalError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
