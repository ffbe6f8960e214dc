import type { AsyncOutcome } from './lambda-async';

/** How a batch of async incidents ended, from each event's last attempt. */
export interface Tally {
  total: number;
  contained: number;
  /** Contained without a write: what it found was already in place (part of `contained`). */
  alreadyContained: number;
  /** Ended `failed`, with its report logged and the event handed to the on-failure destination. */
  failedOnRecord: number;
  /** Ended without a report (a crash or a timeout), or failed without reaching on-failure. */
  lost: number;
  /** Any other outcome (escalated, skipped): none is expected for these incidents. */
  other: Record<string, number>;
  /** Events that needed a Lambda retry (an attempt threw), and attempts in all. */
  retriedEvents: number;
  attempts: number;
}

export function tally(outcomes: AsyncOutcome[]): Tally {
  const t: Tally = {
    total: outcomes.length,
    contained: 0,
    alreadyContained: 0,
    failedOnRecord: 0,
    lost: 0,
    other: {},
    retriedEvents: 0,
    attempts: 0,
  };
  for (const o of outcomes) {
    t.attempts += o.attempts;
    if (o.attempts > 1) t.retriedEvents++;
    const outcomes = new Set(o.reports.map((r) => r.outcome));
    if (o.reports.length === 0) t.lost++;
    else if (outcomes.has('failed')) {
      if (o.onFailure) t.failedOnRecord++;
      else t.lost++;
    } else if (outcomes.size === 1 && outcomes.has('contained')) {
      t.contained++;
      if (o.reports.every((r) => r.reason.includes('already contained'))) t.alreadyContained++;
    } else {
      const key = [...outcomes].sort().join('+');
      t.other[key] = (t.other[key] ?? 0) + 1;
    }
  }
  return t;
}
