import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRICS_NAMESPACE, recordIncident } from '../../shared/metrics/incident-metrics';
import type { Report } from '../../shared/report/report';

/**
 * The metrics of one incident, read back from the embedded-metric-format lines Powertools writes
 * to stdout: what CloudWatch would make of them.
 */
let lines: string[];
let metrics: Metrics;

beforeEach(() => {
  lines = [];
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'credential-responder' });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const report = (parts: Partial<Report>): Report =>
  ({
    incidentId: 'guardduty-metrics-1',
    source: 'guardduty',
    trigger: 'eventbridge',
    outcome: 'contained',
    containMs: 120,
    finding: {
      id: 'f',
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
      severity: 8,
      severityLabel: 'HIGH',
      region: 'us-east-1',
    },
    ...parts,
  }) as Report;

interface Emf {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** Each metric emitted: its name, value, unit and dimensions. */
function emitted() {
  return lines.map((line) => {
    const emf = JSON.parse(line) as Emf;
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe('CredentialResponder');
    const [metric] = directive?.Metrics ?? [];
    const dimensions = Object.fromEntries(
      (directive?.Dimensions[0] ?? []).map((name) => [name, emf[name]]),
    );
    return { name: metric?.Name, unit: metric?.Unit, value: emf[metric?.Name ?? ''], dimensions };
  });
}

describe('the metrics of an incident', () => {
  it('counts a containment by source and by finding type, with its time to contain', () => {
    recordIncident(report({}), metrics);

    expect(emitted()).toEqual([
      {
        name: 'Incidents',
        unit: 'Count',
        value: 1,
        dimensions: { service: 'credential-responder', Source: 'guardduty', Outcome: 'contained' },
      },
      {
        name: 'IncidentsByFindingType',
        unit: 'Count',
        value: 1,
        dimensions: {
          service: 'credential-responder',
          FindingType: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
          Outcome: 'contained',
        },
      },
      {
        name: 'TimeToContain',
        unit: 'Milliseconds',
        value: 120,
        dimensions: { service: 'credential-responder', Source: 'guardduty' },
      },
    ]);
  });

  it('counts an escalation and a failure as such, with no time to contain', () => {
    recordIncident(report({ outcome: 'escalated', containMs: null }), metrics);
    recordIncident(report({ outcome: 'failed', containMs: null, source: 'health' }), metrics);

    const names = emitted().map((m) =>
      `${m.name} ${m.dimensions.Source ?? m.dimensions.FindingType} ${m.dimensions.Outcome ?? ''}`.trim(),
    );
    expect(names).toEqual([
      'Incidents guardduty escalated',
      'IncidentsByFindingType UnauthorizedAccess:IAMUser/MaliciousIPCaller escalated',
      'Escalations guardduty',
      'Incidents health failed',
      'IncidentsByFindingType UnauthorizedAccess:IAMUser/MaliciousIPCaller failed',
      'Failures health',
    ]);
  });

  it("files a report without a finding, or with a type that is not AWS's, under FindingType none", () => {
    recordIncident(report({ finding: null, source: 'runbook' }), metrics);
    recordIncident(
      report({
        finding: {
          id: 'x',
          type: 'made up\ntype',
          severity: null,
          severityLabel: 'LOW',
          region: 'x',
        },
      }),
      metrics,
    );

    const types = emitted()
      .filter((m) => m.name === 'IncidentsByFindingType')
      .map((m) => m.dimensions.FindingType);
    expect(types).toEqual(['none', 'none']);
  });

  it('says which incident each line belongs to (metadata, not a dimension)', () => {
    recordIncident(report({}), metrics);

    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({ incidentId: 'guardduty-metrics-1' });
  });
});
