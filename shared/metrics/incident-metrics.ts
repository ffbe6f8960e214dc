import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Report } from '../report/report';

/**
 * One set of CloudWatch metrics per incident, in the embedded metric format: Lambda's log
 * delivery turns the log line into metrics, with no API call and no permission. The stack's
 * dashboard and alarms read them (serverless.yml); README "Operating it" says what each means.
 */
export const METRICS_NAMESPACE = 'CredentialResponder';
export const SERVICE = 'credential-responder';

let shared: Metrics | undefined;

/** Created once per container. `POWERTOOLS_METRICS_DISABLED=true` turns them off (tests do). */
export function responderMetrics(): Metrics {
  shared ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE });
  return shared;
}

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** Finding types are a bounded list (AWS's); anything else would make a dimension per value. */
const FINDING_TYPE = /^[\w:/.-]{1,128}$/;

/**
 * - `Incidents` by `Source` (guardduty, securityhub, health, runbook, follow-up) and `Outcome`;
 * - `IncidentsByFindingType` by `FindingType` and `Outcome`;
 * - `TimeToContain` (ms, from the incident's start to its containing write) by `Source`;
 * - `Escalations` and `Failures` by `Source`: a person must act, or AWS failed.
 */
export function recordIncident(report: Report, metrics: Metrics = responderMetrics()): void {
  const emit = (dimensions: Record<string, string>, name: string, unit: Unit, value: number) => {
    const single = metrics.singleMetric();
    single.addDimensions(dimensions);
    single.addMetadata('incidentId', report.incidentId);
    single.addMetric(name, unit, value);
  };
  const source = report.source;
  const type = report.finding?.type;
  emit({ Source: source, Outcome: report.outcome }, 'Incidents', MetricUnit.Count, 1);
  emit(
    {
      FindingType: type && FINDING_TYPE.test(type) ? type : 'none',
      Outcome: report.outcome,
    },
    'IncidentsByFindingType',
    MetricUnit.Count,
    1,
  );
  if (report.outcome === 'contained' && report.containMs !== null) {
    emit({ Source: source }, 'TimeToContain', MetricUnit.Milliseconds, report.containMs);
  }
  if (report.outcome === 'escalated') emit({ Source: source }, 'Escalations', MetricUnit.Count, 1);
  if (report.outcome === 'failed') emit({ Source: source }, 'Failures', MetricUnit.Count, 1);
}
