import { describe, expect, it } from 'vitest';
import { metricLine } from '../../../shared/follow-up/follow-up-metrics';
import {
  type FollowUpOutcome,
  type FollowUpRecord,
  followUpRecord,
} from '../../../shared/follow-up/follow-up-record';
import { METRICS_NAMESPACE } from '../../../shared/metrics/incident-metrics';
import { NOW } from '../../support/deps';

const METRICS = [
  'StillInUse',
  'Reapplied',
  'CreatedKeysContained',
  'ReviewItems',
  'FollowUpFailed',
];

const record = (outcome: FollowUpOutcome, parts: Partial<FollowUpRecord> = {}): FollowUpRecord =>
  followUpRecord({
    check: 'hold',
    incidentId: 'guardduty-follow0up0test0001-AKIAEXAMPLEFOLLOW001',
    accessKeyId: 'AKIAEXAMPLEFOLLOW001',
    outcome,
    reason: 'test',
    ...parts,
  });

const parse = (line: string) => JSON.parse(line) as Record<string, any>;

/** What CloudWatch requires of an EMF line for it to become metrics. */
function expectValidEmf(emf: Record<string, any>) {
  expect(emf._aws.Timestamp).toBe(NOW);
  expect(emf._aws.CloudWatchMetrics).toHaveLength(1);
  const [directive] = emf._aws.CloudWatchMetrics;
  expect(directive.Namespace).toBe('CredentialResponder');
  expect(directive.Dimensions).toEqual([['Service']]);
  // Every dimension is a top-level string.
  for (const dimension of directive.Dimensions.flat()) {
    expect(typeof emf[dimension]).toBe('string');
  }
  // Every metric is named with its unit and has a top-level number.
  expect(directive.Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual(
    [...METRICS].sort(),
  );
  for (const metric of directive.Metrics) {
    expect(metric).toEqual({ Name: expect.any(String), Unit: 'Count' });
    expect(typeof emf[metric.Name]).toBe('number');
    expect(Number.isInteger(emf[metric.Name]) && emf[metric.Name] >= 0).toBe(true);
  }
}

describe('metricLine', () => {
  it('is one line of valid EMF', () => {
    const line = metricLine(record('held'), NOW);

    expect(line).not.toContain('\n');
    const emf = parse(line);
    expectValidEmf(emf);
    expect(METRICS_NAMESPACE).toBe('CredentialResponder');
    expect(emf).toMatchObject({
      Service: 'credential-responder',
      check: 'hold',
      outcome: 'held',
      incidentId: 'guardduty-follow0up0test0001-AKIAEXAMPLEFOLLOW001',
      StillInUse: 0,
      Reapplied: 0,
      CreatedKeysContained: 0,
      ReviewItems: 0,
      FollowUpFailed: 0,
    });
  });

  it('counts a key still in use', () => {
    const emf = parse(metricLine(record('still-in-use'), NOW));
    expectValidEmf(emf);
    expect(emf).toMatchObject({ StillInUse: 1, Reapplied: 0, FollowUpFailed: 0 });
  });

  it('counts a containment put back', () => {
    const emf = parse(
      metricLine(
        record('reapplied', {
          reapplied: { undone: ['key is Active again'], outcome: 'contained', reason: 'r' },
        }),
        NOW,
      ),
    );
    expectValidEmf(emf);
    expect(emf).toMatchObject({ StillInUse: 0, Reapplied: 1 });
  });

  it('counts a containment put back on a key also still in use as both', () => {
    const emf = parse(
      metricLine(
        record('still-in-use', {
          reapplied: { undone: ['key is Active again'], outcome: 'failed', reason: 'r' },
        }),
        NOW,
      ),
    );
    expect(emf).toMatchObject({ StillInUse: 1, Reapplied: 1 });
  });

  it.each<FollowUpOutcome>(['clean', 'found', 'held', 'skipped', 'escalated', 'failed'])(
    'counts neither for %s',
    (outcome) => {
      const emf = parse(metricLine(record(outcome), NOW));
      expectValidEmf(emf);
      expect(emf).toMatchObject({ StillInUse: 0, Reapplied: 0 });
      expect(emf.FollowUpFailed).toBe(outcome === 'failed' ? 1 : 0);
    },
  );

  it("counts a sweep's contained keys and review items", () => {
    const created = (accessKeyId: string, outcome: string) => ({
      accessKeyId,
      userName: 'demo',
      eventTime: '2026-11-22T09:30:00.000Z',
      eventId: 'e',
      incidentId: `i-created-${accessKeyId}`,
      outcome,
    });
    const review = {
      eventName: 'CreateUser',
      eventTime: '2026-11-22T09:31:00.000Z',
      eventId: 'e2',
      target: 'user/x',
      review: 'r',
    };
    const emf = parse(
      metricLine(
        record('found', {
          check: 'sweep',
          createdKeys: [
            created('AKIAEXAMPLEFOLLOW002', 'contained'),
            created('AKIAEXAMPLEFOLLOW003', 'escalated'),
            created('AKIAEXAMPLEFOLLOW004', 'contained'),
          ],
          review: [review, review, review],
        }),
        NOW,
      ),
    );
    expectValidEmf(emf);
    expect(emf).toMatchObject({ check: 'sweep', CreatedKeysContained: 2, ReviewItems: 3 });
  });

  it('uses the time it is given', () => {
    expect(parse(metricLine(record('held'), 1_234))._aws.Timestamp).toBe(1_234);
  });
});
