import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../shared/report/report';
import type { ContainRequest, Intake } from '../../shared/request';
import type { Deps } from '../../shared/respond';
import { testDeps } from '../support/deps';

/**
 * The incidents of one event: at most `concurrency` at once, in the order given, and none started
 * once the invocation's time runs short. `respond` is replaced by a fake that takes a while, so
 * the test sees how many run together; the deadline comes from an injected clock.
 */
const running = { now: 0, max: 0 };
const started: string[] = [];
vi.mock('../../shared/respond', () => ({
  respond: async (intake: Exclude<Intake, { kind: 'lookup' }>, deps: Deps): Promise<Report> => {
    const context =
      intake.kind === 'request'
        ? intake.request
        : intake.kind === 'rejected'
          ? intake.rejected
          : intake.release;
    started.push(context.incidentId);
    running.now += 1;
    running.max = Math.max(running.max, running.now);
    // Each incident has its own logger: keys appended for one never reach another.
    deps.logger.appendKeys({ incidentId: context.incidentId });
    await new Promise((resolve) => setTimeout(resolve, 5));
    running.now -= 1;
    return {
      incidentId: context.incidentId,
      outcome: intake.kind === 'rejected' ? intake.rejected.outcome : 'contained',
      errorCode: intake.kind === 'rejected' ? (intake.rejected.errorCode ?? null) : null,
      reason: intake.kind === 'rejected' ? intake.rejected.reason : 'contained',
    } as Report;
  },
}));
const { DEADLINE_RESERVE_MS, INCIDENT_CONCURRENCY, limitsOf, respondAll } = await import(
  '../../shared/respond-all'
);

const request = (n: number): Intake => ({
  kind: 'request',
  request: {
    incidentId: `incident-${n}`,
    source: 'health',
    trigger: 'eventbridge',
    accessKeyId: `AKIAEXAMPLEPOOL${String(n).padStart(5, '0')}`,
    reason: 'test',
  } satisfies ContainRequest,
});
const requests = (count: number) => Array.from({ length: count }, (_, i) => request(i));

beforeEach(() => {
  running.now = 0;
  running.max = 0;
  started.length = 0;
});
afterEach(() => vi.restoreAllMocks());

describe('respondAll', () => {
  it(`runs at most ${INCIDENT_CONCURRENCY} incidents at once, and reports in the order given`, async () => {
    const reports = await respondAll(requests(30), testDeps());

    expect(running.max).toBe(INCIDENT_CONCURRENCY);
    expect(reports.map((r) => r.incidentId)).toEqual(requests(30).map((_, i) => `incident-${i}`));
    expect(reports.every((r) => r.outcome === 'contained')).toBe(true);
  });

  it('takes a smaller pool when asked', async () => {
    await respondAll(requests(10), testDeps(), { concurrency: 3 });

    expect(running.max).toBe(3);
  });

  it('starts no incident once less than the reserve is left: each ends failed, retryable, on the record', async () => {
    // 20 s left at first; every incident started takes 4 s of the invocation.
    let left = 20_000;
    const remainingMs = () => {
      const now = left;
      left -= 4_000;
      return now;
    };

    const reports = await respondAll(requests(6), testDeps(), { remainingMs, concurrency: 1 });

    // 20 s and 16 s left: started; 12 s, 8 s, … : less than the reserve.
    expect(reports.map((r) => r.outcome)).toEqual([
      'contained',
      'contained',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
    for (const report of reports.slice(2)) {
      expect(report.errorCode).toBe('DeadlineExceeded');
      expect(report.reason).toMatch(
        new RegExp(
          `^not started: \\d+ s of the invocation were left, less than the ${DEADLINE_RESERVE_MS / 1000} s`,
        ),
      );
    }
  });

  it('gives every incident its own logger', async () => {
    const deps = testDeps();
    const append = vi.spyOn(deps.logger, 'appendKeys');

    await respondAll(requests(3), deps);

    expect(append).not.toHaveBeenCalled();
  });

  it("reads the deadline from Lambda's context, and has none without one", () => {
    const context = { getRemainingTimeInMillis: () => 42_000 };

    expect(limitsOf(context).remainingMs?.()).toBe(42_000);
    expect(limitsOf({})).toEqual({});
  });
});
