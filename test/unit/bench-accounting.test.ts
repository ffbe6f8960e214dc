import { describe, expect, it } from 'vitest';
import { invokeAsync, MAX_RETRIES } from '../../scripts/bench/lambda-async';
import { tally } from '../../scripts/bench/tally';
import { IncidentFailedError } from '../../shared/entry-points';
import type { Report } from '../../shared/report/report';
import type { Deps } from '../../shared/respond';

/**
 * The bench's model of Lambda's async invocation and its accounting: the fault run rarely
 * reaches the on-failure path, so it is proven here.
 */

const deps = {} as Deps;
const report = (outcome: Report['outcome'], reason = 'x') => ({ outcome, reason }) as Report;

describe('the bench’s Lambda async model', () => {
  it('retries as serverless.yml says, then hands a failed event to on-failure, on record', async () => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new IncidentFailedError('1 of 1 incidents failed', [report('failed')]);
    };

    const outcome = await invokeAsync(failing, {}, deps, 'e1');

    expect(MAX_RETRIES).toBe(2);
    expect(calls).toBe(MAX_RETRIES + 1);
    expect(outcome).toMatchObject({ attempts: MAX_RETRIES + 1, onFailure: true });
    expect(tally([outcome])).toMatchObject({ failedOnRecord: 1, lost: 0, contained: 0 });
  });

  it('counts an event whose retry contained it as contained, and as retried', async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls === 1) throw new IncidentFailedError('failed', [report('failed')]);
      return [report('contained', 'role r already contained (…): nothing written')];
    };

    const outcome = await invokeAsync(flaky, {}, deps, 'e2');

    expect(tally([outcome])).toMatchObject({
      contained: 1,
      alreadyContained: 1,
      retriedEvents: 1,
      attempts: 2,
      lost: 0,
    });
  });

  it('counts a crash with no report as lost', async () => {
    const crashing = async () => {
      throw new TypeError('boom');
    };

    const outcome = await invokeAsync(crashing, {}, deps, 'e3');

    expect(outcome.reports).toEqual([]);
    expect(tally([outcome])).toMatchObject({ lost: 1, failedOnRecord: 0 });
  });
});
