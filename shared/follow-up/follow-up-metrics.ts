import { METRICS_NAMESPACE } from '../metrics/incident-metrics';
import type { FollowUpRecord } from './follow-up-record';

/**
 * CloudWatch embedded metric format: one line on stdout per follow-up record, which Lambda's log
 * delivery turns into metrics with no API call, in the namespace of the incidents' metrics. The
 * stack alarms on `StillInUse` and `Reapplied` (serverless.yml). Written by hand rather than with
 * Powertools (shared/metrics/): one line carries all five, with the `Service` dimension the
 * alarms name.
 */
export function metricLine(record: FollowUpRecord, now: number): string {
  const metrics = {
    StillInUse: record.outcome === 'still-in-use' ? 1 : 0,
    Reapplied: record.reapplied ? 1 : 0,
    CreatedKeysContained: record.createdKeys.filter((k) => k.outcome === 'contained').length,
    ReviewItems: record.review.length,
    FollowUpFailed: record.outcome === 'failed' ? 1 : 0,
  };
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['Service']],
          Metrics: Object.keys(metrics).map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    Service: 'credential-responder',
    check: record.check,
    outcome: record.outcome,
    incidentId: record.incidentId,
    ...metrics,
  });
}
