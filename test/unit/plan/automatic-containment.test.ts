import { describe, expect, it } from 'vitest';
import { belowAutomaticThreshold } from '../../../shared/plan/automatic-containment';
import type { ContainRequest, SeverityLabel, Trigger } from '../../../shared/request';
import { TEST_CONFIG } from '../../support/deps';

const request = (severityLabel: SeverityLabel, trigger: Trigger): ContainRequest => ({
  incidentId: 'i',
  source: 'guardduty',
  trigger,
  accessKeyId: 'AKIAEXAMPLEDEMO00001',
  reason: 'r',
  finding: {
    id: 'f',
    type: 't',
    accountId: '123456789012',
    region: 'us-east-1',
    severity: 2,
    severityLabel,
  },
});

describe('belowAutomaticThreshold', () => {
  it('skips a low finding that arrives by itself', () => {
    expect(belowAutomaticThreshold(request('LOW', 'eventbridge'), TEST_CONFIG)).toMatch(
      /LOW is below MIN_SEVERITY MEDIUM/,
    );
    expect(belowAutomaticThreshold(request('LOW', 'sns'), TEST_CONFIG)).toBeDefined();
  });

  it('lets a finding at or above the threshold through', () => {
    expect(belowAutomaticThreshold(request('MEDIUM', 'eventbridge'), TEST_CONFIG)).toBeUndefined();
    expect(
      belowAutomaticThreshold(request('CRITICAL', 'eventbridge'), {
        ...TEST_CONFIG,
        minSeverity: 'HIGH',
      }),
    ).toBeUndefined();
  });

  it('always acts on what a person sends', () => {
    expect(belowAutomaticThreshold(request('LOW', 'console'), TEST_CONFIG)).toBeUndefined();
    expect(belowAutomaticThreshold(request('LOW', 'custom-action'), TEST_CONFIG)).toBeUndefined();
  });
});
