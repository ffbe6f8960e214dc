import type { ContainmentAction, FoundInPlace } from '../actions/containment-action';
import type { AwsClients } from '../aws-clients';
import type { ActionRecord, PrincipalRecord } from '../report/report';

/** One action bound to its parameters: data the executor runs, and the dry-run/report lists. */
export interface PlannedStep {
  name: string;
  target: string;
  /** The action's parameters, for the record (and, later, dry runs). */
  params: unknown;
  /** Set when nothing needs writing: what was found in place. */
  alreadyInPlace?: string;
  /**
   * `contain` and `record` steps run first, all at once; only a failed `contain` step fails the
   * incident (a record that could not be written is reported, the containment stands). `after`
   * steps run only once every `contain` step held (e.g. clearing a record after an undo).
   */
  phase: Phase;
  /** Runs instead, at once, when the write answers `LimitExceeded` (no room for an inline policy). */
  fallback?: PlannedStep;
  apply(clients: AwsClients): Promise<string | FoundInPlace>;
  verify(clients: AwsClients): Promise<{ ok: boolean; detail: string }>;
}

export type Phase = 'contain' | 'record' | 'after';

export function planStep<P>(
  action: ContainmentAction<P>,
  params: P,
  options: { alreadyInPlace?: string | undefined; phase?: Phase; fallback?: PlannedStep } = {},
): PlannedStep {
  return {
    name: action.name,
    target: action.target(params),
    params,
    phase: options.phase ?? 'contain',
    ...(options.alreadyInPlace ? { alreadyInPlace: options.alreadyInPlace } : {}),
    ...(options.fallback ? { fallback: options.fallback } : {}),
    apply: (clients) => action.apply(params, clients),
    verify: (clients) => action.verify(params, clients),
  };
}

export type Plan =
  | {
      decision: 'act';
      principal: PrincipalRecord;
      steps: PlannedStep[];
      notes: string[];
      /** Something a person must look at even though containment went ahead (tampering). */
      alert?: string;
    }
  | {
      decision: 'escalate' | 'skip';
      principal: PrincipalRecord | null;
      reason: string;
      notes: string[];
    };

/** A dry run's record of the steps: what would be written, and what is already in place. */
export function plannedActions(steps: PlannedStep[]): ActionRecord[] {
  return steps.map((step) => ({
    name: step.name,
    target: step.target,
    status: step.alreadyInPlace ? 'already-in-place' : 'planned',
    detail: step.alreadyInPlace ?? `would run with ${JSON.stringify(step.params)}`,
  }));
}
